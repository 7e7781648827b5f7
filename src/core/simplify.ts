/**
 * Ramer–Douglas–Peucker simplification of a path in normalized coordinates (docs/PATH_FORMAT.md).
 * ε = 0.05 is HAMSTER's value and leaves 2–5 points for short tasks.
 *
 * The endpoints and every waypoint where the gripper state changes are always kept, so the
 * simplified path opens and closes the gripper at the same places. Distances are measured to the
 * segment, not to the infinite line (as the `rdp` Python package does): a path that reaches out and
 * comes back keeps its turning point.
 */
import { pointToSegmentDistance } from './geometry';
import { gripperChangeIndices, type Path, type Waypoint } from './path';

export const DEFAULT_SIMPLIFY_EPSILON = 0.05;

/** Indices of `points` RDP keeps between `first` and `last` (both kept), iteratively. */
function rdpKeep(points: readonly Waypoint[], first: number, last: number, epsilon: number, keep: boolean[]): void {
  const stack: [number, number][] = [[first, last]];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    let farthest = -1;
    let farthestDistance = epsilon;
    for (let i = from + 1; i < to; i++) {
      const d = pointToSegmentDistance(points[i], points[from], points[to]);
      if (d > farthestDistance) {
        farthest = i;
        farthestDistance = d;
      }
    }
    if (farthest < 0) continue;
    keep[farthest] = true;
    stack.push([from, farthest], [farthest, to]);
  }
}

/** Returns a simplified copy of `path`; points farther than `epsilon` from the simplified line survive. */
export function simplifyPath(path: Path, epsilon = DEFAULT_SIMPLIFY_EPSILON): Path {
  const points = path.points;
  if (points.length <= 2) return { initialGripper: path.initialGripper, points: points.map((p) => ({ ...p })) };
  const keep = points.map(() => false);
  const anchors = [...new Set([0, ...gripperChangeIndices(path), points.length - 1])].sort((a, b) => a - b);
  for (const i of anchors) keep[i] = true;
  for (let k = 1; k < anchors.length; k++) rdpKeep(points, anchors[k - 1], anchors[k], epsilon, keep);
  return { initialGripper: path.initialGripper, points: points.filter((_, i) => keep[i]).map((p) => ({ ...p })) };
}
