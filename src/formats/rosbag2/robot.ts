/**
 * Robot data in a bag: which topic is the camera (and its CameraInfo), where the end effector
 * comes from (a `/tf` frame, a pose topic, or `joint_states` for forward kinematics with a URDF),
 * the gripper signal, and how the recording is cut into episodes. Everything is sampled at the
 * camera's frames (the last value at or before each frame's log time).
 */
import type { BagReader } from '../mcap/bag';
import { imagePayload } from './images';
import { GRIPPER_NAME, IMAGE_TYPES, INFO_TYPES, isOfType as is, JOINT_TYPES, MARKER_TYPES, POSE_TYPES, SCALAR_TYPES, TF_TYPES } from './messageTypes';
import { assembleSeries, topicsOfPlan, type RobotSeries } from './series';
import { TfBuffer } from './tf';
import { BagTopicStore, type ReadProgress } from './topicStore';

export { IMAGE_TYPES } from './messageTypes';
export { cutEpisodes, topicsOfPlan, type BagEpisode, type RobotSeries } from './series';

const EE_NAME = /(tool|tcp|ee|end_?effector|eef|gripper|hand|flange|wrist)/i;

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
  /** Every sensor_msgs/CameraInfo topic (each camera's paired one is in its `infoTopic`). */
  infoTopics: string[];
  /** End-effector sources found, best first. */
  eeChoices: EeChoice[];
  /** Gripper signals named like a gripper (`gripper`, `finger`, `jaw`, `claw`), the first being the automatic choice. */
  gripperChoices: Exclude<GripperChoice, null>[];
  /** Every other Float64/Float32/Bool topic and joint of joint_states, which the user may pick as the gripper. */
  otherGripperSignals: Exclude<GripperChoice, null>[];
  /** Topics that could mark episode starts (std_msgs/String, Bool, Empty…). */
  markerTopics: string[];
  tfFrames: string[];
}

const commonPrefix = (a: string, b: string) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return i; };

/**
 * Reads what it needs to describe the bag: first image and info messages, all of /tf (into `tf`,
 * which a caller may keep for reading the series), first joint state.
 */
export async function describeRobot(bag: BagReader, tf = new TfBuffer()): Promise<RobotDescription> {
  const imageTopics = bag.topics.filter((t) => is(t, IMAGE_TYPES) && t.count > 0);
  const infoTopics = bag.topics.filter((t) => is(t, INFO_TYPES));
  const tfTopics = bag.topics.filter((t) => is(t, TF_TYPES));
  const jointTopics = bag.topics.filter((t) => is(t, JOINT_TYPES) && t.count > 0);
  const first = new Map<string, unknown>();
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
  const signalTopics = bag.topics.filter((t) => (is(t, SCALAR_TYPES) || (is(t, JOINT_TYPES) && GRIPPER_NAME.test(t.name))) && t.count > 0).map((t) => ({ kind: 'topic', topic: t.name }) as const);
  const joints = jointTopics.flatMap((t) => ((first.get(t.name) as { name?: string[] })?.name ?? []).map((name) => ({ kind: 'joint', topic: t.name, name }) as const));
  const gripperChoices: Exclude<GripperChoice, null>[] = [...signalTopics.filter((c) => GRIPPER_NAME.test(c.topic)), ...joints.filter((c) => GRIPPER_NAME.test(c.name))];
  const otherGripperSignals: Exclude<GripperChoice, null>[] = [...signalTopics.filter((c) => !GRIPPER_NAME.test(c.topic)), ...joints.filter((c) => !GRIPPER_NAME.test(c.name))];
  const markerTopics = bag.topics.filter((t) => is(t, MARKER_TYPES) && t.count > 0).map((t) => t.name);
  return { cameras, infoTopics: infoTopics.map((t) => t.name), eeChoices, gripperChoices, otherGripperSignals, markerTopics, tfFrames: tf.frames() };
}

export interface RobotPlan {
  camera: string;
  /** The CameraInfo topic; null: none (calibrate by clicks); left out: the one paired with the camera. */
  infoTopic?: string | null;
  ee: EeChoice;
  gripper: GripperChoice;
  cut: CutChoice;
}

/** Reads the topics the plan needs (once) and samples them at every camera frame. */
export async function readRobotSeries(bag: BagReader, desc: RobotDescription, plan: RobotPlan, bagName: string, progress: ReadProgress = {}): Promise<RobotSeries> {
  const store = new BagTopicStore(bag);
  await store.load(topicsOfPlan(bag, desc, plan), progress);
  return assembleSeries(store, desc, plan, bagName);
}
