/**
 * One segment of an episode → one path (docs/PATH_FORMAT.md): the projected end effector from the segment's
 * first to last frame, gripper state per point, simplified with RDP (gripper changes kept).
 */
import type { GripperState, Path } from '../../core/path';
import { simplifyPath } from '../../core/simplify';
import type { Segment } from './segments';

export interface PathFromTrackOptions {
  epsilon?: number;
  /** Skip simplification (keep every frame's point). */
  raw?: boolean;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * `normalized[i]` is frame i's end effector in normalised image coordinates, `states[i]` the gripper
 * during frame i. Points outside the image are clamped to its border (the path contract is [0, 1]).
 */
export function pathForSegment(normalized: readonly { x: number; y: number }[], states: readonly GripperState[], segment: Segment, opts: PathFromTrackOptions = {}): Path {
  const points = [];
  for (let i = segment.start; i <= segment.end; i++) {
    // The state after reaching point i is the state during the next frame (or the last one).
    const after = states[Math.min(i + 1, segment.end)] ?? 'open';
    points.push({ x: clamp01(normalized[i].x), y: clamp01(normalized[i].y), gripper: after });
  }
  const path: Path = { initialGripper: states[segment.start] ?? 'open', points };
  return opts.raw ? path : simplifyPath(path, opts.epsilon);
}
