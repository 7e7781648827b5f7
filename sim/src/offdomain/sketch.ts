/**
 * A "sketch" of an expert path: what a person drawing the path by hand gives — a smooth,
 * low-frequency wobble of a few pixels along the stroke, and only a handful of clicked points
 * (RDP-simplified to 3–8). The gripper events stay where they were: simplification keeps every
 * point where the gripper changes, and the wobble moves points, never states.
 */
import type { Path } from '../../../src/core/path.ts';
import { simplifyPath } from '../../../src/core/simplify.ts';
import { Rng } from '../scene/rng.ts';

export interface SketchOptions {
  /** Image size in pixels (the path is normalized to it). */
  width: number;
  height: number;
  /** Largest wobble, pixels. */
  amplitudePx?: number;
  /** RDP ε to start from (normalized); adjusted until the sketch has minPoints…maxPoints. */
  epsilon?: number;
  minPoints?: number;
  maxPoints?: number;
}

export const SKETCH_AMPLITUDE_PX = 3;
export const SKETCH_EPSILON = 0.04;
/** Waves per axis in the wobble; each spans 0.4–1.6 cycles over the whole stroke. */
const WAVES = 3;
const SKETCH_SALT = 0x5e7c4;

/**
 * The sketch of `path` (normalized, dense: e.g. one point per frame), seeded. Every point of the
 * result lies within `amplitudePx` of a point of `path`; the sketch has `minPoints`…`maxPoints`
 * points unless the gripper changes more often than that allows (those points are always kept).
 */
export function sketchPath(path: Path, seed: number, options: SketchOptions): Path {
  const { width: W, height: H } = options;
  const amplitude = options.amplitudePx ?? SKETCH_AMPLITUDE_PX;
  const minPoints = options.minPoints ?? 3, maxPoints = options.maxPoints ?? 8;
  const rng = new Rng((seed ^ SKETCH_SALT) >>> 0);
  const pts = path.points;
  // Arc length in pixels: the wobble is a function of how far along the stroke the pen is.
  const along = [0];
  for (let i = 1; i < pts.length; i++) along.push(along[i - 1] + Math.hypot((pts[i].x - pts[i - 1].x) * W, (pts[i].y - pts[i - 1].y) * H));
  const length = along[along.length - 1] || 1;
  // Per axis: Σ wₖ sin(2π fₖ s/L + φₖ) with Σ wₖ = 1, scaled so |(dx, dy)| ≤ amplitude.
  const strength = amplitude * rng.uniform(0.6, 1) / Math.SQRT2;
  const axis = () => {
    const waves = Array.from({ length: WAVES }, () => ({ w: rng.uniform(0.2, 1), f: rng.uniform(0.4, 1.6), phase: rng.uniform(0, 2 * Math.PI) }));
    const sum = waves.reduce((a, w) => a + w.w, 0);
    return (s: number) => (strength / sum) * waves.reduce((a, w) => a + w.w * Math.sin((2 * Math.PI * w.f * s) / length + w.phase), 0);
  };
  const wobbleX = axis(), wobbleY = axis();
  const clamp = (v: number, size: number) => Math.min((size - 0.5) / size, Math.max(0.5 / size, v));
  const wobbled: Path = {
    initialGripper: path.initialGripper,
    points: pts.map((p, i) => ({ x: clamp(p.x + wobbleX(along[i]) / W, W), y: clamp(p.y + wobbleY(along[i]) / H, H), gripper: p.gripper })),
  };
  let epsilon = options.epsilon ?? SKETCH_EPSILON;
  let sketch = simplifyPath(wobbled, epsilon);
  while (sketch.points.length > maxPoints && epsilon < 1) sketch = simplifyPath(wobbled, (epsilon *= 1.25));
  while (sketch.points.length < minPoints && epsilon > 1e-4) sketch = simplifyPath(wobbled, (epsilon /= 1.25));
  return sketch;
}
