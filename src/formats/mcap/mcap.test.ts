import { parse } from '@foxglove/rosmsg';
import { MessageWriter as Ros1Writer } from '@foxglove/rosmsg-serialization';
import { McapWriter, type IWritable } from '@mcap/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { normalizeProjection, projectionFromIntrinsics, invertRigid } from '../../core/camera/projection';
import type { Path } from '../../core/path';
import { inspectBag } from '../rosbag2/inspect';
import { openBag, type BagFiles } from '../rosbag2/open';
import { describeRobot, readRobotSeries } from '../rosbag2/robot';
import { matrixOf } from '../rosbag2/tf';
import { openMcap } from './reader';
import { ros2SchemaText } from './ros2Schemas';
import { EE_FRAME, pathFromMarker, STUDIO_TOPICS, writeEpisodeMcap, type McapEpisode } from './writer';

const oneFile = (name: string, bytes: Uint8Array): BagFiles => ({ name, paths: () => [name], get: (p) => (p === name ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : undefined) });

function png(w: number, h: number, shade: number): Uint8Array {
  const img = new PNG({ width: w, height: h });
  img.data.fill(shade);
  return new Uint8Array(PNG.sync.write(img));
}

// A camera 1 m above the base looking straight down (optical z = −base z), 320×240.
const K = [300, 0, 160, 0, 300, 120, 0, 0, 1];
const cameraInBase = matrixOf({ t: [0.3, 0, 1], q: [1, 0, 0, 0] });
const PROJECTION = projectionFromIntrinsics(K, invertRigid(cameraInBase));

function episode(): McapEpisode {
  const steps = 6;
  const paths: { step: number; instruction: string; path: Path }[] = [
    { step: 0, instruction: 'pick the red cube', path: { initialGripper: 'open', points: [{ x: 0.5, y: 0.5, gripper: 'open' }, { x: 0.6, y: 0.4, gripper: 'closed' }] } },
    { step: 3, instruction: 'place it in the bowl', path: { initialGripper: 'closed', points: [{ x: 0.6, y: 0.4, gripper: 'closed' }, { x: 0.2, y: 0.7, gripper: 'open' }] } },
  ];
  return {
    startTimeNs: 1_700_000_000_000_000_000n,
    timestamps: Array.from({ length: steps }, (_, i) => i / 10),
    stateNames: ['shoulder', 'elbow', 'gripper'],
    states: Array.from({ length: steps }, (_, i) => [i * 0.1, -i * 0.05, i < 3 ? 0 : 1]),
    eePositions: Array.from({ length: steps }, (_, i) => [0.3 + i * 0.01, 0.02 * i, 0.05]),
    frames: [{ step: 0, data: png(320, 240, 10) }, { step: 3, data: png(320, 240, 200) }],
    camera: { projection: PROJECTION, width: 320, height: 240 },
    paths,
  };
}

describe('ROS 2 schemas', () => {
  it('concatenates dependencies after 80 “=” and MSG: headers, and parse as ROS 2', () => {
    const text = ros2SchemaText('tf2_msgs/msg/TFMessage');
    expect(text.split('\n')[0]).toBe('geometry_msgs/TransformStamped[] transforms');
    expect(text).toContain(`${'='.repeat(80)}\nMSG: std_msgs/Header\n`);
    expect(text).toContain('MSG: builtin_interfaces/Time');
    for (const t of ['sensor_msgs/msg/CompressedImage', 'sensor_msgs/msg/CameraInfo', 'sensor_msgs/msg/JointState', 'visualization_msgs/msg/Marker']) {
      const defs = parse(ros2SchemaText(t), { ros2: true });
      expect(defs[0].definitions.length).toBeGreaterThan(2);
      expect(text.match(/MSG: geometry_msgs\/Vector3/g)?.length ?? 0).toBeLessThanOrEqual(1);
    }
  });
});

describe('MCAP writer → bag reader', () => {
  it('reads back the same frames, joint states, end effector, calibration and paths', async () => {
    const ep = episode();
    const bytes = await writeEpisodeMcap(ep);
    const files = oneFile('episode.mcap', bytes);

    const info = await inspectBag(files);
    expect(info).toMatchObject({ format: 'mcap', profile: 'ros2', storage: 'mcap', problems: [] });
    expect(info.topics).toEqual(expect.arrayContaining([
      { name: STUDIO_TOPICS.image, type: 'sensor_msgs/msg/CompressedImage', count: 2 },
      { name: STUDIO_TOPICS.joints, type: 'sensor_msgs/msg/JointState', count: 6 },
      { name: STUDIO_TOPICS.tf, type: 'tf2_msgs/msg/TFMessage', count: 6 },
      { name: STUDIO_TOPICS.path, type: 'visualization_msgs/msg/Marker', count: 2 },
    ]));
    expect(info.cameras).toEqual([expect.objectContaining({ topic: STUDIO_TOPICS.image, width: 320, height: 240, infoTopic: STUDIO_TOPICS.info })]);
    expect(info.eeChoices[0]).toEqual({ kind: 'tf', frame: EE_FRAME });
    expect(info.episodes).toHaveLength(1);

    const bag = await openBag(files);
    const frames: Uint8Array[] = [];
    const markers: ReturnType<typeof pathFromMarker>[] = [];
    const joints: number[][] = [];
    for await (const m of bag.messages({ topics: [STUDIO_TOPICS.image, STUDIO_TOPICS.path, STUDIO_TOPICS.joints] })) {
      const msg = bag.decode(m.topic, m.data) as { data: Uint8Array; name: string[]; position: Float64Array };
      if (m.topic === STUDIO_TOPICS.image) frames.push(msg.data);
      else if (m.topic === STUDIO_TOPICS.path) markers.push(pathFromMarker(msg));
      else { expect(msg.name).toEqual(ep.stateNames); joints.push([...msg.position]); }
    }
    expect(frames.map((f) => Buffer.from(f).equals(Buffer.from(ep.frames[frames.indexOf(f)].data)))).toEqual([true, true]);
    expect(joints).toEqual(ep.states);
    expect(markers.map((m) => ({ instruction: m.instruction, path: m.path }))).toEqual(ep.paths.map((p) => ({ instruction: p.instruction, path: p.path })));

    const desc = await describeRobot(bag);
    const series = await readRobotSeries(bag, desc, { camera: STUDIO_TOPICS.image, ee: { kind: 'tf', frame: EE_FRAME }, gripper: null, cut: { kind: 'topic', topic: STUDIO_TOPICS.instruction } }, 'episode');
    expect(series.frameTimesNs).toHaveLength(2);
    expect(series.episodes.map((e) => [e.start, e.end, e.task])).toEqual([[0, 1, 'pick the red cube'], [1, 2, 'place it in the bowl']]);
    const [a, b, c] = series.eeStateIndices!;
    expect(series.states.map((s) => [s[a], s[b], s[c]])).toEqual([ep.eePositions![0], ep.eePositions![3]].map((p) => p.map((v) => expect.closeTo(v, 9))));
    expect(series.calibration).not.toBeNull();
    const want = normalizeProjection(PROJECTION), got = normalizeProjection(series.calibration!.projection);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    expect(series.problems).toEqual([]);
  });
});

class Sink implements IWritable {
  chunks: Uint8Array[] = [];
  n = 0n;
  position() { return this.n; }
  async write(b: Uint8Array) { this.chunks.push(b.slice()); this.n += BigInt(b.length); }
  bytes() { return Uint8Array.from(this.chunks.flatMap((c) => [...c])); }
}

const ROS1_IMAGE = 'Header header\nstring format\nuint8[] data\n================================================================================\nMSG: std_msgs/Header\nuint32 seq\ntime stamp\nstring frame_id\n';
const ROS1_TF = 'geometry_msgs/TransformStamped[] transforms\n================================================================================\nMSG: geometry_msgs/TransformStamped\nHeader header\nstring child_frame_id\nTransform transform\n================================================================================\nMSG: std_msgs/Header\nuint32 seq\ntime stamp\nstring frame_id\n================================================================================\nMSG: geometry_msgs/Transform\nVector3 translation\nQuaternion rotation\n================================================================================\nMSG: geometry_msgs/Vector3\nfloat64 x\nfloat64 y\nfloat64 z\n================================================================================\nMSG: geometry_msgs/Quaternion\nfloat64 x\nfloat64 y\nfloat64 z\nfloat64 w\n';

describe('ROS 1 profile MCAP (written by @mcap/core + @foxglove/rosmsg-serialization)', () => {
  it('finds the camera and the /tf end effector, decodes ROS 1 messages', async () => {
    const sink = new Sink();
    const w = new McapWriter({ writable: sink });
    await w.start({ profile: 'ros1', library: 'test' });
    const enc = new TextEncoder();
    const imgSchema = await w.registerSchema({ name: 'sensor_msgs/CompressedImage', encoding: 'ros1msg', data: enc.encode(ROS1_IMAGE) });
    const tfSchema = await w.registerSchema({ name: 'tf2_msgs/TFMessage', encoding: 'ros1msg', data: enc.encode(ROS1_TF) });
    const img = await w.registerChannel({ topic: '/usb_cam/image_raw/compressed', schemaId: imgSchema, messageEncoding: 'ros1', metadata: new Map() });
    const tf = await w.registerChannel({ topic: '/tf', schemaId: tfSchema, messageEncoding: 'ros1', metadata: new Map() });
    const imgW = new Ros1Writer(parse(ROS1_IMAGE)), tfW = new Ros1Writer(parse(ROS1_TF));
    const frame = png(64, 48, 90);
    for (let i = 0; i < 4; i++) {
      const t = BigInt(i) * 100_000_000n + 5_000_000_000n + (i >= 2 ? 3_000_000_000n : 0n); // a 3 s gap after frame 1
      const stamp = { sec: Number(t / 1_000_000_000n), nsec: Number(t % 1_000_000_000n) };
      await w.addMessage({ channelId: tf, sequence: i, logTime: t, publishTime: t, data: tfW.writeMessage({ transforms: [{ header: { seq: i, stamp, frame_id: 'base' }, child_frame_id: 'tool0', transform: { translation: { x: i, y: 0, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } } }] }) });
      await w.addMessage({ channelId: img, sequence: i, logTime: t + 1n, publishTime: t + 1n, data: imgW.writeMessage({ header: { seq: i, stamp, frame_id: 'cam' }, format: 'png', data: frame }) });
    }
    await w.end();
    const files = oneFile('ros1.mcap', sink.bytes());
    const info = await inspectBag(files);
    expect(info).toMatchObject({ format: 'mcap', profile: 'ros1' });
    expect(info.cameras).toEqual([expect.objectContaining({ topic: '/usb_cam/image_raw/compressed', width: 64, height: 48, frameId: 'cam', infoTopic: null })]);
    expect(info.eeChoices[0]).toEqual({ kind: 'tf', frame: 'tool0' });
    expect(info.episodes.map((e) => e.frames)).toEqual([2, 2]);
    const bag = await openBag(files);
    const series = await readRobotSeries(bag, await describeRobot(bag), { camera: '/usb_cam/image_raw/compressed', ee: { kind: 'tf', frame: 'tool0' }, gripper: null, cut: { kind: 'gaps', seconds: 1 } }, 'ros1');
    expect(series.states.map((s) => s[series.eeStateIndices![0]])).toEqual([0, 1, 2, 3]);
    expect(series.calibration).toBeNull();
    expect(series.problems.join(' ')).toMatch(/No CameraInfo/);
  });
});

describe('bad MCAP input', () => {
  it('says what is wrong with a file that is not MCAP, and with one cut off mid-recording', async () => {
    await expect(openMcap(new TextEncoder().encode('hello, not a bag'), 'notes.mcap')).rejects.toThrow(/notes\.mcap: not an MCAP file/);
    const whole = await writeEpisodeMcap(episode());
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    await expect((async () => { const b = await openMcap(cut, 'cut.mcap'); for await (const _ of b.messages()) void _; })()).rejects.toThrow(/cut\.mcap: the MCAP file ends early.*mcap recover/);
  });
});
