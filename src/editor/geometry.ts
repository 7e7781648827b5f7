/** Small 2D helpers shared by the view transform, hit-testing and tools. */
export interface Vec {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const distance = (a: Vec, b: Vec): number => Math.hypot(a.x - b.x, a.y - b.y);

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Closest point to `p` on segment a–b, with its parameter t in [0, 1]. */
export function projectOnSegment(p: Vec, a: Vec, b: Vec): { point: Vec; t: number } {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared, 0, 1);
  return { point: { x: a.x + t * dx, y: a.y + t * dy }, t };
}
