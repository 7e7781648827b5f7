/**
 * Checks one sample before it goes into a training set. Problems make the sample unusable and it
 * is skipped (never written as a broken record); warnings are exported but listed in the summary
 * because they usually mean a labelling slip.
 */
import { gripperChangeIndices, type Path } from '../../core/path';

export type SkipReason = 'no_path' | 'empty_path' | 'invalid_coordinates' | 'no_instruction';
export type AuditWarning = 'single_point' | 'no_gripper_event' | 'many_gripper_events' | 'repeated_point';

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  no_path: 'has no path',
  empty_path: 'has a path with no points',
  invalid_coordinates: 'has coordinates outside the image (not in [0, 1]) or not numbers',
  no_instruction: 'has no instruction',
};

export const WARNING_TEXT: Record<AuditWarning, string> = {
  single_point: 'the path is a single point',
  no_gripper_event: 'the gripper never opens or closes',
  many_gripper_events: 'the gripper changes more than 4 times',
  repeated_point: 'two consecutive points are identical',
};

export interface SampleAudit {
  skip?: SkipReason;
  warnings: AuditWarning[];
}

export function auditSample(sample: { instruction: string; path: Path | null }): SampleAudit {
  const { path } = sample;
  if (!path) return { skip: 'no_path', warnings: [] };
  if (!Array.isArray(path.points) || path.points.length === 0) return { skip: 'empty_path', warnings: [] };
  const valid = path.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1);
  if (!valid) return { skip: 'invalid_coordinates', warnings: [] };
  if (!sample.instruction.trim()) return { skip: 'no_instruction', warnings: [] };
  const warnings: AuditWarning[] = [];
  if (path.points.length === 1) warnings.push('single_point');
  const changes = gripperChangeIndices(path).length + (path.initialGripper === 'closed' ? 1 : 0);
  if (changes === 0) warnings.push('no_gripper_event');
  if (changes > 4) warnings.push('many_gripper_events');
  if (path.points.some((p, i) => i > 0 && p.x === path.points[i - 1].x && p.y === path.points[i - 1].y)) warnings.push('repeated_point');
  return { warnings };
}
