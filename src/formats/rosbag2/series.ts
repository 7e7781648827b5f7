/**
 * A bag's robot data at the camera's frames, from the topics a plan names (read by BagTopicStore):
 * each frame takes, per value, the last message at or before its log time. Also the episode cut
 * and the calibration (CameraInfo `k` + the /tf link from the end effector's root to the camera).
 */
import { invertRigid, projectionFromIntrinsics } from '../../core/camera/projection';
import type { BagReader } from '../mcap/bag';
import { GRIPPER_NAME, isOfType, JOINT_TYPES, TF_TYPES } from './messageTypes';
import type { BagCamera, CutChoice, RobotDescription, RobotPlan } from './robot';
import { matrixOf } from './tf';
import type { BagTopicStore, StoredMessage } from './topicStore';

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

export interface EpisodeMarker {
  timeNs: bigint;
  text: string;
}

/**
 * Splits frame times into episodes. With a marker topic, each marker starts an episode at the first
 * frame at or after it (its text, when it has one, is the instruction); frames before the first
 * marker are an episode of their own. What a marker cannot do is said in `problems`.
 */
export function cutEpisodes(frameTimesNs: readonly bigint[], cut: CutChoice, markers: EpisodeMarker[], fallbackTask: string, problems: string[] = []): BagEpisode[] {
  const n = frameTimesNs.length;
  if (!n) return [];
  const starts: { at: number; task: string }[] = [{ at: 0, task: fallbackTask }];
  if (cut.kind === 'gaps') {
    const gap = BigInt(Math.round(cut.seconds * 1e9));
    for (let i = 1; i < n; i++) if (frameTimesNs[i] - frameTimesNs[i - 1] > gap) starts.push({ at: i, task: fallbackTask });
  } else if (cut.kind === 'topic') {
    let after = 0, shared = 0;
    for (const m of markers) {
      const at = frameTimesNs.findIndex((t) => t >= m.timeNs);
      if (at < 0) { after++; continue; }
      const last = starts[starts.length - 1];
      if (last.at === at) {
        if (at > 0 || m !== markers[0]) shared++;
        last.task = m.text || fallbackTask;
      } else starts.push({ at, task: m.text || fallbackTask });
    }
    if (!markers.length) problems.push(`${cut.topic} has no messages: the whole bag is one episode.`);
    if (after) problems.push(`${after} message${after === 1 ? '' : 's'} of ${cut.topic} come${after === 1 ? 's' : ''} after the last camera frame and start${after === 1 ? 's' : ''} no episode.`);
    if (shared) problems.push(`${shared} message${shared === 1 ? '' : 's'} of ${cut.topic} fall${shared === 1 ? 's' : ''} on the same camera frame as the one before; the later one names the episode.`);
  }
  return starts.map((s, i) => ({ index: i, start: s.at, end: i + 1 < starts.length ? starts[i + 1].at : n, task: s.task })).filter((e) => e.end > e.start);
}

/** The messages of a marker topic; std_msgs/String text becomes the episode's instruction. */
export function markersOf(store: BagTopicStore, topic: string): EpisodeMarker[] {
  return store.messagesOf(topic).map((r) => {
    const data = (r.msg as { data?: unknown }).data;
    return { timeNs: r.timeNs, text: typeof data === 'string' ? data : '' };
  });
}

/** The joint_states read into the state vector: the end effector's own, else the first not named like a gripper. */
export function jointStatesTopic(bag: BagReader, plan: RobotPlan): string | null {
  if (plan.ee.kind === 'joints') return plan.ee.topic;
  return bag.topics.find((t) => isOfType(t, JOINT_TYPES) && t.count > 0 && !GRIPPER_NAME.test(t.name))?.name ?? null;
}

const infoTopicOf = (desc: RobotDescription, plan: RobotPlan) => (plan.infoTopic === undefined ? desc.cameras.find((c) => c.topic === plan.camera)?.infoTopic ?? null : plan.infoTopic);

/** The topics a plan reads: the camera, /tf, joint states, the chosen pose, gripper, marker and CameraInfo topics. */
export function topicsOfPlan(bag: BagReader, desc: RobotDescription, plan: RobotPlan): string[] {
  return [
    plan.camera,
    ...bag.topics.filter((t) => isOfType(t, TF_TYPES)).map((t) => t.name),
    jointStatesTopic(bag, plan),
    plan.ee.kind === 'pose' || plan.ee.kind === 'joints' ? plan.ee.topic : null,
    plan.gripper?.topic,
    plan.cut.kind === 'topic' ? plan.cut.topic : null,
    infoTopicOf(desc, plan),
  ].filter((t): t is string => !!t);
}

/** For each frame time, `read()` after applying every message at or before it (frames and messages in time order). */
function sampleAtFrames<T>(frames: readonly bigint[], messages: readonly StoredMessage[], apply: (msg: Record<string, unknown>) => void, read: () => T): T[] {
  let k = 0;
  return frames.map((t) => {
    while (k < messages.length && messages[k].timeNs <= t) apply(messages[k++].msg as Record<string, unknown>);
    return read();
  });
}

const scalar = (msg: Record<string, unknown>): number => {
  const d = msg?.data;
  return typeof d === 'boolean' ? Number(d) : Number(d ?? NaN);
};

const positionsOf = (msg: Record<string, unknown>) => ({ names: (msg.name as string[]) ?? [], position: Array.from((msg.position as ArrayLike<number>) ?? []) });

/** Frames before a source's first value: said, not left as silent NaNs. */
function countUnknown(values: readonly number[], what: string, problems: string[]): void {
  const missing = values.filter((v) => Number.isNaN(v)).length;
  if (missing) problems.push(`${missing} of ${values.length} camera frames have no ${what} at or before them; their value is unknown.`);
}

/** The robot series from what the store has read (load `topicsOfPlan` first). */
export function assembleSeries(store: BagTopicStore, desc: RobotDescription, plan: RobotPlan, bagName: string): RobotSeries {
  const camera = desc.cameras.find((c) => c.topic === plan.camera);
  if (!camera) throw new Error(`The bag has no camera topic ${plan.camera}.`);
  const frameTimesNs = store.timesOf(camera.topic);
  const problems: string[] = [];
  const tf = store.tf;

  // Joint positions by name: each name keeps its last value (publishers may send subsets).
  const jointTopic = jointStatesTopic(store.bag, plan);
  const jointMessages = jointTopic ? store.messagesOf(jointTopic) : [];
  const jointNames: string[] = [];
  for (const r of jointMessages) for (const n of positionsOf(r.msg as Record<string, unknown>).names) if (!jointNames.includes(n)) jointNames.push(n);
  const current = new Map<string, number>();
  const jointRows = sampleAtFrames(frameTimesNs, jointMessages, (msg) => {
    const { names, position } = positionsOf(msg);
    names.forEach((n, i) => current.set(n, position[i]));
  }, () => jointNames.map((n) => current.get(n) ?? NaN));

  // End effector: a pose topic sampled at the frames, or a /tf frame in its tree's root.
  let ee: number[][] = frameTimesNs.map(() => [NaN, NaN, NaN]);
  let eeRootFrame = '';
  if (plan.ee.kind === 'pose') {
    const msgs = store.messagesOf(plan.ee.topic);
    let p = [NaN, NaN, NaN];
    ee = sampleAtFrames(frameTimesNs, msgs, (msg) => {
      const q = ((msg.pose as Record<string, unknown>)?.position ?? msg.position ?? msg.point ?? msg) as { x: number; y: number; z: number };
      p = [q.x, q.y, q.z];
    }, () => p);
    eeRootFrame = ((msgs[0]?.msg as { header?: { frame_id?: string } })?.header?.frame_id) ?? '';
    countUnknown(ee.map((r) => r[0]), `message of ${plan.ee.topic}`, problems);
  } else if (plan.ee.kind === 'tf') {
    const frame = plan.ee.frame;
    eeRootFrame = tf.rootOf(frame);
    let missing = 0;
    ee = frameTimesNs.map((time) => {
      const r = tf.inRoot(frame, time);
      if (!r) missing++;
      return r ? [...r.t] : [NaN, NaN, NaN];
    });
    if (missing) problems.push(`${missing} of ${frameTimesNs.length} camera frames come before any /tf for ${frame}; their end effector is unknown.`);
  }

  // Gripper: a joint of a joint_states topic, or a Float/Bool (or JointState: its first position) topic.
  let gripper: number[] = frameTimesNs.map(() => NaN);
  const g = plan.gripper;
  if (g) {
    let v = NaN;
    const jointStateTopic = g.kind === 'topic' && store.messagesOf(g.topic).some((r) => Array.isArray((r.msg as { name?: unknown }).name));
    gripper = sampleAtFrames(frameTimesNs, store.messagesOf(g.topic), (msg) => {
      if (g.kind === 'joint') { const { names, position } = positionsOf(msg); const i = names.indexOf(g.name); if (i >= 0) v = position[i]; }
      else v = jointStateTopic ? positionsOf(msg).position[0] ?? NaN : scalar(msg);
    }, () => v);
    if (g.kind === 'joint' && !store.messagesOf(g.topic).some((r) => positionsOf(r.msg as Record<string, unknown>).names.includes(g.name))) {
      problems.push(`No message of ${g.topic} has a joint “${g.name}”; the gripper is unknown.`);
    } else countUnknown(gripper, `gripper value (${g.kind === 'joint' ? `${g.topic} ${g.name}` : g.topic})`, problems);
  }

  const states = frameTimesNs.map((_, i) => [...jointRows[i], ...ee[i], gripper[i]]);
  const jw = jointNames.length;
  const stateNames = [...jointNames, 'ee_x', 'ee_y', 'ee_z', 'gripper'];
  const eeStateIndices: [number, number, number] | null = plan.ee.kind === 'tf' || plan.ee.kind === 'pose' ? [jw, jw + 1, jw + 2] : null;

  const markers = plan.cut.kind === 'topic' ? markersOf(store, plan.cut.topic) : [];
  const episodes = cutEpisodes(frameTimesNs, plan.cut, markers, bagName, problems);

  const infoTopic = infoTopicOf(desc, plan);
  const calibration = calibrationOf(store, infoTopic, camera, eeStateIndices ? eeRootFrame : null, frameTimesNs[0], problems);
  return { camera, frameTimesNs, stateNames, states, eeStateIndices, gripperColumn: g ? stateNames.length - 1 : null, episodes, calibration, problems };
}

/** P = K [R | t] from the first CameraInfo and the /tf link from the end effector's root frame to the camera's frame. */
function calibrationOf(store: BagTopicStore, infoTopic: string | null, camera: BagCamera, eeRoot: string | null, atNs: bigint | undefined, problems: string[]): RobotSeries['calibration'] {
  if (!infoTopic) {
    problems.push(`No CameraInfo for ${camera.topic}; calibrate the camera by clicks.`);
    return null;
  }
  const msg = store.messagesOf(infoTopic)[0]?.msg as Record<string, unknown> | undefined;
  if (!msg) {
    problems.push(`${infoTopic} has no messages; calibrate the camera by clicks.`);
    return null;
  }
  const k = Array.from(((msg.k ?? msg.K) as ArrayLike<number>) ?? []);
  if (k.length !== 9 || k.every((v) => v === 0)) {
    problems.push(`${infoTopic} has no intrinsics (k is all zeros); calibrate the camera by clicks.`);
    return null;
  }
  if (eeRoot === null) return null;
  const width = Number(msg.width ?? 0) || camera.width, height = Number(msg.height ?? 0) || camera.height;
  const camFrame = (msg.header as { frame_id?: string })?.frame_id || camera.frameId;
  const tf = store.tf;
  const root = eeRoot.replace(/^\/+/, '');
  const camInRoot = tf.rootOf(camFrame) === root ? tf.inRoot(camFrame, atNs ?? 0n) : null;
  if (camInRoot) return { projection: projectionFromIntrinsics(k, invertRigid(matrixOf(camInRoot))), width, height, origin: `${infoTopic} + /tf ${root} → ${camFrame}` };
  if (camFrame.replace(/^\/+/, '') === root) return { projection: projectionFromIntrinsics(k, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]), width, height, origin: `${infoTopic} (end effector in the camera frame)` };
  problems.push(`${infoTopic} is in frame “${camFrame}”, which /tf does not connect to “${root}” (the end effector's frame); calibrate the camera by clicks instead.`);
  return null;
}
