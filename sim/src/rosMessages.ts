/**
 * Builders of the ROS 2 messages the sim publishes (plain objects in rosbridge's JSON shape).
 * Frames: `base_link` (robot base, z up; the world of the sim), `ee_link` (end-effector site),
 * `camera_color_optical_frame` (OpenCV optical frame: x right, y down, z forward).
 */
import { matToQuat, type Mat3, type Vec3 } from './math.ts';
import type { CameraModel } from './render/camera.ts';
import { stamp } from './rosbridge/messages.ts';

export const CAMERA_FRAME = 'camera_color_optical_frame';

type Msg = Record<string, unknown>;

const header = (time: number, frameId: string) => ({ stamp: stamp(time), frame_id: frameId });

export function transformStamped(time: number, parent: string, child: string, translation: Vec3, rotation: Mat3): Msg {
  const [w, x, y, z] = matToQuat(rotation);
  return {
    header: header(time, parent),
    child_frame_id: child,
    transform: { translation: { x: translation[0], y: translation[1], z: translation[2] }, rotation: { x, y, z, w } },
  };
}

/** CameraInfo for an undistorted pinhole camera; P = [K | 0] in the optical frame. */
export function cameraInfo(time: number, camera: CameraModel): Msg {
  const k = camera.intrinsics();
  return {
    header: header(time, CAMERA_FRAME),
    height: camera.height,
    width: camera.width,
    distortion_model: 'plumb_bob',
    d: [0, 0, 0, 0, 0],
    k,
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [k[0], 0, k[2], 0, 0, k[4], k[5], 0, 0, 0, 1, 0],
    binning_x: 0,
    binning_y: 0,
    roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
  };
}

/** base_link -> camera optical frame: translation = camera centre, rotation = camera-to-base. */
export function cameraTransform(time: number, camera: CameraModel): Msg {
  return transformStamped(time, 'base_link', CAMERA_FRAME, camera.position, camera.cameraToWorldRotation());
}

export function compressedImage(time: number, jpeg: Uint8Array): Msg {
  return { header: header(time, CAMERA_FRAME), format: 'jpeg', data: jpeg };
}

/** Depth as sensor_msgs/Image 32FC1 (metres along the optical axis, 0 = no return). */
export function depthImage(time: number, depth: Float32Array, width: number, height: number): Msg {
  return {
    header: header(time, CAMERA_FRAME), height, width, encoding: '32FC1', is_bigendian: 0, step: width * 4,
    data: new Uint8Array(depth.buffer.slice(depth.byteOffset, depth.byteOffset + depth.byteLength)),
  };
}

export function jointState(time: number, names: readonly string[], position: number[], velocity: number[]): Msg {
  return { header: header(time, 'base_link'), name: [...names], position, velocity, effort: [] };
}
