import { describe, expect, it } from 'vitest';
import { pointToSegmentDistance } from '../../../src/core/geometry.ts';
import { gripperChangeIndices, type Path } from '../../../src/core/path.ts';
import { SKETCH_AMPLITUDE_PX, SKETCH_EPSILON, sketchPath } from './sketch.ts';

const SIZE = 256;

/** A pick-and-place-like stroke, one point per frame: down to the object, close, over and down, open, up. */
function densePickPath(): Path {
  const points: Path['points'] = [];
  const leg = (x0: number, y0: number, x1: number, y1: number, n: number, closed: boolean) => {
    for (let i = 1; i <= n; i++) points.push({ x: x0 + ((x1 - x0) * i) / n, y: y0 + ((y1 - y0) * i) / n + 0.02 * Math.sin((Math.PI * i) / n), gripper: closed ? 'closed' : 'open' });
  };
  points.push({ x: 0.5, y: 0.3, gripper: 'open' });
  leg(0.5, 0.3, 0.35, 0.6, 15, false);
  points[points.length - 1].gripper = 'closed';
  leg(0.35, 0.6, 0.7, 0.55, 20, true);
  points[points.length - 1].gripper = 'open';
  leg(0.7, 0.55, 0.68, 0.35, 10, false);
  return { initialGripper: 'open', points };
}

const events = (p: Path) => gripperChangeIndices(p).map((i) => p.points[i].gripper);

/** Pixel distance from (x, y) to the polyline of `path` (normalized coordinates on a SIZE² image). */
function pixelsToPath(x: number, y: number, path: Path): number {
  const px = (q: { x: number; y: number }) => ({ x: q.x * SIZE, y: q.y * SIZE });
  let best = Infinity;
  for (let i = 1; i < path.points.length; i++) best = Math.min(best, pointToSegmentDistance(px({ x, y }), px(path.points[i - 1]), px(path.points[i])));
  return best;
}

describe('sketchPath', () => {
  const expert = densePickPath();

  it('keeps 3–8 points and the expert’s gripper events', () => {
    for (let seed = 0; seed < 20; seed++) {
      const sketch = sketchPath(expert, seed, { width: SIZE, height: SIZE });
      expect(sketch.points.length).toBeGreaterThanOrEqual(3);
      expect(sketch.points.length).toBeLessThanOrEqual(8);
      expect(sketch.points.length).toBeLessThan(expert.points.length);
      expect(events(sketch)).toEqual(['closed', 'open']);
      expect(sketch.initialGripper).toBe(expert.initialGripper);
    }
  });

  it('stays within a few pixels of the expert path', () => {
    let largestWobble = 0;
    for (let seed = 0; seed < 20; seed++) {
      const sketch = sketchPath(expert, seed, { width: SIZE, height: SIZE });
      // Its points: within the wobble's amplitude. Along its segments: plus RDP's ε.
      for (const p of sketch.points) {
        const d = pixelsToPath(p.x, p.y, expert);
        largestWobble = Math.max(largestWobble, d);
        expect(d).toBeLessThanOrEqual(SKETCH_AMPLITUDE_PX + 1e-9);
      }
      for (let i = 1; i < sketch.points.length; i++) {
        const a = sketch.points[i - 1], b = sketch.points[i];
        for (let t = 0; t <= 1; t += 0.05) {
          expect(pixelsToPath(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y), expert)).toBeLessThanOrEqual(SKETCH_AMPLITUDE_PX + SKETCH_EPSILON * SIZE);
        }
      }
    }
    // It does wobble: a sketch is not the expert's points.
    expect(largestWobble).toBeGreaterThan(0.5);
  });

  it('is deterministic per seed and differs between seeds', () => {
    const a = sketchPath(expert, 7, { width: SIZE, height: SIZE });
    expect(sketchPath(expert, 7, { width: SIZE, height: SIZE })).toEqual(a);
    expect(sketchPath(expert, 8, { width: SIZE, height: SIZE })).not.toEqual(a);
  });

  it('stays inside the image next to its border', () => {
    const edge: Path = { initialGripper: 'open', points: Array.from({ length: 30 }, (_, i) => ({ x: 0.5 / SIZE, y: i / 29, gripper: 'open' as const })) };
    for (let seed = 0; seed < 10; seed++) {
      for (const p of sketchPath(edge, seed, { width: SIZE, height: SIZE }).points) {
        expect(p.x).toBeGreaterThanOrEqual(0);
        expect(p.x).toBeLessThanOrEqual(1);
        expect(p.y).toBeGreaterThanOrEqual(0);
        expect(p.y).toBeLessThanOrEqual(1);
      }
    }
  });
});
