import { describe, expect, it } from 'vitest';
import { invertRigid, projectionFromIntrinsics } from '../../core/camera/projection';
import { cameraPoseFromProjection } from './cameraPose';

/** A camera 0.6 m above and 0.5 m in front of the base, looking down at it (rotation about x, then z). */
function worldToCamera(): number[] {
  const a = 2.3, b = 0.4;
  const rx = [1, 0, 0, 0, Math.cos(a), -Math.sin(a), 0, Math.sin(a), Math.cos(a)];
  const rz = [Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b), 0, 0, 0, 1];
  const r = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => rx[i * 3] * rz[j] + rx[i * 3 + 1] * rz[3 + j] + rx[i * 3 + 2] * rz[6 + j]));
  const centre = [0.5, -0.2, 0.6];
  const t = [0, 1, 2].map((i) => -(r[i * 3] * centre[0] + r[i * 3 + 1] * centre[1] + r[i * 3 + 2] * centre[2]));
  return [r[0], r[1], r[2], t[0], r[3], r[4], r[5], t[1], r[6], r[7], r[8], t[2], 0, 0, 0, 1];
}

describe('the camera pose from a projection', () => {
  it('recovers K and the camera-to-base pose of K·[R|t], whatever the projection is scaled by', () => {
    const k = [520, 0.5, 322, 0, 515, 241, 0, 0, 1];
    const w2c = worldToCamera();
    const p = projectionFromIntrinsics(k, w2c).map((v) => v * 3.7);
    const pose = cameraPoseFromProjection(p)!;
    pose.k.forEach((v, i) => expect(v).toBeCloseTo(k[i], 6));
    invertRigid(w2c).forEach((v, i) => expect(pose.cameraToBase[i]).toBeCloseTo(v, 9));
  });

  it('is null for a degenerate projection', () => {
    expect(cameraPoseFromProjection(new Array(12).fill(0))).toBeNull();
    expect(cameraPoseFromProjection([1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0])).toBeNull();
  });
});
