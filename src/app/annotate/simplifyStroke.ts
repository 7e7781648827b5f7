import type { Vec } from '../../core/geometry';
import { DEFAULT_SIMPLIFY_EPSILON, simplifyPath } from '../../core/simplify';

/** Freehand strokes become waypoints by core's RDP (docs/PATH_FORMAT.md: ε = 0.05 in normalized units). */
export function simplifyStroke(points: Vec[], epsilon = DEFAULT_SIMPLIFY_EPSILON): Vec[] {
  const stroke = { initialGripper: 'open' as const, points: points.map((p) => ({ x: p.x, y: p.y, gripper: 'open' as const })) };
  return simplifyPath(stroke, epsilon).points.map((p) => ({ x: p.x, y: p.y }));
}
