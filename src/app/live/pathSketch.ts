/**
 * Editing a path on the live image: a drag sketches a new path (simplified with RDP, as HAMSTER's
 * paths are), dragging a waypoint moves it, clicking a waypoint toggles the gripper from there on.
 * Pure functions over normalised coordinates; the camera view does the pointer plumbing.
 */
import type { GripperState, Path } from '../../core/path';
import { simplifyPath } from '../../core/simplify';

/** A freehand stroke → a path of a few waypoints, gripper open throughout. */
export function strokeToPath(stroke: { x: number; y: number }[], epsilon = 0.03): Path | null {
  if (stroke.length < 2) return null;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const path: Path = { initialGripper: 'open', points: stroke.map((p) => ({ x: clamp(p.x), y: clamp(p.y), gripper: 'open' as GripperState })) };
  const simplified = simplifyPath(path, epsilon);
  return simplified.points.length >= 2 ? simplified : null;
}

/** Flips the gripper at waypoint `i` and for the following points that shared its old state. */
export function toggleGripperAt(path: Path, i: number): Path {
  const points = path.points.map((p) => ({ ...p }));
  const old = points[i].gripper;
  const next: GripperState = old === 'open' ? 'closed' : 'open';
  for (let j = i; j < points.length && points[j].gripper === old; j++) points[j].gripper = next;
  return { ...path, points };
}

export function moveWaypoint(path: Path, i: number, x: number, y: number): Path {
  const points = path.points.map((p, j) => (j === i ? { ...p, x: Math.min(1, Math.max(0, x)), y: Math.min(1, Math.max(0, y)) } : p));
  return { ...path, points };
}

/** Index of the waypoint within `radius` (normalised units, per axis scale) of (x, y), or -1. */
export function hitWaypoint(path: Path | null, x: number, y: number, radius: number): number {
  if (!path) return -1;
  let best = -1, bestD = radius;
  path.points.forEach((p, i) => {
    const d = Math.hypot(p.x - x, p.y - y);
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  });
  return best;
}
