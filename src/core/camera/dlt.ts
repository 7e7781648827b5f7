/**
 * Camera calibration from clicks (docs/CAMERAS.md): the user clicks the gripper in ≥ 6 frames whose 3D
 * end-effector positions are known; Hartley-normalised direct linear transform estimates the 3×4
 * projection. Errors are reported in pixels, with leave-one-out as the honest one.
 */
import { inv3, matMul, symmetricEigen } from './linalg';
import { normalizeProjection, projectPoint, type Projection, type Vec3 } from './projection';

export interface Correspondence {
  world: Vec3;
  /** Pixel position (OpenCV: pixel centres at integer coordinates). */
  pixel: readonly [number, number];
}

export type DltResult =
  | { ok: true; projection: Projection; rmsPx: number; perPointPx: number[]; leaveOneOutPx: number | null }
  | { ok: false; error: string };

/** Above this reprojection error (px) the studio warns that the calibration does not fit. */
export const DLT_WARN_PX = 3;
export const DLT_MIN_POINTS = 6;

/** Similarity transform moving the points' centroid to 0 and their mean distance to sqrt(dim). */
function normalizer(points: readonly (readonly number[])[], dim: 2 | 3): { t: number[]; scale: number; centroid: number[] } {
  const centroid = Array.from({ length: dim }, (_, d) => points.reduce((s, p) => s + p[d], 0) / points.length);
  const meanDist = points.reduce((s, p) => s + Math.hypot(...p.slice(0, dim).map((x, d) => x - centroid[d])), 0) / points.length;
  const scale = meanDist > 0 ? Math.sqrt(dim) / meanDist : 1;
  const n = dim + 1;
  const t = new Array<number>(n * n).fill(0);
  for (let d = 0; d < dim; d++) {
    t[d * n + d] = scale;
    t[d * n + dim] = -scale * centroid[d];
  }
  t[n * n - 1] = 1;
  return { t, scale, centroid };
}

/** Ratio of the smallest to the largest spread of the 3D points: ~0 when they lie on a plane or line. */
function spreadRatio(points: readonly Vec3[]): number {
  const c = [0, 1, 2].map((d) => points.reduce((s, p) => s + p[d], 0) / points.length);
  const cov = new Array<number>(9).fill(0);
  for (const p of points)
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) cov[i * 3 + j] += (p[i] - c[i]) * (p[j] - c[j]);
  const { values } = symmetricEigen(cov, 3);
  return values[2] > 0 ? Math.sqrt(Math.max(0, values[0]) / values[2]) : 0;
}

function solve(points: readonly Correspondence[]): Projection {
  const n3 = normalizer(points.map((c) => c.world), 3);
  const n2 = normalizer(points.map((c) => c.pixel), 2);
  // AᵀA accumulated directly (12×12): two rows per correspondence.
  const ata = new Array<number>(144).fill(0);
  const add = (row: number[]) => {
    for (let i = 0; i < 12; i++) {
      if (row[i] === 0) continue;
      for (let j = 0; j < 12; j++) ata[i * 12 + j] += row[i] * row[j];
    }
  };
  for (const c of points) {
    const X = matMul(n3.t, [...c.world, 1], 4, 4, 1);
    const x = matMul(n2.t, [...c.pixel, 1], 3, 3, 1);
    const [u, v] = [x[0] / x[2], x[1] / x[2]];
    add([...X, 0, 0, 0, 0, ...X.map((a) => -u * a)]);
    add([0, 0, 0, 0, ...X, ...X.map((a) => -v * a)]);
  }
  const { vectors } = symmetricEigen(ata, 12);
  const pNorm = vectors[0];
  // Undo the normalisation: P = T2⁻¹ · P̃ · T3.
  const p = matMul(matMul(inv3(n2.t), pNorm, 3, 3, 4), n3.t, 3, 4, 4);
  let out = normalizeProjection(p);
  // The sign of a DLT solution is arbitrary: the clicked points are in front of the camera.
  const inFront = points.filter((c) => projectPoint(out, c.world).depth > 0).length;
  if (inFront < points.length / 2) out = out.map((x) => -x);
  return out;
}

function reprojectionError(p: Projection, c: Correspondence): number {
  const q = projectPoint(p, c.world);
  return Math.hypot(q.u - c.pixel[0], q.v - c.pixel[1]);
}

/**
 * Estimates P from ≥ 6 correspondences whose 3D points are not coplanar. Leave-one-out error
 * (each point predicted by a fit on the others) needs ≥ 7 points; it is null below that.
 */
export function estimateProjection(points: readonly Correspondence[]): DltResult {
  if (points.length < DLT_MIN_POINTS) return { ok: false, error: `Click the gripper in at least ${DLT_MIN_POINTS} frames (${points.length} so far).` };
  if (points.some((c) => ![...c.world, ...c.pixel].every(Number.isFinite))) return { ok: false, error: 'Some clicked frames have no end-effector position (NaN).' };
  if (spreadRatio(points.map((c) => c.world)) < 1e-3)
    return { ok: false, error: 'The clicked frames have the end effector on (nearly) one plane or line: pick frames where it is at different heights and depths.' };
  const projection = solve(points);
  const perPointPx = points.map((c) => reprojectionError(projection, c));
  const rmsPx = Math.sqrt(perPointPx.reduce((s, e) => s + e * e, 0) / perPointPx.length);
  let leaveOneOutPx: number | null = null;
  if (points.length > DLT_MIN_POINTS) {
    let sum = 0;
    for (let i = 0; i < points.length; i++) {
      const others = points.filter((_, j) => j !== i);
      sum += reprojectionError(solve(others), points[i]) ** 2;
    }
    leaveOneOutPx = Math.sqrt(sum / points.length);
  }
  return { ok: true, projection, rmsPx, perPointPx, leaveOneOutPx };
}
