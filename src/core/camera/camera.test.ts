import { describe, expect, it } from 'vitest';
import { estimateProjection, type Correspondence } from './dlt';
import { invertRigid, normalizeProjection, projectPoint, projectTrack, projectionFromIntrinsics, type Vec3 } from './projection';

/** A camera at `eye` looking at `target` (world z up), as world-to-camera 4×4 in the OpenCV frame. */
function lookAt(eye: Vec3, target: Vec3): number[] {
  const f = target.map((t, i) => t - eye[i]);
  const fn = Math.hypot(...f);
  const z = f.map((x) => x / fn);
  // x = z × up(0,0,1) points right; y = z × x points down.
  let x = [z[1], -z[0], 0];
  const xn = Math.hypot(...x);
  x = x.map((v) => v / xn);
  const y = [z[1] * x[2] - z[2] * x[1], z[2] * x[0] - z[0] * x[2], z[0] * x[1] - z[1] * x[0]];
  const camToWorld = [x[0], y[0], z[0], eye[0], x[1], y[1], z[1], eye[1], x[2], y[2], z[2], eye[2], 0, 0, 0, 1];
  return invertRigid(camToWorld);
}

const K = [[220, 0, 127.5], [0, 220, 127.5], [0, 0, 1]];
const T = lookAt([1.1, -0.5, 0.62], [0.42, 0, 0.08]);
const P = projectionFromIntrinsics(K, T);

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('projection', () => {
  it('projects the look-at target to the principal point, in front of the camera', () => {
    const q = projectPoint(P, [0.42, 0, 0.08]);
    expect(q.u).toBeCloseTo(127.5, 9);
    expect(q.v).toBeCloseTo(127.5, 9);
    expect(q.depth).toBeGreaterThan(0);
  });

  it('puts a higher point higher in the image (v down) and keeps depth in metres after normalising', () => {
    const low = projectPoint(P, [0.42, 0, 0.08]);
    const high = projectPoint(P, [0.42, 0, 0.3]);
    expect(high.v).toBeLessThan(low.v);
    const pn = normalizeProjection(P.map((x) => x * 7));
    const eyeDist = Math.hypot(1.1 - 0.42, -0.5, 0.62 - 0.08);
    expect(projectPoint(pn, [0.42, 0, 0.08]).depth).toBeCloseTo(eyeDist, 9);
  });

  it('flags points behind the camera and outside the image', () => {
    const behindEye: Vec3 = [1.1 + 0.68, -0.5 - 0.5, 0.62 + 0.54];
    const track = projectTrack(P, [[0.4, 0, 0.1], behindEye, [0.42, 3, 0.08]], 256, 256);
    expect(track.behind).toEqual([1]);
    expect(track.outside).toEqual([2]);
    expect(track.normalized[0].x).toBeCloseTo((track.pixels[0].u + 0.5) / 256, 12);
  });
});

describe('DLT (Hartley-normalised)', () => {
  const rand = lcg(3);
  const world: Vec3[] = Array.from({ length: 10 }, () => [0.3 + 0.35 * rand(), -0.3 + 0.6 * rand(), 0.07 + 0.4 * rand()] as Vec3);
  const exact: Correspondence[] = world.map((w) => {
    const q = projectPoint(P, w);
    return { world: w, pixel: [q.u, q.v] };
  });

  it('recovers the projection exactly from noise-free clicks', () => {
    const r = estimateProjection(exact);
    if (!r.ok) throw new Error(r.error);
    expect(r.rmsPx).toBeLessThan(1e-6);
    expect(r.leaveOneOutPx).toBeLessThan(1e-6);
    const test: Vec3 = [0.55, 0.2, 0.33];
    const a = projectPoint(P, test), b = projectPoint(r.projection, test);
    expect(Math.hypot(a.u - b.u, a.v - b.v)).toBeLessThan(1e-6);
    expect(b.depth).toBeGreaterThan(0);
  });

  it('stays within ~1 px with 0.7 px click noise, and leave-one-out is the larger error', () => {
    const noise = lcg(9);
    const noisy = exact.map((c) => ({ world: c.world, pixel: [c.pixel[0] + (noise() - 0.5) * 1.4, c.pixel[1] + (noise() - 0.5) * 1.4] as const }));
    const r = estimateProjection(noisy);
    if (!r.ok) throw new Error(r.error);
    expect(r.rmsPx).toBeLessThan(1);
    expect(r.leaveOneOutPx!).toBeGreaterThan(r.rmsPx);
    expect(r.leaveOneOutPx!).toBeLessThan(2);
  });

  it('refuses fewer than six clicks and coplanar points with a clear message', () => {
    const few = estimateProjection(exact.slice(0, 5));
    expect(few.ok).toBe(false);
    if (!few.ok) expect(few.error).toMatch(/at least 6/);
    const flat = exact.map((c) => ({ ...c, world: [c.world[0], c.world[1], 0.1] as Vec3 }));
    const r = estimateProjection(flat);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/plane/);
  });

  it('gives no leave-one-out figure with exactly six clicks', () => {
    const r = estimateProjection(exact.slice(0, 6));
    expect(r.ok && r.leaveOneOutPx).toBe(null);
  });
});
