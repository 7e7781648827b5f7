/** Small 2D helpers shared by simplification, resampling, metrics, the editor's view transform, hit-testing and tools. */

export interface Vec {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export function distance(a: Vec, b: Vec): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Closest point to `p` on segment a–b, with its parameter t in [0, 1]. */
export function projectOnSegment(p: Vec, a: Vec, b: Vec): { point: Vec; t: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared, 0, 1);
  return { point: { x: a.x + t * dx, y: a.y + t * dy }, t };
}

/** Distance from `p` to the segment `a`–`b` (to `a` itself when the segment is a point). */
export function pointToSegmentDistance(p: Vec, a: Vec, b: Vec): number {
  return distance(p, projectOnSegment(p, a, b).point);
}

/** Total length of the polyline through `points`. */
export function polylineLength(points: readonly Vec[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += distance(points[i - 1], points[i]);
  return total;
}
