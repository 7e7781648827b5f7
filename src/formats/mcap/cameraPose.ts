/**
 * A 3×4 projection P = K [R | t] split back into intrinsics K and the camera pose, so an MCAP
 * can carry it the ROS way: `CameraInfo.k` plus a `/tf_static` from the world frame to the
 * camera's optical frame (z forward, x right, y down).
 */
import { quaternionOf, type Rigid } from '../rosbag2/tf';

export interface CameraSplit {
  k: number[];
  /** The camera's optical frame in the world frame. */
  cameraInWorld: Rigid;
}

const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: number[], b: number[], s: number) => a.map((v, i) => v - s * b[i]);

export function splitProjection(p: readonly number[]): CameraSplit {
  if (p.length !== 12) throw new Error(`a projection has 12 numbers, got ${p.length}`);
  const norm = Math.hypot(p[8], p[9], p[10]);
  if (!(norm > 0)) throw new Error('the projection is degenerate (its third row is zero)');
  const P = p.map((v) => v / norm);
  const m1 = [P[0], P[1], P[2]], m2 = [P[4], P[5], P[6]], r3 = [P[8], P[9], P[10]];
  const k23 = dot(m2, r3);
  let v = sub(m2, r3, k23);
  const k22 = Math.hypot(...v);
  const r2 = v.map((x) => x / k22);
  const k13 = dot(m1, r3), k12 = dot(m1, r2);
  v = sub(sub(m1, r2, k12), r3, k13);
  let k11 = Math.hypot(...v);
  let r1 = v.map((x) => x / k11);
  // A right-handed R (det +1); a mirrored P keeps its mirror in fx.
  const det = r1[0] * (r2[1] * r3[2] - r2[2] * r3[1]) - r1[1] * (r2[0] * r3[2] - r2[2] * r3[0]) + r1[2] * (r2[0] * r3[1] - r2[1] * r3[0]);
  if (det < 0) { r1 = r1.map((x) => -x); k11 = -k11; }
  const t3 = P[11], t2 = (P[7] - k23 * t3) / k22, t1 = (P[3] - k12 * t2 - k13 * t3) / k11;
  const R = [...r1, ...r2, ...r3];
  const Rt = [R[0], R[3], R[6], R[1], R[4], R[7], R[2], R[5], R[8]];
  const t = [t1, t2, t3];
  const pos: [number, number, number] = [0, 1, 2].map((i) => -(Rt[i * 3] * t[0] + Rt[i * 3 + 1] * t[1] + Rt[i * 3 + 2] * t[2])) as [number, number, number];
  return { k: [k11, k12, k13, 0, k22, k23, 0, 0, 1], cameraInWorld: { t: pos, q: quaternionOf(Rt) } };
}
