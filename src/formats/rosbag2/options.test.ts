import { describe, expect, it } from 'vitest';
import { twoCameraRobotBag, writeRos2Mcap } from '../../testing/ros2Bags';
import { inspectBag } from './inspect';
import { openBag, type BagFiles } from './open';
import { resolveBagOptions, type BagImportOptions } from './options';
import { describeRobot, readRobotSeries } from './robot';

const oneFile = (name: string, bytes: Uint8Array): BagFiles => ({ name, paths: () => [name], get: (p) => (p === name ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : undefined) });
const CAM_A = '/cam_a/image_raw/compressed';
const CAM_B = '/cam_b/image_raw/compressed';

async function robotBag() {
  const files = oneFile('robot.mcap', await writeRos2Mcap(twoCameraRobotBag()));
  const bag = await openBag(files);
  const desc = await describeRobot(bag);
  /** The series read with these options (resolved against the bag's candidates). */
  const read = (options: BagImportOptions) => readRobotSeries(bag, desc, resolveBagOptions(desc, options, 'robot'), 'robot');
  return { files, bag, desc, read };
}

describe('bag import options (a bag with two cameras, /tf, a pose topic, joint_states, gripper signals and a marker topic)', () => {
  it('inspectBag lists the candidates for every choice and the automatic plan', async () => {
    const { files } = await robotBag();
    const info = await inspectBag(files);
    expect(info.cameras.map((c) => [c.topic, c.width, c.height, c.count, c.infoTopic])).toEqual([
      [CAM_A, 32, 24, 10, '/cam_a/camera_info'],
      [CAM_B, 16, 12, 6, '/cam_b/camera_info'],
    ]);
    expect(info.infoTopics).toEqual(['/cam_a/camera_info', '/cam_b/camera_info']);
    expect(info.eeChoices).toEqual([{ kind: 'tf', frame: 'tool0' }, { kind: 'pose', topic: '/ee_pose' }, { kind: 'joints', topic: '/joint_states' }]);
    expect(info.gripperChoices).toEqual([{ kind: 'topic', topic: '/gripper_cmd' }]);
    expect(info.otherGripperSignals).toEqual([{ kind: 'topic', topic: '/effort' }, { kind: 'joint', topic: '/joint_states', name: 'shoulder' }, { kind: 'joint', topic: '/joint_states', name: 'elbow' }]);
    expect(info.markerTopics).toEqual(['/task']);
    expect(info.plan).toEqual({ camera: CAM_A, infoTopic: '/cam_a/camera_info', ee: { kind: 'tf', frame: 'tool0' }, gripper: { kind: 'topic', topic: '/gripper_cmd' }, cut: { kind: 'gaps', seconds: 1 } });
    expect(info.episodes.map((e) => e.frames)).toEqual([10]);
    expect(info.problems).toEqual([]);
  });

  it('inspectBag cuts with the chosen camera and cut', async () => {
    const { files } = await robotBag();
    expect((await inspectBag(files, { choices: { camera: CAM_B } })).episodes.map((e) => e.frames)).toEqual([3, 3]);
    const byTask = await inspectBag(files, { choices: { cut: { kind: 'topic', topic: '/task' } } });
    expect(byTask.episodes.map((e) => e.frames)).toEqual([5, 5]);
    expect(byTask.problems).toEqual(['1 message of /task comes after the last camera frame and starts no episode.']);
  });

  it('the second camera gives its own frames, episodes, end-effector samples and calibration', async () => {
    const { read } = await robotBag();
    const a = await read({});
    expect(a.camera.topic).toBe(CAM_A);
    expect(a.frameTimesNs).toHaveLength(10);
    expect(a.episodes.map((e) => [e.start, e.end])).toEqual([[0, 10]]);
    const b = await read({ camera: CAM_B });
    expect(b.camera).toMatchObject({ topic: CAM_B, width: 16, height: 12 });
    expect(b.frameTimesNs).toHaveLength(6);
    expect(b.episodes.map((e) => [e.start, e.end])).toEqual([[0, 3], [3, 6]]);
    const [x] = b.eeStateIndices!;
    expect(b.states.map((s) => s[x])).toEqual([0, 0.2, 0.4, 2, 2.2, 2.4].map((v) => expect.closeTo(v, 9)));
    // The camera's own CameraInfo, paired by name, and its own /tf link.
    expect(b.calibration?.origin).toBe('/cam_b/camera_info + /tf base → cam_b');
    expect(b.calibration).toMatchObject({ width: 16, height: 12 });
    expect(a.calibration?.origin).toBe('/cam_a/camera_info + /tf base → cam_a');
    // No CameraInfo: calibrate by clicks, and the screen is told so.
    const none = await read({ camera: CAM_B, infoTopic: null });
    expect(none.calibration).toBeNull();
    expect(none.problems).toContain(`No CameraInfo for ${CAM_B}; calibrate the camera by clicks.`);
  });

  it('the gripper comes from the chosen topic or joint, or from nothing', async () => {
    const { read } = await robotBag();
    const gripper = (s: Awaited<ReturnType<typeof read>>) => s.states.map((r) => r[s.gripperColumn!]);
    expect(gripper(await read({}))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(gripper(await read({ gripper: { kind: 'topic', topic: '/effort' } }))).toEqual(new Array(10).fill(7));
    expect(gripper(await read({ gripper: { kind: 'joint', topic: '/joint_states', name: 'elbow' } }))).toEqual([0, -0.1, -0.2, -0.3, -0.4, -0.5, -0.6, -0.7, -0.8, -0.9].map((v) => expect.closeTo(v, 9)));
    expect((await read({ gripper: null })).gripperColumn).toBeNull();
  });

  it('the end effector comes from a pose topic or joint_states (forward kinematics: no ee columns)', async () => {
    const { read } = await robotBag();
    const pose = await read({ ee: { kind: 'pose', topic: '/ee_pose' } });
    expect(pose.states.map((s) => s[pose.eeStateIndices![0]])).toEqual(Array.from({ length: 10 }, (_, i) => expect.closeTo(10 + i / 10, 9)));
    expect(pose.calibration?.origin).toBe('/cam_a/camera_info + /tf base → cam_a');
    const joints = await read({ ee: { kind: 'joints', topic: '/joint_states' } });
    expect(joints.eeStateIndices).toBeNull();
    expect(joints.stateNames.slice(0, 2)).toEqual(['shoulder', 'elbow']);
  });

  it('one episode per message of the marker topic, named by its text; a marker after the last frame is said', async () => {
    const { read } = await robotBag();
    const s = await read({ cut: { kind: 'topic', topic: '/task' } });
    expect(s.episodes).toEqual([{ index: 0, start: 0, end: 5, task: 'pick' }, { index: 1, start: 5, end: 10, task: 'place' }]);
    expect(s.problems).toContain('1 message of /task comes after the last camera frame and starts no episode.');
    expect((await read({ camera: CAM_B, cut: { kind: 'whole' } })).episodes).toEqual([{ index: 0, start: 0, end: 6, task: 'robot' }]);
    expect((await read({ camera: CAM_B, cut: { kind: 'gaps', seconds: 2 } })).episodes).toHaveLength(1);
  });

  it('a choice the bag does not offer is refused with the ones it does', async () => {
    const { desc } = await robotBag();
    const refuse = (o: BagImportOptions) => () => resolveBagOptions(desc, o, 'robot');
    expect(refuse({ camera: '/nope' })).toThrow(`robot: “/nope” is not a camera topic of this bag; its camera topics: ${CAM_A}, ${CAM_B}.`);
    expect(refuse({ infoTopic: '/task' })).toThrow('robot: “/task” is not a CameraInfo topic of this bag; its CameraInfo topics: /cam_a/camera_info, /cam_b/camera_info.');
    expect(refuse({ ee: { kind: 'tf', frame: 'cam_a' } })).toThrow('robot: the end effector cannot come from /tf frame cam_a; this bag offers /tf frame tool0, pose topic /ee_pose, joint states /joint_states.');
    expect(refuse({ gripper: { kind: 'joint', topic: '/joint_states', name: 'wrist' } })).toThrow(/the gripper cannot come from joint wrist of \/joint_states; this bag offers topic \/gripper_cmd, topic \/effort, joint shoulder/);
    expect(refuse({ cut: { kind: 'gaps', seconds: 0 } })).toThrow('robot: a camera gap must be a number of seconds above 0 (got 0).');
    expect(refuse({ cut: { kind: 'topic', topic: '/effort' } })).toThrow('robot: “/effort” cannot mark episodes; this bag\'s marker topics (std_msgs/String, Bool, Empty): /task.');
  });
});
