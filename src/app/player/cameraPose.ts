/**
 * The episode's camera for the 3D view: intrinsics K and the camera's pose in the robot base frame,
 * split from the 3×4 projection the player has (a live recording's K·[R|t], or an imported
 * episode's calibration, possibly estimated by DLT) the way the MCAP writer splits it.
 */
import { splitProjection } from '../../formats/mcap/cameraPose';
import { matrixOf } from '../../formats/rosbag2/tf';

export interface CameraPose {
  /** Row-major 3×3, upper triangular, K[8] = 1. */
  k: number[];
  /** Row-major 4×4, OpenCV optical frame → base (the frustum layer's `cameraToBase`). */
  cameraToBase: number[];
}

/** Null when the projection is degenerate (no depth row, or rows that do not span 3D). */
export function cameraPoseFromProjection(projection: readonly number[]): CameraPose | null {
  try {
    const split = splitProjection(projection);
    const pose = { k: split.k, cameraToBase: matrixOf(split.cameraInWorld) };
    return [...pose.k, ...pose.cameraToBase].every(Number.isFinite) && Math.abs(pose.k[0]) > 1e-12 ? pose : null;
  } catch {
    return null;
  }
}
