import { describe, expect, it } from 'vitest';
import { bytesOf, msToStamp, parseCameraInfo, parseCompressedImage, parseDepthImage, parseJointState, parseTfMessage, stampToMs } from './messages';
import { validateProfile, SIM_PROFILE } from './profile';

/** Shapes as the sim (ROS 2 spelling, CBOR) and a ROS 1 rosbridge (JSON, base64) send them. */
const ros2Image = { header: { stamp: { sec: 1700000000, nanosec: 500_000_000 }, frame_id: 'camera_color_optical_frame' }, format: 'jpeg', data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1]) };
const ros1Image = { header: { stamp: { secs: 1700000000, nsecs: 0 }, frame_id: 'cam' }, format: 'jpeg', data: btoa(String.fromCharCode(0xff, 0xd8, 0xff, 0xe0)) };

describe('incoming message checks', () => {
  it('reads CompressedImage as CBOR bytes and as base64 JSON, with ROS 1 and ROS 2 stamps', () => {
    expect(parseCompressedImage(ros2Image)).toMatchObject({ format: 'jpeg', stampMs: 1700000000500 });
    expect(parseCompressedImage(ros1Image)!.data[0]).toBe(0xff);
    expect(parseCompressedImage({ format: 'jpeg', data: 42 })).toBeNull();
    expect(parseCompressedImage({ data: '!!not base64!!' })).toBeNull();
  });
  it('round-trips stamps', () => {
    expect(stampToMs({ stamp: msToStamp(1700000000123.5) })).toBeCloseTo(1700000000123.5, 3);
  });
  it('reads CameraInfo (k or K) and rejects a wrong K', () => {
    expect(parseCameraInfo({ width: 256, height: 256, k: [1, 0, 2, 0, 1, 2, 0, 0, 1], header: { frame_id: 'c' } })).toMatchObject({ width: 256, frameId: 'c' });
    expect(parseCameraInfo({ width: 256, height: 256, K: [1, 0, 2, 0, 1, 2, 0, 0, 1] })).not.toBeNull();
    expect(parseCameraInfo({ width: 256, height: 256, k: [1, 2, 3] })).toBeNull();
  });
  it('reads JointState and rejects mismatched lengths or non-numbers', () => {
    expect(parseJointState({ name: ['a', 'b'], position: [1, 2] })).toEqual({ names: ['a', 'b'], positions: [1, 2] });
    expect(parseJointState({ name: ['a', 'b'], position: [1] })).toBeNull();
    expect(parseJointState({ name: ['a'], position: ['x'] })).toBeNull();
  });
  it('reads TF and strips leading slashes (ROS 1 frames)', () => {
    const tf = { transforms: [{ header: { frame_id: '/base_link' }, child_frame_id: 'ee_link', transform: { translation: { x: 1, y: 2, z: 3 }, rotation: { x: 0, y: 0, z: 0, w: 1 } } }] };
    expect(parseTfMessage(tf)).toEqual([{ parent: 'base_link', child: 'ee_link', translation: [1, 2, 3], rotation: [0, 0, 0, 1] }]);
    expect(parseTfMessage({ transforms: [{ header: {} }] })).toBeNull();
  });
  it('reads a 32FC1 depth image from an unaligned byte string', () => {
    const f = new Float32Array([0.5, 1, 0, 2]);
    const bytes = new Uint8Array(17);
    bytes.set(new Uint8Array(f.buffer), 1);
    const d = parseDepthImage({ encoding: '32FC1', width: 2, height: 2, is_bigendian: 0, data: bytes.subarray(1) });
    expect(Array.from(d!.depth)).toEqual([0.5, 1, 0, 2]);
    expect(parseDepthImage({ encoding: '16UC1', width: 2, height: 2, data: bytes })).toBeNull();
  });
  it('bytesOf accepts number lists but not out-of-range values', () => {
    expect(bytesOf([1, 2, 255])).toEqual(new Uint8Array([1, 2, 255]));
    expect(bytesOf([1, 256])).toBeNull();
  });
});

describe('robot profiles', () => {
  it('accepts the sim profile and lists every problem of a bad one', () => {
    expect(validateProfile(SIM_PROFILE).ok).toBe(true);
    const bad = validateProfile({ ...SIM_PROFILE, url: 'http://x', topics: { ...SIM_PROFILE.topics, twist: 'bad name!' }, limits: { maxLinear: 5, maxAngular: 1 } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toHaveLength(3);
    const box = (min: number[], max: number[]) => validateProfile({ ...SIM_PROFILE, workspace: { min, max } });
    expect(box([0, 0, NaN], [1, 1, 1])).toEqual({ ok: false, errors: ['the workspace needs three numbers each for min and max (m), or none at all'] });
    expect(box([0, 2, 0], [1, 1, 1])).toEqual({ ok: false, errors: ['each workspace min must be below its max'] });
    expect(validateProfile({ ...SIM_PROFILE, workspace: undefined }).ok).toBe(true);
  });
});
