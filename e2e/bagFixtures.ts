/**
 * Test-time ROS bags (Node side): a simulator episode written as an MCAP file by the studio's own
 * writer (src/formats/mcap), and the same messages as a rosbag2 SQLite bag written by Python's
 * sqlite3 (a separate program, with rosbag2's table layout).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@foxglove/rosmsg';
import { MessageWriter as Ros1Writer } from '@foxglove/rosmsg-serialization';
import { McapWriter, type IWritable } from '@mcap/core';
import jpeg from 'jpeg-js';
import { projectionFromIntrinsics } from '../src/core/camera/projection';
import { splitProjection } from '../src/formats/mcap/cameraPose';
import { openMcap } from '../src/formats/mcap/reader';
import { writeEpisodeMcap, type McapEpisode } from '../src/formats/mcap/writer';
import { SIM_CAMERA, episodeFirstIndex, readSimCalibration, simStates, type SimInfo } from './episodesFixtures';

/** Every frame of one episode of a sim dataset, decoded by ffmpeg (one call) as RGB. */
function episodeFramesRgb(dir: string, first: number, count: number, cal: SimInfo): Buffer[] {
  const video = join(dir, `videos/${SIM_CAMERA}/chunk-000/file-000.mp4`);
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', `select=between(n\\,${first}\\,${first + count - 1})`, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 28 });
  const size = cal.width * cal.height * 3;
  if (out.length !== size * count) throw new Error(`ffmpeg gave ${out.length / size} frames, wanted ${count}`);
  return Array.from({ length: count }, (_, i) => out.subarray(i * size, (i + 1) * size));
}

function jpegOf(rgb: Buffer, width: number, height: number): Uint8Array {
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) { rgba[j] = rgb[i]; rgba[j + 1] = rgb[i + 1]; rgba[j + 2] = rgb[i + 2]; rgba[j + 3] = 255; }
  return new Uint8Array(jpeg.encode({ data: rgba, width, height }, 92).data);
}

export interface SimBag {
  episode: McapEpisode;
  bytes: Uint8Array;
  cal: SimInfo;
  states: number[][];
}

/**
 * Episode `episode` of a generated sim dataset as a studio MCAP: every frame as a JPEG
 * CompressedImage, the state vector as joint_states, the end effector (ee.x/y/z) on /tf, the
 * simulator's camera (K and world→camera) as CameraInfo + /tf_static, and one path.
 */
export async function simEpisodeMcap(dir: string, episode: number): Promise<SimBag> {
  const cal = readSimCalibration(dir);
  const states = await simStates(dir, episode);
  const info = JSON.parse(readFileSync(join(dir, 'meta/info.json'), 'utf8'));
  const names: string[] = info.features['observation.state'].names;
  const frames = episodeFramesRgb(dir, await episodeFirstIndex(dir, episode), states.length, cal);
  const ep: McapEpisode = {
    startTimeNs: 1_700_000_000_000_000_000n,
    timestamps: states.map((_, i) => i / info.fps),
    stateNames: names,
    states,
    eePositions: states.map((s) => s.slice(0, 3)),
    frames: frames.map((rgb, step) => ({ step, data: jpegOf(rgb, cal.width, cal.height) })),
    camera: { projection: projectionFromIntrinsics(cal.K, cal.worldToCamera[episode]), width: cal.width, height: cal.height },
    paths: [{ step: 0, instruction: 'pick up the cube', path: { initialGripper: 'open', points: [{ x: 0.2, y: 0.3, gripper: 'open' }, { x: 0.5, y: 0.6, gripper: 'closed' }, { x: 0.7, y: 0.4, gripper: 'open' }] } }],
  };
  return { episode: ep, bytes: await writeEpisodeMcap(ep), cal, states };
}

/**
 * The messages of an MCAP file as a rosbag2 SQLite bag (`<dir>/<name>/metadata.yaml` +
 * `<name>_0.db3`), written by Python's sqlite3 with rosbag2's schema (as `ros2 bag convert` would).
 */
export async function mcapToDb3(bytes: Uint8Array, dir: string, name: string): Promise<string> {
  const bag = await openMcap(bytes, `${name}.mcap`);
  const topics = bag.topics.map((t, i) => ({ id: i + 1, name: t.name, type: t.type, format: t.encoding }));
  const idOf = new Map(topics.map((t) => [t.name, t.id]));
  const rows: [number, string, string][] = [];
  for await (const m of bag.messages()) rows.push([idOf.get(m.topic)!, String(m.logTimeNs), Buffer.from(m.data).toString('hex')]);
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const py = `
import json, sqlite3, sys
d = json.load(sys.stdin)
db = sqlite3.connect(d['path'])
db.executescript("""
CREATE TABLE schema(schema_version INTEGER PRIMARY KEY, ros_distro TEXT NOT NULL);
CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX timestamp_idx ON messages (timestamp ASC);
INSERT INTO schema VALUES (3, 'humble');
""")
db.executemany("INSERT INTO topics VALUES (?, ?, ?, ?, '')", [(t['id'], t['name'], t['type'], t['format']) for t in d['topics']])
db.executemany("INSERT INTO messages(topic_id, timestamp, data) VALUES (?, ?, ?)", [(r[0], int(r[1]), bytes.fromhex(r[2])) for r in d['rows']])
db.commit()
`;
  execFileSync('python3', ['-c', py], { input: JSON.stringify({ path: join(folder, `${name}_0.db3`), topics, rows }), maxBuffer: 1 << 26 });
  writeFileSync(join(folder, 'metadata.yaml'), `rosbag2_bagfile_information:
  version: 5
  storage_identifier: sqlite3
  relative_file_paths:
    - ${name}_0.db3
  compression_format: ''
  compression_mode: ''
  topics_with_message_count: []
`);
  return folder;
}

const SEP = `${'='.repeat(80)}\nMSG: `;
const HEADER = `${SEP}std_msgs/Header\nuint32 seq\ntime stamp\nstring frame_id\n`;
const ROS1 = {
  'sensor_msgs/CompressedImage': `Header header\nstring format\nuint8[] data\n${HEADER}`,
  'sensor_msgs/CameraInfo': `Header header\nuint32 height\nuint32 width\nstring distortion_model\nfloat64[] D\nfloat64[9] K\nfloat64[9] R\nfloat64[12] P\nuint32 binning_x\nuint32 binning_y\nRegionOfInterest roi\n${HEADER}${SEP}sensor_msgs/RegionOfInterest\nuint32 x_offset\nuint32 y_offset\nuint32 height\nuint32 width\nbool do_rectify\n`,
  'sensor_msgs/JointState': `Header header\nstring[] name\nfloat64[] position\nfloat64[] velocity\nfloat64[] effort\n${HEADER}`,
  'tf2_msgs/TFMessage': `geometry_msgs/TransformStamped[] transforms\n${SEP}geometry_msgs/TransformStamped\nHeader header\nstring child_frame_id\nTransform transform\n${HEADER}${SEP}geometry_msgs/Transform\nVector3 translation\nQuaternion rotation\n${SEP}geometry_msgs/Vector3\nfloat64 x\nfloat64 y\nfloat64 z\n${SEP}geometry_msgs/Quaternion\nfloat64 x\nfloat64 y\nfloat64 z\nfloat64 w\n`,
} as const;

class MemoryWritable implements IWritable {
  parts: Uint8Array[] = [];
  n = 0n;
  position() { return this.n; }
  async write(b: Uint8Array) { this.parts.push(b.slice()); this.n += BigInt(b.length); }
}

/**
 * The same episode as a ROS 1-profile MCAP (`ros1msg` schemas, ROS 1 serialization by
 * @foxglove/rosmsg-serialization in Node), with ROS 1 names: `/usb_cam/image_raw/compressed`,
 * `/usb_cam/camera_info` (capital `K`), `/tf_static`, `/tf` (world → tool0), `/joint_states`.
 */
export async function episodeRos1Mcap(ep: McapEpisode): Promise<Uint8Array> {
  const out = new MemoryWritable();
  const w = new McapWriter({ writable: out });
  await w.start({ profile: 'ros1', library: 'path-studio e2e (ros1)' });
  const enc = new TextEncoder();
  const channels = new Map<string, { id: number; writer: Ros1Writer; seq: number }>();
  for (const [topic, type] of [['/usb_cam/image_raw/compressed', 'sensor_msgs/CompressedImage'], ['/usb_cam/camera_info', 'sensor_msgs/CameraInfo'], ['/tf_static', 'tf2_msgs/TFMessage'], ['/tf', 'tf2_msgs/TFMessage'], ['/joint_states', 'sensor_msgs/JointState']] as const) {
    const schemaId = await w.registerSchema({ name: type, encoding: 'ros1msg', data: enc.encode(ROS1[type]) });
    channels.set(topic, { id: await w.registerChannel({ topic, schemaId, messageEncoding: 'ros1', metadata: new Map() }), writer: new Ros1Writer(parse(ROS1[type])), seq: 0 });
  }
  const put = async (topic: string, t: bigint, msg: unknown) => {
    const c = channels.get(topic)!;
    await w.addMessage({ channelId: c.id, sequence: c.seq++, logTime: t, publishTime: t, data: c.writer.writeMessage(msg) });
  };
  const split = splitProjection(ep.camera!.projection);
  const k = split.k;
  const header = (t: bigint, frame: string) => ({ seq: 0, stamp: { sec: Number(t / 1_000_000_000n), nsec: Number(t % 1_000_000_000n) }, frame_id: frame });
  const tf = (t: bigint, child: string, p: readonly number[], q: readonly number[]) => ({ transforms: [{ header: header(t, 'world'), child_frame_id: child, transform: { translation: { x: p[0], y: p[1], z: p[2] }, rotation: { x: q[0], y: q[1], z: q[2], w: q[3] } } }] });
  await put('/tf_static', ep.startTimeNs, tf(ep.startTimeNs, 'usb_cam', split.cameraInWorld.t, split.cameraInWorld.q));
  for (let i = 0; i < ep.states.length; i++) {
    const t = ep.startTimeNs + BigInt(Math.round(ep.timestamps[i] * 1e9));
    await put('/joint_states', t, { header: header(t, ''), name: ep.stateNames, position: ep.states[i], velocity: [], effort: [] });
    await put('/tf', t, tf(t, 'tool0', ep.eePositions![i], [0, 0, 0, 1]));
    for (const f of ep.frames.filter((x) => x.step === i)) {
      await put('/usb_cam/camera_info', t + 1n, { header: header(t, 'usb_cam'), height: ep.camera!.height, width: ep.camera!.width, distortion_model: 'plumb_bob', D: [0, 0, 0, 0, 0], K: k, R: [1, 0, 0, 0, 1, 0, 0, 0, 1], P: [k[0], k[1], k[2], 0, k[3], k[4], k[5], 0, k[6], k[7], k[8], 0], binning_x: 0, binning_y: 0, roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false } });
      await put('/usb_cam/image_raw/compressed', t + 2n, { header: header(t, 'usb_cam'), format: 'jpeg', data: f.data });
    }
  }
  await w.end();
  const bytes = new Uint8Array(Number(out.n));
  let at = 0;
  for (const p of out.parts) { bytes.set(p, at); at += p.length; }
  return bytes;
}
