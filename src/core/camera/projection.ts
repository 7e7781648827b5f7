/**
 * Pinhole projection (docs/CAMERAS.md): OpenCV convention, x right, y down, z forward; `P = K [R | t]`
 * maps world points (robot base frame) to pixels. Pixel centres sit at integer coordinates, so
 * normalised path coordinates are `(u + 0.5) / width`, `(v + 0.5) / height`.
 */
import { matMul } from './linalg';

import type { Vec3 } from '../vec3';

export type { Vec3 };

/** 3×4 projection matrix, row-major (12 numbers). */
export type Projection = number[];

export interface ProjectedPoint {
  u: number;
  v: number;
  /** Depth along the optical axis (positive in front of the camera). */
  depth: number;
}

/** Accepts a row-major 4×4 either flat (16 numbers) or nested ([[...], ...]). */
export function flattenMatrix(m: readonly number[] | readonly (readonly number[])[]): number[] {
  return (m as readonly unknown[]).flat(1) as number[];
}

/** P = K [R | t] from intrinsics K (3×3) and a world-to-camera 4×4 (OpenCV optical frame). */
export function projectionFromIntrinsics(k: readonly number[] | readonly (readonly number[])[], worldToCamera: readonly number[] | readonly (readonly number[])[]): Projection {
  const K = flattenMatrix(k);
  const T = flattenMatrix(worldToCamera);
  if (K.length !== 9) throw new Error(`K must be 3×3, got ${K.length} numbers`);
  if (T.length !== 16) throw new Error(`the extrinsics must be 4×4, got ${T.length} numbers`);
  return matMul(K, T.slice(0, 12), 3, 3, 4);
}

/** MuJoCo / three.js / OpenGL camera (looking along −z, y up) to the OpenCV optical frame. */
export function openGlToOpenCv(cameraToWorldGl: readonly number[]): number[] {
  const m = [...cameraToWorldGl];
  // Right-multiplying by diag(1, −1, −1, 1) flips the camera's y and z axes.
  for (let r = 0; r < 4; r++) {
    m[r * 4 + 1] = -m[r * 4 + 1];
    m[r * 4 + 2] = -m[r * 4 + 2];
  }
  return m;
}

/** Inverse of a rigid 4×4 transform (rotation + translation), row-major. */
export function invertRigid(t: readonly number[]): number[] {
  const r = [t[0], t[4], t[8], t[1], t[5], t[9], t[2], t[6], t[10]];
  const p = [t[3], t[7], t[11]];
  const q = [0, 1, 2].map((i) => -(r[i * 3] * p[0] + r[i * 3 + 1] * p[1] + r[i * 3 + 2] * p[2]));
  return [r[0], r[1], r[2], q[0], r[3], r[4], r[5], q[1], r[6], r[7], r[8], q[2], 0, 0, 0, 1];
}

/**
 * Scales P so that the third row's rotation part has unit norm: then the homogeneous w of a
 * projected point is its depth in metres, and `w > 0` means "in front". The sign is kept (it is
 * what says which side is the front); DLT picks it from its own points.
 */
export function normalizeProjection(p: readonly number[]): Projection {
  const n = Math.hypot(p[8], p[9], p[10]);
  if (!(n > 0)) throw new Error('the projection has no depth row');
  return p.map((x) => x / n);
}

/** Projects one world point. `depth <= 0` means the point is behind the camera. */
export function projectPoint(p: readonly number[], x: Readonly<Vec3>): ProjectedPoint {
  const w = p[8] * x[0] + p[9] * x[1] + p[10] * x[2] + p[11];
  const u = (p[0] * x[0] + p[1] * x[1] + p[2] * x[2] + p[3]) / w;
  const v = (p[4] * x[0] + p[5] * x[1] + p[6] * x[2] + p[7]) / w;
  return { u, v, depth: w };
}

export interface ProjectedTrack {
  /** Pixel positions, one per input point. */
  pixels: { u: number; v: number }[];
  /** Normalised image coordinates (docs/PATH_FORMAT.md), one per input point. */
  normalized: { x: number; y: number }[];
  /** Indices of points behind the camera (depth ≤ 0): a wrong calibration or extrinsics convention. */
  behind: number[];
  /** Indices of points in front of the camera but outside the image. */
  outside: number[];
}

/** Projects a 3D track into an image of the given size, flagging points behind or outside. */
export function projectTrack(p: readonly number[], points: readonly Readonly<Vec3>[], width: number, height: number): ProjectedTrack {
  const pn = normalizeProjection(p);
  const pixels: ProjectedTrack['pixels'] = [];
  const normalized: ProjectedTrack['normalized'] = [];
  const behind: number[] = [];
  const outside: number[] = [];
  points.forEach((x, i) => {
    const q = projectPoint(pn, x);
    pixels.push({ u: q.u, v: q.v });
    normalized.push({ x: (q.u + 0.5) / width, y: (q.v + 0.5) / height });
    if (!(q.depth > 0)) behind.push(i);
    else if (!(q.u >= -0.5 && q.u <= width - 0.5 && q.v >= -0.5 && q.v <= height - 0.5)) outside.push(i);
  });
  return { pixels, normalized, behind, outside };
}

/** Error messages the importer shows when a calibration does not fit its data. */
export function describeBehindCamera(behind: number, total: number, what: string): string {
  return `${what}: ${behind} of ${total} end-effector points project behind the camera (depth ≤ 0). ` +
    'The extrinsics are probably camera-to-world where world-to-camera is expected (or the other way round), or an OpenGL/MuJoCo camera ' +
    '(looking along −z) was not converted to the OpenCV frame with diag(1, −1, −1); check the calibration.';
}
