import type { GripperState, Path, Waypoint } from '../core/path';
import type { Vec } from '../core/geometry';

/**
 * Pure path edits. Each waypoint carries the gripper state *after* it (docs/PATH_FORMAT.md); a
 * "gripper event" is a waypoint whose state differs from the state before it.
 */

const flip = (s: GripperState): GripperState => (s === 'open' ? 'closed' : 'open');

/** State of the gripper while travelling to point `index` (the state after the previous point). */
export function gripperBefore(path: Path, index: number): GripperState {
  return index <= 0 ? path.initialGripper : path.points[index - 1].gripper;
}

export const gripperAtEnd = (path: Path): GripperState => gripperBefore(path, path.points.length);

export function isGripperEvent(path: Path, index: number): boolean {
  return path.points[index] !== undefined && path.points[index].gripper !== gripperBefore(path, index);
}

export function appendPoints(path: Path, points: Vec[]): Path {
  const gripper = gripperAtEnd(path);
  return { ...path, points: [...path.points, ...points.map((p) => ({ x: p.x, y: p.y, gripper }))] };
}

/** Inserts a point so that it becomes `index`; it travels with the gripper state of the segment it splits. */
export function insertPoint(path: Path, index: number, at: Vec): Path {
  const gripper = gripperBefore(path, index);
  const points = [...path.points];
  points.splice(index, 0, { x: at.x, y: at.y, gripper });
  return { ...path, points };
}

export function movePoint(path: Path, index: number, to: Vec): Path {
  const old = path.points[index];
  if (!old || (old.x === to.x && old.y === to.y)) return path;
  const points = [...path.points];
  points[index] = { ...old, x: to.x, y: to.y };
  return { ...path, points };
}

/** Removes a point; the others keep their states, so an event on the removed point moves to the next one. */
export function removePoint(path: Path, index: number): Path {
  if (index < 0 || index >= path.points.length) return path;
  return { ...path, points: path.points.filter((_, i) => i !== index) };
}

/**
 * Flips what the gripper does from `index` until the next event: on a plain point this adds an
 * event ("close here", or "open here" inside a closed stretch); on an event it removes it, and
 * a following event that no longer changes anything disappears with it.
 */
export function toggleGripperEvent(path: Path, index: number): Path {
  if (index < 0 || index >= path.points.length) return path;
  let end = index + 1;
  while (end < path.points.length && !isGripperEvent(path, end)) end++;
  const points: Waypoint[] = path.points.map((p, i) => (i >= index && i < end ? { ...p, gripper: flip(p.gripper) } : p));
  return { ...path, points };
}

/** Rounds to a grid of `step` in normalized units (0.01 = what the 2-decimal codec keeps). */
export function snapToGrid(p: Vec, step: number): Vec {
  // Dividing by the integer count per unit keeps 0.35 exact (0.35 = 35 / 100, not 35 * 0.01).
  const perUnit = Math.round(1 / step);
  return { x: Math.round(p.x * perUnit) / perUnit, y: Math.round(p.y * perUnit) / perUnit };
}
