/**
 * Pinhole camera in the OpenCV convention (x right, y down, z forward; pixel centres at integer
 * coordinates). The renderer and the published CameraInfo / TF use this one object, so the image and
 * the calibration cannot disagree. World = robot base frame (`base_link`).
 */
import { lookAtOpenCv, matVec, transpose, type Mat3, type Vec3 } from '../math.ts';
import type { CameraSpec } from '../scene/types.ts';

/**
 * Opt-in departures from the default pinhole (square pixels from `fovyDeg`, centred principal point,
 * no roll), for cameras unlike the sim's own: the off-domain generator's (sim/src/offdomain).
 * Pixels for the intrinsics; radians for the roll about the optical axis (positive turns the image
 * content counter-clockwise on screen).
 */
export interface CameraLens {
  fx?: number;
  fy?: number;
  cx?: number;
  cy?: number;
  roll?: number;
}

export class CameraModel {
  readonly width: number;
  readonly height: number;
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
  /** World-to-camera rotation (rows = camera axes expressed in world). */
  readonly rotation: Mat3;
  /** World-to-camera translation: x_cam = rotation · x_world + translation. */
  readonly translation: Vec3;
  /** Camera centre in world. */
  readonly position: Vec3;

  constructor(spec: CameraSpec, lens: CameraLens = {}) {
    this.width = spec.width;
    this.height = spec.height;
    const f = this.height / 2 / Math.tan((spec.fovyDeg * Math.PI) / 360);
    this.fy = lens.fy ?? f;
    this.fx = lens.fx ?? f;
    this.cx = lens.cx ?? (this.width - 1) / 2;
    this.cy = lens.cy ?? (this.height - 1) / 2;
    this.rotation = lens.roll ? rollAboutOpticalAxis(lookAtOpenCv(spec.eye, spec.target), lens.roll) : lookAtOpenCv(spec.eye, spec.target);
    this.position = [...spec.eye];
    const rc = matVec(this.rotation, spec.eye);
    this.translation = [-rc[0], -rc[1], -rc[2]];
  }

  toCamera(p: readonly number[]): Vec3 {
    const c = matVec(this.rotation, p);
    return [c[0] + this.translation[0], c[1] + this.translation[1], c[2] + this.translation[2]];
  }

  /** World point to pixel [u, v] and depth z (metres along the optical axis). */
  project(p: readonly number[]): [number, number, number] {
    const [x, y, z] = this.toCamera(p);
    return [(this.fx * x) / z + this.cx, (this.fy * y) / z + this.cy, z];
  }

  /** K, row-major 3×3. */
  intrinsics(): number[] {
    return [this.fx, 0, this.cx, 0, this.fy, this.cy, 0, 0, 1];
  }

  /** World-to-camera 4×4, row-major nested. */
  worldToCamera(): number[][] {
    const r = this.rotation, t = this.translation;
    return [[r[0], r[1], r[2], t[0]], [r[3], r[4], r[5], t[1]], [r[6], r[7], r[8], t[2]], [0, 0, 0, 1]];
  }

  /** Camera-to-world rotation: columns are the camera axes in world (the TF rotation of the optical frame). */
  cameraToWorldRotation(): Mat3 {
    return transpose(this.rotation);
  }
}

/** Turns the camera about its own z (optical) axis: new rows x' = c·x + s·y, y' = −s·x + c·y. */
function rollAboutOpticalAxis(r: Mat3, angle: number): Mat3 {
  const c = Math.cos(angle), s = Math.sin(angle);
  return [
    c * r[0] + s * r[3], c * r[1] + s * r[4], c * r[2] + s * r[5],
    -s * r[0] + c * r[3], -s * r[1] + c * r[4], -s * r[2] + c * r[5],
    r[6], r[7], r[8],
  ];
}
