/**
 * ROS 2 bags written at test time: any messages of the types in src/formats/mcap/ros2Schemas.ts as
 * an MCAP file (ROS 2 profile, `ros2msg` schemas, CDR by @foxglove/rosmsg2-serialization, chunked
 * and indexed by @mcap/core), and a small robot bag with two cameras and a choice for every role.
 */
import { parse } from '@foxglove/rosmsg';
import { MessageWriter } from '@foxglove/rosmsg2-serialization';
import { McapWriter, type IWritable } from '@mcap/core';
import { PNG } from 'pngjs';
import { ros2SchemaText } from '../formats/mcap/ros2Schemas';

export interface Ros2Message {
  topic: string;
  /** ROS 2 name: `sensor_msgs/msg/CompressedImage`. */
  type: string;
  timeNs: bigint;
  msg: unknown;
}

class Memory implements IWritable {
  parts: Uint8Array[] = [];
  size = 0n;
  position() { return this.size; }
  async write(b: Uint8Array) { this.parts.push(b.slice()); this.size += BigInt(b.byteLength); }
}

/** The messages (any order) as an indexed ROS 2 MCAP file. */
export async function writeRos2Mcap(messages: readonly Ros2Message[]): Promise<Uint8Array> {
  const out = new Memory();
  const w = new McapWriter({ writable: out, chunkSize: 64 * 1024 });
  await w.start({ profile: 'ros2', library: 'path-studio tests' });
  const channels = new Map<string, { id: number; writer: MessageWriter; seq: number }>();
  for (const m of [...messages].sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0))) {
    let c = channels.get(m.topic);
    if (!c) {
      const text = ros2SchemaText(m.type);
      const schemaId = await w.registerSchema({ name: m.type, encoding: 'ros2msg', data: new TextEncoder().encode(text) });
      c = { id: await w.registerChannel({ topic: m.topic, schemaId, messageEncoding: 'cdr', metadata: new Map() }), writer: new MessageWriter(parse(text, { ros2: true })), seq: 0 };
      channels.set(m.topic, c);
    }
    await w.addMessage({ channelId: c.id, sequence: c.seq++, logTime: m.timeNs, publishTime: m.timeNs, data: c.writer.writeMessage(m.msg) });
  }
  await w.end();
  const bytes = new Uint8Array(Number(out.size));
  let at = 0;
  for (const p of out.parts) { bytes.set(p, at); at += p.byteLength; }
  return bytes;
}

export const stampOf = (t: bigint) => ({ sec: Number(t / 1_000_000_000n), nanosec: Number(t % 1_000_000_000n) });

export function tfMessage(timeNs: bigint, links: { parent: string; child: string; t: readonly number[]; q?: readonly number[] }[]) {
  return {
    transforms: links.map((l) => {
      const q = l.q ?? [0, 0, 0, 1];
      return { header: { stamp: stampOf(timeNs), frame_id: l.parent }, child_frame_id: l.child, transform: { translation: { x: l.t[0], y: l.t[1], z: l.t[2] }, rotation: { x: q[0], y: q[1], z: q[2], w: q[3] } } };
    }),
  };
}

export function cameraInfoMessage(timeNs: bigint, frame: string, width: number, height: number, k: readonly number[]) {
  return {
    header: { stamp: stampOf(timeNs), frame_id: frame }, height, width, distortion_model: 'plumb_bob', d: [0, 0, 0, 0, 0], k: [...k],
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1], p: [k[0], k[1], k[2], 0, k[3], k[4], k[5], 0, k[6], k[7], k[8], 0], binning_x: 0, binning_y: 0,
    roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
  };
}

export function pngBytes(width: number, height: number, shade: number): Uint8Array {
  const img = new PNG({ width, height });
  img.data.fill(shade);
  return new Uint8Array(PNG.sync.write(img));
}

export const T0 = 1_700_000_000_000_000_000n;
/** Seconds after T0 in nanoseconds (rounded to the microsecond, so 0.1 steps stay exact). */
export const at = (seconds: number) => T0 + BigInt(Math.round(seconds * 1e6)) * 1000n;

/**
 * A robot bag with a choice for every role:
 * - `/cam_a/image_raw/compressed` 32×24, 10 frames at 0.0…0.9 s (the default camera), `/cam_a/camera_info`;
 * - `/cam_b/image_raw/compressed` 16×12, 6 frames at 0.05, 0.25, 0.45 and 2.05, 2.25, 2.45 s (a 1.6 s gap), `/cam_b/camera_info`;
 * - `/tf_static` base → cam_a, cam_b; `/tf` base → tool0 every 0.1 s from 0 to 2.5 s with x = t;
 * - `/ee_pose` (PoseStamped in base) with x = 10 + t, `/joint_states` shoulder = t, elbow = −t, every 0.1 s;
 * - `/gripper_cmd` (Float64) 0 from 0 s, 1 from 0.5 s; `/effort` (Float64) 7 from 0 s;
 * - `/task` (String) “pick” at 0 s, “place” at 0.42 s, “late” at 3 s (after every frame).
 */
export function twoCameraRobotBag(): Ros2Message[] {
  const m: Ros2Message[] = [];
  const K = [30, 0, 16, 0, 30, 12, 0, 0, 1];
  m.push({ topic: '/tf_static', type: 'tf2_msgs/msg/TFMessage', timeNs: at(0), msg: tfMessage(at(0), [{ parent: 'base', child: 'cam_a', t: [0, 0, 1], q: [1, 0, 0, 0] }, { parent: 'base', child: 'cam_b', t: [0.5, 0, 1], q: [1, 0, 0, 0] }]) });
  m.push({ topic: '/cam_a/camera_info', type: 'sensor_msgs/msg/CameraInfo', timeNs: at(0), msg: cameraInfoMessage(at(0), 'cam_a', 32, 24, K) });
  m.push({ topic: '/cam_b/camera_info', type: 'sensor_msgs/msg/CameraInfo', timeNs: at(0), msg: cameraInfoMessage(at(0), 'cam_b', 16, 12, [15, 0, 8, 0, 15, 6, 0, 0, 1]) });
  for (let i = 0; i <= 25; i++) {
    const s = i / 10, t = at(s);
    m.push({ topic: '/tf', type: 'tf2_msgs/msg/TFMessage', timeNs: t, msg: tfMessage(t, [{ parent: 'base', child: 'tool0', t: [s, 0, 0.1] }]) });
    m.push({ topic: '/ee_pose', type: 'geometry_msgs/msg/PoseStamped', timeNs: t, msg: { header: { stamp: stampOf(t), frame_id: 'base' }, pose: { position: { x: 10 + s, y: 0, z: 0.1 }, orientation: { x: 0, y: 0, z: 0, w: 1 } } } });
    m.push({ topic: '/joint_states', type: 'sensor_msgs/msg/JointState', timeNs: t, msg: { header: { stamp: stampOf(t), frame_id: '' }, name: ['shoulder', 'elbow'], position: [s, -s], velocity: [], effort: [] } });
  }
  for (let i = 0; i < 10; i++) m.push({ topic: '/cam_a/image_raw/compressed', type: 'sensor_msgs/msg/CompressedImage', timeNs: at(i / 10) + 1000n, msg: { header: { stamp: stampOf(at(i / 10)), frame_id: 'cam_a' }, format: 'png', data: pngBytes(32, 24, 20 * i) } });
  for (const s of [0.05, 0.25, 0.45, 2.05, 2.25, 2.45]) m.push({ topic: '/cam_b/image_raw/compressed', type: 'sensor_msgs/msg/CompressedImage', timeNs: at(s), msg: { header: { stamp: stampOf(at(s)), frame_id: 'cam_b' }, format: 'png', data: pngBytes(16, 12, 200) } });
  m.push({ topic: '/gripper_cmd', type: 'std_msgs/msg/Float64', timeNs: at(0), msg: { data: 0 } }, { topic: '/gripper_cmd', type: 'std_msgs/msg/Float64', timeNs: at(0.5), msg: { data: 1 } });
  m.push({ topic: '/effort', type: 'std_msgs/msg/Float64', timeNs: at(0), msg: { data: 7 } });
  m.push({ topic: '/task', type: 'std_msgs/msg/String', timeNs: at(0), msg: { data: 'pick' } }, { topic: '/task', type: 'std_msgs/msg/String', timeNs: at(0.42), msg: { data: 'place' } }, { topic: '/task', type: 'std_msgs/msg/String', timeNs: at(3), msg: { data: 'late' } });
  return m;
}
