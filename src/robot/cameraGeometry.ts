/**
 * Camera geometry from what a ROS robot publishes: `/tf_static` (base → camera optical frame) and
 * CameraInfo's K. Projects the end effector into the image (a teleop episode's path) and lifts
 * image points back into 3D with a depth image (the 3D view's path).
 */
import { projectTrack, projectionFromIntrinsics, invertRigid } from '../core/camera';
import { simplifyPath } from '../core/simplify';
import type { Path, Waypoint } from '../core/path';
import type { FrameTransform, Quat, Vec3 } from './types';

/** Row-major 3×3 rotation from a ROS quaternion (x, y, z, w). */
export function quatToMat3([x, y, z, w]: Quat): number[] {
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  ];
}

/** Row-major 4×4 parent ← child (the transform as TF publishes it). */
export function transformToMat4(t: FrameTransform): number[] {
  const r = quatToMat3(t.rotation), p = t.translation;
  return [r[0], r[1], r[2], p[0], r[3], r[4], r[5], p[1], r[6], r[7], r[8], p[2], 0, 0, 0, 1];
}

/** world (base) → camera, from the base → camera transform. */
export function worldToCamera(cameraInBase: FrameTransform): number[] {
  return invertRigid(transformToMat4(cameraInBase));
}

export const rows = (m: number[], n: number): number[][] => Array.from({ length: m.length / n }, (_, i) => m.slice(i * n, i * n + n));

/**
 * The path a recorded episode followed, as seen by the camera: the end effector projected into
 * the image, gripper from the commanded gripper, simplified with RDP (docs/PATH_FORMAT.md).
 */
export function projectEpisodePath(eePositions: Vec3[], gripperCommands: number[], k: number[], w2c: number[], width: number, height: number): Path | null {
  if (eePositions.length < 2) return null;
  const track = projectTrack(projectionFromIntrinsics(k, w2c), eePositions, width, height);
  if (track.behind.length) return null;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  const points: Waypoint[] = track.normalized.map((p, i) => ({ x: clamp(p.x), y: clamp(p.y), gripper: gripperCommands[i] > 0.5 ? 'closed' : 'open' }));
  return simplifyPath({ initialGripper: 'open', points });
}

/** Image point (normalised) + depth (m along the optical axis) → point in the base frame. */
export function liftPoint(x: number, y: number, depth: number, k: number[], cameraInBase: FrameTransform, width: number, height: number): Vec3 {
  const u = x * width - 0.5, v = y * height - 0.5;
  const c: Vec3 = [((u - k[2]) / k[0]) * depth, ((v - k[5]) / k[4]) * depth, depth];
  const m = transformToMat4(cameraInBase);
  return [
    m[0] * c[0] + m[1] * c[1] + m[2] * c[2] + m[3],
    m[4] * c[0] + m[5] * c[1] + m[6] * c[2] + m[7],
    m[8] * c[0] + m[9] * c[1] + m[10] * c[2] + m[11],
  ];
}

/** Depth at a normalised image point: the nearest valid value in a small window (0 = unknown). */
export function depthAt(depth: Float32Array, width: number, height: number, x: number, y: number, radius = 2): number {
  const cu = Math.min(width - 1, Math.max(0, Math.floor(x * width))), cv = Math.min(height - 1, Math.max(0, Math.floor(y * height)));
  let best = 0;
  for (let dv = -radius; dv <= radius; dv++) {
    for (let du = -radius; du <= radius; du++) {
      const u = cu + du, v = cv + dv;
      if (u < 0 || v < 0 || u >= width || v >= height) continue;
      const d = depth[v * width + u];
      if (d > 0 && (best === 0 || d < best)) best = d;
    }
  }
  return best;
}
