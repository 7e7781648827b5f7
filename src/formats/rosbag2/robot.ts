/**
 * Robot data in a bag: which topic is the camera (and its CameraInfo), where the end effector
 * comes from (a `/tf` frame, a pose topic, or `joint_states` for forward kinematics with a URDF),
 * the gripper signal, and how the recording is cut into episodes. Everything is sampled at the
 * camera's frames (the last value at or before each frame's log time).
 */
import { invertRigid, projectionFromIntrinsics } from '../../core/camera/projection';
import { baseType, type BagReader, type BagTopic } from '../mcap/bag';
import { imagePayload } from './images';
import { matrixOf, TfBuffer } from './tf';

export const IMAGE_TYPES = ['sensor_msgs/Image', 'sensor_msgs/CompressedImage'];
const INFO_TYPE = 'sensor_msgs/CameraInfo';
const TF_TYPES = ['tf2_msgs/TFMessage', 'tf/tfMessage'];
const POSE_TYPES = ['geometry_msgs/PoseStamped', 'geometry_msgs/Pose', 'geometry_msgs/PointStamped'];
const JOINT_TYPE = 'sensor_msgs/JointState';
const SCALAR_TYPES = ['std_msgs/Float64', 'std_msgs/Float32', 'std_msgs/Bool'];
const EE_NAME = /(tool|tcp|ee|end_?effector|eef|gripper|hand|flange|wrist)/i;
const GRIPPER_NAME = /(gripper|finger|jaw|claw)/i;

export interface BagCamera {
  topic: string;
  type: string;
  count: number;
  width: number;
  height: number;
  frameId: string;
  /** The CameraInfo topic paired with it (same namespace), or null. */
  infoTopic: string | null;
}

export type EeChoice = { kind: 'tf'; frame: string } | { kind: 'pose'; topic: string } | { kind: 'joints'; topic: string } | { kind: 'none' };
export type GripperChoice = { kind: 'joint'; topic: string; name: string } | { kind: 'topic'; topic: string } | null;
export type CutChoice = { kind: 'whole' } | { kind: 'gaps'; seconds: number } | { kind: 'topic'; topic: string };

export interface RobotDescription {
  cameras: BagCamera[];
  /** End-effector sources found, best first. */
  eeChoices: EeChoice[];
  gripperChoices: Exclude<GripperChoice, null>[];
  /** Topics that could mark episode starts (std_msgs/String, Bool, Empty…). */
  markerTopics: string[];
  tfFrames: string[];
}

const is = (t: BagTopic, types: string[]) => types.includes(baseType(t.type));
const commonPrefix = (a: string, b: string) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return i; };

/** Reads what it needs to describe the bag: first image and info messages, all of /tf, first joint state. */
export async function describeRobot(bag: BagReader): Promise<RobotDescription> {
  const imageTopics = bag.topics.filter((t) => is(t, IMAGE_TYPES) && t.count > 0);
  const infoTopics = bag.topics.filter((t) => is(t, [INFO_TYPE]));
  const tfTopics = bag.topics.filter((t) => is(t, TF_TYPES));
  const jointTopics = bag.topics.filter((t) => is(t, [JOINT_TYPE]) && t.count > 0);
  const first = new Map<string, unknown>();
  const tf = new TfBuffer();
  const wantFirst = new Set([...imageTopics, ...infoTopics, ...jointTopics].map((t) => t.name));
  const tfNames = new Set(tfTopics.map((t) => t.name));
  if (wantFirst.size || tfNames.size) {
    for await (const m of bag.messages({ topics: [...wantFirst, ...tfNames] })) {
      if (tfNames.has(m.topic)) tf.addMessage(bag.decode(m.topic, m.data), m.logTimeNs, m.topic.endsWith('_static'));
      else if (!first.has(m.topic)) {
        first.set(m.topic, bag.decode(m.topic, m.data));
        if (!tfNames.size && first.size === wantFirst.size) break;
      }
    }
  }
  const cameras: BagCamera[] = imageTopics.map((t) => {
    const p = imagePayload(first.get(t.name), t.name);
    const info = infoTopics.map((i) => ({ i, score: commonPrefix(i.name, t.name) })).sort((a, b) => b.score - a.score)[0];
    return { topic: t.name, type: t.type, count: t.count, width: p.width, height: p.height, frameId: p.frameId, infoTopic: info && info.score > 1 ? info.i.name : infoTopics.length === 1 ? infoTopics[0].name : null };
  });
  const cameraFrames = new Set(cameras.map((c) => c.frameId));
  const eeFrames = tf.leaves().filter((f) => !cameraFrames.has(f) && !/camera|optical|cam_/i.test(f));
  eeFrames.sort((a, b) => Number(EE_NAME.test(b)) - Number(EE_NAME.test(a)) || tf.depth(b) - tf.depth(a));
  const eeChoices: EeChoice[] = [
    ...eeFrames.map((frame) => ({ kind: 'tf', frame }) as const),
    ...bag.topics.filter((t) => is(t, POSE_TYPES) && t.count > 0).map((t) => ({ kind: 'pose', topic: t.name }) as const),
    ...jointTopics.map((t) => ({ kind: 'joints', topic: t.name }) as const),
  ];
  const gripperChoices: Exclude<GripperChoice, null>[] = [
    ...bag.topics.filter((t) => GRIPPER_NAME.test(t.name) && (is(t, SCALAR_TYPES) || is(t, [JOINT_TYPE])) && t.count > 0).map((t) => ({ kind: 'topic', topic: t.name }) as const),
    ...jointTopics.flatMap((t) => ((first.get(t.name) as { name?: string[] })?.name ?? []).filter((n) => GRIPPER_NAME.test(n)).map((name) => ({ kind: 'joint', topic: t.name, name }) as const)),
  ];
  const markerTopics = bag.topics.filter((t) => ['std_msgs/String', 'std_msgs/Bool', 'std_msgs/Empty'].includes(baseType(t.type)) && t.count > 0).map((t) => t.name);
  return { cameras, eeChoices, gripperChoices, markerTopics, tfFrames: tf.frames() };
}

export interface RobotPlan {
  camera: string;
  infoTopic?: string | null;
  ee: EeChoice;
  gripper: GripperChoice;
  cut: CutChoice;
}

export interface BagEpisode {
  index: number;
  /** Camera frames [start, end) of the whole recording. */
  start: number;
  end: number;
  task: string;
}

export interface RobotSeries {
  camera: BagCamera;
  frameTimesNs: bigint[];
  stateNames: string[];
  /** One row per camera frame. */
  states: number[][];
  eeStateIndices: [number, number, number] | null;
  gripperColumn: number | null;
  episodes: BagEpisode[];
  /** P = K [R|t] from the CameraInfo and the TF from the end effector's root frame to the camera, or null. */
  calibration: { projection: number[]; width: number; height: number; origin: string } | null;
  problems: string[];
}

/** Splits frame times into episodes. */
export function cutEpisodes(frameTimesNs: readonly bigint[], cut: CutChoice, markers: { timeNs: bigint; text: string }[], fallbackTask: string): BagEpisode[] {
  const n = frameTimesNs.length;
  if (!n) return [];
  const starts: { at: number; task: string }[] = [{ at: 0, task: fallbackTask }];
  if (cut.kind === 'gaps') {
    const gap = BigInt(Math.round(cut.seconds * 1e9));
    for (let i = 1; i < n; i++) if (frameTimesNs[i] - frameTimesNs[i - 1] > gap) starts.push({ at: i, task: fallbackTask });
  } else if (cut.kind === 'topic') {
    for (const m of markers) {
      const at = frameTimesNs.findIndex((t) => t >= m.timeNs);
      if (at < 0) continue;
      if (at === 0 || starts[starts.length - 1].at === at) starts[starts.length - 1].task = m.text || fallbackTask;
      else starts.push({ at, task: m.text || fallbackTask });
    }
  }
  return starts.map((s, i) => ({ index: i, start: s.at, end: i + 1 < starts.length ? starts[i + 1].at : n, task: s.task })).filter((e) => e.end > e.start);
}

const scalar = (msg: unknown): number => {
  const d = (msg as { data?: unknown })?.data;
  return typeof d === 'boolean' ? Number(d) : Number(d ?? NaN);
};

/** Reads the chosen topics once and samples them at every camera frame. */
export async function readRobotSeries(bag: BagReader, desc: RobotDescription, plan: RobotPlan, bagName: string): Promise<RobotSeries> {
  const camera = desc.cameras.find((c) => c.topic === plan.camera);
  if (!camera) throw new Error(`The bag has no camera topic ${plan.camera}.`);
  const infoTopic = plan.infoTopic === undefined ? camera.infoTopic : plan.infoTopic;
  const tfTopics = bag.topics.filter((t) => is(t, TF_TYPES)).map((t) => t.name);
  const jointTopic = plan.ee.kind === 'joints' ? plan.ee.topic : bag.topics.find((t) => is(t, [JOINT_TYPE]) && t.count > 0 && !GRIPPER_NAME.test(t.name))?.name ?? null;
  const poseTopic = plan.ee.kind === 'pose' ? plan.ee.topic : null;
  const gripperTopic = plan.gripper?.kind === 'topic' ? plan.gripper.topic : null;
  const cutTopic = plan.cut.kind === 'topic' ? plan.cut.topic : null;
  const topics = [camera.topic, ...tfTopics, jointTopic, poseTopic, gripperTopic, cutTopic, infoTopic].filter((t): t is string => !!t);

  const tf = new TfBuffer();
  const frameTimesNs: bigint[] = [];
  const rows: number[][] = [];
  let jointNames: string[] = [];
  let joints: number[] = [];
  let pose: number[] = [NaN, NaN, NaN];
  let poseFrame = '';
  let gripper = NaN;
  let info: { k: number[]; frameId: string; width: number; height: number } | null = null;
  const markers: { timeNs: bigint; text: string }[] = [];
  const problems: string[] = [];
  for await (const m of bag.messages({ topics: [...new Set(topics)] })) {
    const t = m.topic;
    if (t === camera.topic) {
      frameTimesNs.push(m.logTimeNs);
      rows.push([...joints, ...pose, gripper]);
      continue;
    }
    const msg = bag.decode(t, m.data) as Record<string, unknown>;
    if (tfTopics.includes(t)) tf.addMessage(msg, m.logTimeNs, t.endsWith('_static'));
    if (t === jointTopic) {
      const names = (msg.name as string[]) ?? [];
      if (!jointNames.length) jointNames = [...names];
      const pos = Array.from((msg.position as ArrayLike<number>) ?? []);
      joints = jointNames.map((n) => { const i = names.indexOf(n); return i >= 0 ? pos[i] : NaN; });
      if (plan.gripper?.kind === 'joint' && plan.gripper.topic === t) { const i = names.indexOf(plan.gripper.name); if (i >= 0) gripper = pos[i]; }
    }
    if (t === poseTopic) {
      const p = ((msg.pose as Record<string, unknown>)?.position ?? msg.position ?? msg.point ?? msg) as { x: number; y: number; z: number };
      pose = [p.x, p.y, p.z];
      poseFrame = (msg.header as { frame_id?: string })?.frame_id ?? '';
    }
    if (t === gripperTopic) gripper = is(bag.topics.find((x) => x.name === t)!, [JOINT_TYPE]) ? Array.from((msg.position as ArrayLike<number>) ?? [NaN])[0] : scalar(msg);
    if (t === cutTopic) markers.push({ timeNs: m.logTimeNs, text: typeof msg.data === 'string' ? msg.data : '' });
    if (t === infoTopic && !info) {
      const k = Array.from(((msg.k ?? msg.K) as ArrayLike<number>) ?? []);
      info = { k, frameId: (msg.header as { frame_id?: string })?.frame_id ?? '', width: Number(msg.width ?? 0), height: Number(msg.height ?? 0) };
    }
  }
  // Rows were taken before later joint names were known: pad to the final width.
  const jw = jointNames.length;
  const states = rows.map((r) => {
    const j = r.slice(0, r.length - 4);
    return [...j, ...new Array(Math.max(0, jw - j.length)).fill(NaN), ...r.slice(r.length - 4)];
  });
  const stateNames = [...jointNames, 'ee_x', 'ee_y', 'ee_z', 'gripper'];
  let eeStateIndices: [number, number, number] | null = null;
  let eeRootFrame = poseFrame;
  if (plan.ee.kind === 'tf') {
    const frame = plan.ee.frame;
    eeRootFrame = tf.rootOf(frame);
    let missing = 0;
    frameTimesNs.forEach((time, i) => {
      const r = tf.inRoot(frame, time);
      if (r) states[i].splice(jw, 3, ...r.t);
      else missing++;
    });
    if (missing) problems.push(`${missing} of ${frameTimesNs.length} camera frames come before any /tf for ${frame}; their end effector is unknown.`);
  }
  if (plan.ee.kind === 'tf' || plan.ee.kind === 'pose') eeStateIndices = [jw, jw + 1, jw + 2];

  let calibration: RobotSeries['calibration'] = null;
  if (info && info.k.length === 9 && info.k.some((v) => v !== 0) && eeStateIndices) {
    const camFrame = info.frameId || camera.frameId;
    const root = eeRootFrame.replace(/^\/+/, '');
    const camInRoot = tf.rootOf(camFrame) === root ? tf.inRoot(camFrame, frameTimesNs[0] ?? bag.startNs) : null;
    if (camInRoot) {
      calibration = { projection: projectionFromIntrinsics(info.k, invertRigid(matrixOf(camInRoot))), width: info.width || camera.width, height: info.height || camera.height, origin: `${infoTopic} + /tf ${root} → ${camFrame}` };
    } else if (camFrame.replace(/^\/+/, '') === root) {
      calibration = { projection: projectionFromIntrinsics(info.k, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]), width: info.width || camera.width, height: info.height || camera.height, origin: `${infoTopic} (end effector in the camera frame)` };
    } else {
      problems.push(`${infoTopic} is in frame “${camFrame}”, which /tf does not connect to “${root}” (the end effector's frame); calibrate the camera by clicks instead.`);
    }
  } else if (!infoTopic) {
    problems.push(`No CameraInfo for ${camera.topic}; calibrate the camera by clicks.`);
  }
  return {
    camera, frameTimesNs, stateNames, states, eeStateIndices,
    gripperColumn: plan.gripper ? stateNames.length - 1 : null,
    episodes: cutEpisodes(frameTimesNs, plan.cut, markers, bagName), calibration, problems,
  };
}
