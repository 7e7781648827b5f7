import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@foxglove/rosmsg';
import { MessageWriter } from '@foxglove/rosmsg2-serialization';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedFixture } from '../../testing/sharedFixtures';
import { ros2SchemaText } from '../mcap/ros2Schemas';
import { inspectBag } from './inspect';
import { openBag, type BagFiles } from './open';
import { describeRobot, readRobotSeries } from './robot';

// sql.js in Node: its WASM handed over as bytes (it would try to fetch() a file path).
const SQL = { wasmBinary: new Uint8Array(readFileSync(join(process.cwd(), 'node_modules/@foxglove/sql.js/dist/sql-wasm.wasm'))) };

function folder(root: string, name = root.split('/').pop()!): BagFiles {
  const names = readdirSync(root);
  return { name, paths: () => names.map((n) => `${name}/${n}`), get: (p) => { const n = p.slice(name.length + 1); return names.includes(n) ? new Blob([readFileSync(join(root, n))]) : undefined; } };
}

const fx = sharedFixture('rosbag2-mcap');

describe.skipIf(!fx.present)('rosbag2 test bags from ros2/rosbag2 (MCAP storage, zstd chunks)', () => {
  it('talker: lists topics with types and counts, and says there is no camera and which topics there are', async () => {
    const info = await inspectBag(folder(fx.path('talker')));
    expect(info).toMatchObject({ format: 'rosbag2', version: 'rosbag2 v4', profile: 'ros2', storage: 'mcap', cameras: [], episodes: [] });
    expect(info.topics).toEqual([
      { name: '/parameter_events', type: 'rcl_interfaces/msg/ParameterEvent', count: 0 },
      { name: '/rosout', type: 'rcl_interfaces/msg/Log', count: 10 },
      { name: '/topic', type: 'std_msgs/msg/String', count: 10 },
    ]);
    expect(info.problems).toEqual([
      'talker has no camera topic (sensor_msgs/Image or sensor_msgs/CompressedImage), so there are no frames to make paths on. Its topics: /parameter_events (rcl_interfaces/msg/ParameterEvent, 0), /rosout (rcl_interfaces/msg/Log, 10), /topic (std_msgs/msg/String, 10).',
    ]);
    expect(BigInt(info.endNs) - BigInt(info.startNs)).toBe(4531096768n);
  });

  it('talker and cdr_test: CDR messages decode with the schemas in the file', async () => {
    const bag = await openBag(folder(fx.path('talker')));
    const texts: string[] = [];
    for await (const m of bag.messages({ topics: ['/topic'] })) texts.push((bag.decode(m.topic, m.data) as { data: string }).data);
    expect(texts).toEqual(Array.from({ length: 10 }, (_, i) => `Hello, world! ${i}`));
    const cdr = await openBag(folder(fx.path('cdr_test')));
    expect(cdr.version).toBe('rosbag2 v7');
    const basic: { int32_value: number }[] = [];
    for await (const m of cdr.messages({ topics: ['/test_topic'] })) basic.push(cdr.decode(m.topic, m.data) as { int32_value: number });
    expect(basic.map((b) => b.int32_value)).toEqual([123, 123, 123]);
    const info = await inspectBag(folder(fx.path('cdr_test')));
    expect(info.topics.map((t) => [t.name, t.count])).toEqual([['/array_topic', 4], ['/test_topic', 3]]);
    expect(info.problems[0]).toMatch(/no camera topic.*\/array_topic \(test_msgs\/msg\/Arrays, 4\), \/test_topic \(test_msgs\/msg\/BasicTypes, 3\)/);
  });

  it('a folder whose metadata.yaml lists a file that is not there says which', async () => {
    const whole = folder(fx.path('talker'));
    const partial: BagFiles = { ...whole, paths: () => ['talker/metadata.yaml'], get: (p) => (p === 'talker/metadata.yaml' ? whole.get(p) : undefined) };
    await expect(openBag(partial)).rejects.toThrow('talker: metadata.yaml lists talker.mcap, which is not in the folder. Add the missing file (or drop the whole bag folder).');
  });
});

describe('rosbag2 SQLite storage (.db3 written by Python’s sqlite3)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db3-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads topics, counts, a CompressedImage camera, CameraInfo, joint_states with a gripper joint', async () => {
    const cdr = (type: string, msg: unknown) => Buffer.from(new MessageWriter(parse(ros2SchemaText(type), { ros2: true })).writeMessage(msg)).toString('hex');
    const img = new PNG({ width: 32, height: 24 });
    img.data.fill(128);
    const pngBytes = new Uint8Array(PNG.sync.write(img));
    const rows: [number, number, string][] = [];
    const t0 = 1_600_000_000_000_000_000n;
    for (let i = 0; i < 5; i++) {
      const t = t0 + BigInt(i) * 100_000_000n;
      const stamp = { sec: Number(t / 1_000_000_000n), nanosec: Number(t % 1_000_000_000n) };
      rows.push([2, Number(t), cdr('sensor_msgs/msg/JointState', { header: { stamp, frame_id: '' }, name: ['shoulder', 'gripper_joint'], position: [i * 0.1, i < 2 ? 0.0 : 0.8], velocity: [], effort: [] })]);
      rows.push([1, Number(t + 1000n), cdr('sensor_msgs/msg/CompressedImage', { header: { stamp, frame_id: 'cam_optical' }, format: 'png', data: pngBytes })]);
      if (i === 0) rows.push([3, Number(t + 2000n), cdr('sensor_msgs/msg/CameraInfo', { header: { stamp, frame_id: 'cam_optical' }, height: 24, width: 32, distortion_model: '', d: [], k: [30, 0, 16, 0, 30, 12, 0, 0, 1], r: [1, 0, 0, 0, 1, 0, 0, 0, 1], p: new Array(12).fill(0), binning_x: 0, binning_y: 0, roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false } })]);
    }
    // The bag is written by a separate program (Python's sqlite3), with rosbag2's sqlite3 storage schema.
    const py = `
import json, sqlite3, sys
d = json.load(sys.stdin)
db = sqlite3.connect(d['path'])
db.executescript("""
CREATE TABLE schema(schema_version INTEGER PRIMARY KEY, ros_distro TEXT NOT NULL);
CREATE TABLE topics(id INTEGER PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL, serialization_format TEXT NOT NULL, offered_qos_profiles TEXT NOT NULL);
CREATE TABLE messages(id INTEGER PRIMARY KEY, topic_id INTEGER NOT NULL, timestamp INTEGER NOT NULL, data BLOB NOT NULL);
INSERT INTO schema VALUES (3, 'humble');
INSERT INTO topics VALUES (1, '/camera/image_raw/compressed', 'sensor_msgs/msg/CompressedImage', 'cdr', '');
INSERT INTO topics VALUES (2, '/joint_states', 'sensor_msgs/msg/JointState', 'cdr', '');
INSERT INTO topics VALUES (3, '/camera/camera_info', 'sensor_msgs/msg/CameraInfo', 'cdr', '');
""")
db.executemany("INSERT INTO messages(topic_id, timestamp, data) VALUES (?, ?, ?)", [(r[0], r[1], bytes.fromhex(r[2])) for r in d['rows']])
db.commit()
open(d['meta'], 'w').write("""rosbag2_bagfile_information:
  version: 5
  storage_identifier: sqlite3
  relative_file_paths:
    - arm_0.db3
  compression_format: ''
  compression_mode: ''
  topics_with_message_count: []
""")
`;
    execFileSync('python3', ['-c', py], { input: JSON.stringify({ path: join(dir, 'arm_0.db3'), meta: join(dir, 'metadata.yaml'), rows }) });

    const files = folder(dir, 'arm');
    const info = await inspectBag(files, SQL);
    expect(info).toMatchObject({ format: 'rosbag2', storage: 'sqlite3', version: 'rosbag2 v5', problems: [] });
    expect(info.eeChoices).toEqual([{ kind: 'joints', topic: '/joint_states' }]);
    expect(info.topics).toEqual([
      { name: '/camera/camera_info', type: 'sensor_msgs/msg/CameraInfo', count: 1 },
      { name: '/camera/image_raw/compressed', type: 'sensor_msgs/msg/CompressedImage', count: 5 },
      { name: '/joint_states', type: 'sensor_msgs/msg/JointState', count: 5 },
    ]);
    expect(info.cameras).toEqual([{ topic: '/camera/image_raw/compressed', type: 'sensor_msgs/msg/CompressedImage', count: 5, width: 32, height: 24, frameId: 'cam_optical', infoTopic: '/camera/camera_info' }]);
    expect(info.gripperChoices).toEqual([{ kind: 'joint', topic: '/joint_states', name: 'gripper_joint' }]);
    expect(info.episodes).toEqual([{ index: 0, frames: 5, startNs: String(t0 + 1000n), endNs: String(t0 + 400_001_000n) }]);

    const bag = await openBag(files, SQL);
    const series = await readRobotSeries(bag, await describeRobot(bag), { camera: '/camera/image_raw/compressed', ee: { kind: 'joints', topic: '/joint_states' }, gripper: { kind: 'joint', topic: '/joint_states', name: 'gripper_joint' }, cut: { kind: 'whole' } }, 'arm');
    expect(series.stateNames).toEqual(['shoulder', 'gripper_joint', 'ee_x', 'ee_y', 'ee_z', 'gripper']);
    expect(series.states.map((s) => s[series.gripperColumn!])).toEqual([0, 0, 0.8, 0.8, 0.8]);
    expect(series.states.map((s) => s[0])).toEqual([0, 0.1, 0.2, 0.30000000000000004, 0.4]);
    expect(series.eeStateIndices).toBeNull();
    await bag.close();
  });
});
