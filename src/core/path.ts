/**
 * The 2D gripper path (docs/PATH_FORMAT.md): waypoints in normalized image coordinates
 * (x right, y down, both in [0, 1] of the full image), each carrying the gripper
 * state *after* the point is reached.
 */
export type GripperState = 'open' | 'closed';

export interface Waypoint {
  x: number;
  y: number;
  /** Gripper state after this waypoint is reached. */
  gripper: GripperState;
}

export interface Path {
  /** Gripper state before the first waypoint (docs/PATH_FORMAT.md: `open` unless the path says otherwise). */
  initialGripper: GripperState;
  points: Waypoint[];
}

export const emptyPath = (): Path => ({ initialGripper: 'open', points: [] });

/** Indices of waypoints where the gripper state differs from the state before them. */
export function gripperChangeIndices(path: Path): number[] {
  const changes: number[] = [];
  let before = path.initialGripper;
  path.points.forEach((p, i) => {
    if (p.gripper !== before) changes.push(i);
    before = p.gripper;
  });
  return changes;
}

export function isNormalized(path: Path): boolean {
  return path.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && p.x >= 0 && p.x <= 1 && p.y >= 0 && p.y <= 1);
}
