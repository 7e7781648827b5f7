/**
 * Writes a studio episode (live recording or imported episode) as an MCAP file that Foxglove and
 * Lichtblick open: ROS 2 profile, `ros2msg` schemas (see ros2Schemas.ts), CDR messages, written
 * with @mcap/core's McapWriter (chunked, indexed, with statistics).
 *
 *   /camera/image/compressed  sensor_msgs/msg/CompressedImage  each stored frame (JPEG/PNG bytes)
 *   /camera/camera_info       sensor_msgs/msg/CameraInfo        K from the calibration, with each frame
 *   /tf_static                tf2_msgs/msg/TFMessage            base_link → camera_optical
 *   /tf                       tf2_msgs/msg/TFMessage            base_link → ee_link, every step
 *   /joint_states             sensor_msgs/msg/JointState        the state vector by name, every step
 *   /studio/path              visualization_msgs/msg/Marker     each segment's 2D path (see pathMarker)
 *   /studio/instruction       std_msgs/msg/String               the instruction at each segment start
 */
import { McapWriter, type IWritable } from '@mcap/core';
import { parse } from '@foxglove/rosmsg';
import { MessageWriter } from '@foxglove/rosmsg2-serialization';
import type { Path } from '../../core/path';
import { splitProjection } from './cameraPose';
import { ros2SchemaText } from './ros2Schemas';

export const STUDIO_TOPICS = {
  image: '/camera/image/compressed',
  info: '/camera/camera_info',
  tfStatic: '/tf_static',
  tf: '/tf',
  joints: '/joint_states',
  path: '/studio/path',
  instruction: '/studio/instruction',
} as const;
export const BASE_FRAME = 'base_link';
export const EE_FRAME = 'ee_link';
export const CAMERA_FRAME = 'camera_optical';
/** The frame the path markers are in: x, y are normalized image coordinates of the camera. */
export const PATH_FRAME = 'studio_image';

export interface McapEpisode {
  /** Absolute time of step 0. */
  startTimeNs: bigint;
  /** Seconds since the start, one per step. */
  timestamps: number[];
  stateNames: string[];
  /** One row per step. */
  states: number[][];
  /** End effector in base_link per step (metres), when known. */
  eePositions?: (readonly number[])[];
  /** Stored camera frames (imported episodes keep one per segment, recordings keep all). */
  frames: { step: number; data: Uint8Array }[];
  camera?: { projection: number[]; width: number; height: number };
  /** The segments' paths, each shown from its start step. */
  paths: { step: number; instruction: string; path: Path }[];
  library?: string;
}

class BufferWritable implements IWritable {
  private parts: Uint8Array[] = [];
  private size = 0n;
  position(): bigint { return this.size; }
  async write(buffer: Uint8Array): Promise<void> {
    this.parts.push(buffer.slice());
    this.size += BigInt(buffer.byteLength);
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(Number(this.size));
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.byteLength; }
    return out;
  }
}

const GREEN = { r: 0.1, g: 0.85, b: 0.3, a: 1 };
const RED = { r: 0.95, g: 0.2, b: 0.2, a: 1 };

/**
 * A path as a LINE_STRIP marker: `points` are the waypoints (x, y normalized to the image, z 0),
 * `colors[i]` is the gripper after waypoint i (green open, red closed), `color` the gripper before
 * the first waypoint, `text` the instruction.
 */
export function pathMarker(path: Path, instruction: string, id: number, stamp: { sec: number; nanosec: number }) {
  return {
    header: { stamp, frame_id: PATH_FRAME },
    ns: 'studio_path', id, type: 4, action: 0,
    pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
    scale: { x: 0.01, y: 0, z: 0 },
    color: path.initialGripper === 'closed' ? RED : GREEN,
    lifetime: { sec: 0, nanosec: 0 }, frame_locked: false,
    points: path.points.map((p) => ({ x: p.x, y: p.y, z: 0 })),
    colors: path.points.map((p) => (p.gripper === 'closed' ? RED : GREEN)),
    texture_resource: '', texture: { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' }, format: '', data: new Uint8Array() }, uv_coordinates: [],
    text: instruction, mesh_resource: '', mesh_file: { filename: '', data: new Uint8Array() }, mesh_use_embedded_materials: false,
  };
}

/** The path a studio marker carries (inverse of pathMarker). */
export function pathFromMarker(msg: unknown): { path: Path; instruction: string; id: number } {
  const m = msg as { points: { x: number; y: number }[]; colors: { r: number }[]; color: { r: number }; text: string; id: number };
  const closed = (c: { r: number } | undefined) => (c ? c.r > 0.5 : false);
  return {
    id: m.id,
    instruction: m.text,
    path: { initialGripper: closed(m.color) ? 'closed' : 'open', points: m.points.map((p, i) => ({ x: p.x, y: p.y, gripper: closed(m.colors[i]) ? 'closed' : 'open' })) },
  };
}

const stampOf = (ns: bigint) => ({ sec: Number(ns / 1_000_000_000n), nanosec: Number(ns % 1_000_000_000n) });

export async function writeEpisodeMcap(ep: McapEpisode): Promise<Uint8Array> {
  const n = ep.timestamps.length;
  if (ep.states.length !== n) throw new Error(`writeEpisodeMcap: ${ep.states.length} state rows for ${n} timestamps.`);
  const out = new BufferWritable();
  const writer = new McapWriter({ writable: out, useChunks: true, useStatistics: true, useSummaryOffsets: true, useChunkIndex: true, useMessageIndex: true });
  await writer.start({ profile: 'ros2', library: ep.library ?? 'path-studio' });
  const channels = new Map<string, { id: number; write: MessageWriter; seq: number }>();
  const open = async (topic: string, type: string) => {
    const text = ros2SchemaText(type);
    const schemaId = await writer.registerSchema({ name: type, encoding: 'ros2msg', data: new TextEncoder().encode(text) });
    const id = await writer.registerChannel({ topic, schemaId, messageEncoding: 'cdr', metadata: new Map() });
    channels.set(topic, { id, write: new MessageWriter(parse(text, { ros2: true })), seq: 0 });
  };
  const put = async (topic: string, timeNs: bigint, msg: unknown) => {
    const ch = channels.get(topic)!;
    await writer.addMessage({ channelId: ch.id, sequence: ch.seq++, logTime: timeNs, publishTime: timeNs, data: ch.write.writeMessage(msg) });
  };
  const timeOf = (step: number) => ep.startTimeNs + BigInt(Math.round((ep.timestamps[step] ?? 0) * 1e9));

  if (ep.frames.length) await open(STUDIO_TOPICS.image, 'sensor_msgs/msg/CompressedImage');
  const split = ep.camera ? splitProjection(ep.camera.projection) : null;
  if (split) { await open(STUDIO_TOPICS.info, 'sensor_msgs/msg/CameraInfo'); await open(STUDIO_TOPICS.tfStatic, 'tf2_msgs/msg/TFMessage'); }
  if (ep.eePositions) await open(STUDIO_TOPICS.tf, 'tf2_msgs/msg/TFMessage');
  await open(STUDIO_TOPICS.joints, 'sensor_msgs/msg/JointState');
  if (ep.paths.length) { await open(STUDIO_TOPICS.path, 'visualization_msgs/msg/Marker'); await open(STUDIO_TOPICS.instruction, 'std_msgs/msg/String'); }

  const tfMsg = (timeNs: bigint, parent: string, child: string, t: readonly number[], q: readonly number[]) => ({
    transforms: [{ header: { stamp: stampOf(timeNs), frame_id: parent }, child_frame_id: child, transform: { translation: { x: t[0], y: t[1], z: t[2] }, rotation: { x: q[0], y: q[1], z: q[2], w: q[3] } } }],
  });
  if (split) await put(STUDIO_TOPICS.tfStatic, timeOf(0), tfMsg(timeOf(0), BASE_FRAME, CAMERA_FRAME, split.cameraInWorld.t, split.cameraInWorld.q));

  const framesAt = new Map<number, Uint8Array[]>();
  for (const f of ep.frames) framesAt.set(f.step, [...(framesAt.get(f.step) ?? []), f.data]);
  const pathsAt = new Map<number, McapEpisode['paths']>();
  for (const p of ep.paths) pathsAt.set(p.step, [...(pathsAt.get(p.step) ?? []), p]);
  let pathId = 0;
  for (let i = 0; i < n; i++) {
    const t = timeOf(i);
    const stamp = stampOf(t);
    await put(STUDIO_TOPICS.joints, t, { header: { stamp, frame_id: BASE_FRAME }, name: ep.stateNames, position: Float64Array.from(ep.states[i], (v) => (Number.isFinite(v) ? v : NaN)), velocity: new Float64Array(), effort: new Float64Array() });
    if (ep.eePositions?.[i]) await put(STUDIO_TOPICS.tf, t, tfMsg(t, BASE_FRAME, EE_FRAME, ep.eePositions[i], [0, 0, 0, 1]));
    for (const p of pathsAt.get(i) ?? []) {
      await put(STUDIO_TOPICS.instruction, t, { data: p.instruction });
      await put(STUDIO_TOPICS.path, t, pathMarker(p.path, p.instruction, pathId++, stamp));
    }
    for (const data of framesAt.get(i) ?? []) {
      if (split && ep.camera) {
        const k = split.k;
        await put(STUDIO_TOPICS.info, t, {
          header: { stamp, frame_id: CAMERA_FRAME }, height: ep.camera.height, width: ep.camera.width, distortion_model: 'plumb_bob',
          d: new Float64Array(5), k: Float64Array.from(k), r: Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]),
          p: Float64Array.from([k[0], k[1], k[2], 0, k[3], k[4], k[5], 0, k[6], k[7], k[8], 0]),
          binning_x: 0, binning_y: 0, roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
        });
      }
      const format = data[0] === 0x89 ? 'png' : 'jpeg';
      await put(STUDIO_TOPICS.image, t, { header: { stamp, frame_id: CAMERA_FRAME }, format, data });
    }
  }
  await writer.end();
  return out.bytes();
}
