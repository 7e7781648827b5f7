/**
 * Small linear-algebra helpers on plain arrays. Matrices are row-major 3×3 (length 9),
 * the same layout MuJoCo uses for xmat. Quaternions are MuJoCo-style [w, x, y, z]
 * unless a name says `Xyzw` (ROS order).
 */
export type Vec3 = [number, number, number];
export type Mat3 = number[]; // row-major, length 9
export type QuatWxyz = [number, number, number, number];

export const add = (a: readonly number[], b: readonly number[]): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: readonly number[], b: readonly number[]): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: readonly number[], s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const dot = (a: readonly number[], b: readonly number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: readonly number[], b: readonly number[]): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
export const norm = (a: readonly number[]): number => Math.hypot(a[0], a[1], a[2]);
export const normalize = (a: readonly number[]): Vec3 => {
  const n = norm(a) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
};

export function matVec(m: readonly number[], v: readonly number[]): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

export function matMul(a: readonly number[], b: readonly number[]): Mat3 {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
    }
  }
  return out;
}

export function transpose(m: readonly number[]): Mat3 {
  return [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]];
}

export function matToQuat(m: readonly number[]): QuatWxyz {
  const tr = m[0] + m[4] + m[8];
  let w: number, x: number, y: number, z: number;
  if (tr > 0) {
    const s = Math.sqrt(tr + 1) * 2;
    w = 0.25 * s; x = (m[7] - m[5]) / s; y = (m[2] - m[6]) / s; z = (m[3] - m[1]) / s;
  } else if (m[0] > m[4] && m[0] > m[8]) {
    const s = Math.sqrt(1 + m[0] - m[4] - m[8]) * 2;
    w = (m[7] - m[5]) / s; x = 0.25 * s; y = (m[1] + m[3]) / s; z = (m[2] + m[6]) / s;
  } else if (m[4] > m[8]) {
    const s = Math.sqrt(1 + m[4] - m[0] - m[8]) * 2;
    w = (m[2] - m[6]) / s; x = (m[1] + m[3]) / s; y = 0.25 * s; z = (m[5] + m[7]) / s;
  } else {
    const s = Math.sqrt(1 + m[8] - m[0] - m[4]) * 2;
    w = (m[3] - m[1]) / s; x = (m[2] + m[6]) / s; y = (m[5] + m[7]) / s; z = 0.25 * s;
  }
  const n = Math.hypot(w, x, y, z);
  return w < 0 ? [-w / n, -x / n, -y / n, -z / n] : [w / n, x / n, y / n, z / n];
}

export function quatToMat(q: readonly number[]): Mat3 {
  const [w, x, y, z] = q;
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

/** Rotation vector (axis × angle) of R, used as the orientation error log(R). */
export function rotationVector(m: readonly number[]): Vec3 {
  const cosA = Math.min(1, Math.max(-1, (m[0] + m[4] + m[8] - 1) / 2));
  const angle = Math.acos(cosA);
  const v: Vec3 = [m[7] - m[5], m[2] - m[6], m[3] - m[1]];
  if (angle < 1e-6) return [v[0] / 2, v[1] / 2, v[2] / 2];
  if (Math.PI - angle < 1e-4) {
    // Near 180°: take the axis from the diagonal.
    const ax = normalize([Math.sqrt(Math.max(0, (m[0] + 1) / 2)), Math.sqrt(Math.max(0, (m[4] + 1) / 2)) * Math.sign(m[1] || 1), Math.sqrt(Math.max(0, (m[8] + 1) / 2)) * Math.sign(m[2] || 1)]);
    return scale(ax, angle);
  }
  return scale(v, angle / (2 * Math.sin(angle)));
}

/** A camera/look-at rotation: rows are the OpenCV camera axes (x right, y down, z forward) in world. */
export function lookAtOpenCv(eye: readonly number[], target: readonly number[], worldUp: readonly number[] = [0, 0, 1]): Mat3 {
  const z = normalize(sub(target, eye));
  const x = normalize(cross(z, worldUp));
  const y = cross(z, x);
  return [...x, ...y, ...z];
}

/** Solves the small dense system A x = b (n×n, row-major) by Gaussian elimination with pivoting. */
export function solveLinear(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) pivot = r;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) { const t = m[col * n + c]; m[col * n + c] = m[pivot * n + c]; m[pivot * n + c] = t; }
      const t = x[col]; x[col] = x[pivot]; x[pivot] = t;
    }
    const d = m[col * n + col];
    for (let r = col + 1; r < n; r++) {
      const f = m[r * n + col] / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) m[r * n + c] -= f * m[col * n + c];
      x[r] -= f * x[col];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let c = r + 1; c < n; c++) s -= m[r * n + c] * x[c];
    x[r] = s / m[r * n + r];
  }
  return x;
}
