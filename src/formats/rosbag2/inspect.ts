/**
 * `inspectBag(files)`: what a bag holds, as plain JSON-able data (the CLI's `inspect --json` and
 * the import screen both show it): format, profile/version, topics with types and counts, camera
 * topics, the candidates for every choice of BagImportOptions, the episodes the choices give, and
 * problems (no camera topic: which topics there are).
 */
import { BagError, type BagReader } from '../mcap/bag';
import { openBag, type BagFiles, type OpenBagOptions } from './open';
import { resolveBagOptions, type BagImportOptions } from './options';
import { describeRobot, type BagCamera, type EeChoice, type GripperChoice, type RobotDescription, type RobotPlan } from './robot';
import { cutEpisodes, markersOf } from './series';
import { BagTopicStore } from './topicStore';

export { DEFAULT_GAP_SECONDS } from './options';

export interface BagInspection {
  format: 'rosbag2' | 'mcap';
  /** rosbag2 metadata version, or the MCAP writer's library. */
  version: string;
  /** MCAP profile: `ros2`, `ros1` or ''. */
  profile: string;
  storage: string;
  startNs: string;
  endNs: string;
  topics: { name: string; type: string; count: number }[];
  cameras: BagCamera[];
  infoTopics: string[];
  eeChoices: EeChoice[];
  gripperChoices: Exclude<GripperChoice, null>[];
  otherGripperSignals: Exclude<GripperChoice, null>[];
  markerTopics: string[];
  /** The choices the episodes below were cut with (the automatic ones unless `choices` said otherwise); null without a camera. */
  plan: RobotPlan | null;
  /** Episodes of the plan's cut (by default camera gaps over 1 s), in camera frames. */
  episodes: { index: number; frames: number; startNs: string; endNs: string }[];
  problems: string[];
}

export interface InspectBagOptions extends OpenBagOptions {
  /** Cut the episodes with these choices (camera and cut are what matter here). */
  choices?: BagImportOptions;
}

/** The message for a bag without a camera topic: says so and lists what it has. */
export function noCameraMessage(name: string, topics: BagReader['topics']): string {
  const list = topics.map((t) => `${t.name} (${t.type}, ${t.count})`).join(', ');
  return `${name} has no camera topic (sensor_msgs/Image or sensor_msgs/CompressedImage), so there are no frames to make paths on. Its topics: ${list || 'none'}.`;
}

const EMPTY: RobotDescription = { cameras: [], infoTopics: [], eeChoices: [], gripperChoices: [], otherGripperSignals: [], markerTopics: [], tfFrames: [] };

export async function inspectBag(files: BagFiles, opts: InspectBagOptions = {}): Promise<BagInspection> {
  const bag = await openBag(files, opts);
  try {
    const problems = [...bag.problems];
    const robot = await describeRobot(bag).catch((e) => {
      if (!(e instanceof BagError)) throw e;
      problems.push(e.message);
      return EMPTY;
    });
    if (!robot.cameras.length) problems.push(noCameraMessage(files.name, bag.topics));
    let episodes: BagInspection['episodes'] = [];
    let plan: RobotPlan | null = null;
    if (robot.cameras.length) {
      plan = resolveBagOptions(robot, opts.choices ?? {}, files.name);
      const store = new BagTopicStore(bag);
      await store.load([plan.camera, plan.cut.kind === 'topic' ? plan.cut.topic : null]);
      const times = store.timesOf(plan.camera);
      const markers = plan.cut.kind === 'topic' ? markersOf(store, plan.cut.topic) : [];
      episodes = cutEpisodes(times, plan.cut, markers, files.name, problems).map((e) => ({ index: e.index, frames: e.end - e.start, startNs: String(times[e.start]), endNs: String(times[e.end - 1]) }));
      if (!robot.eeChoices.length) problems.push(`${files.name}: no end-effector source (no /tf frames, pose topic or joint_states); the path cannot be projected.`);
    }
    return {
      format: bag.format,
      version: bag.version,
      profile: bag.profile,
      storage: bag.storage,
      startNs: String(bag.startNs),
      endNs: String(bag.endNs),
      topics: bag.topics.map((t) => ({ name: t.name, type: t.type, count: t.count })),
      cameras: robot.cameras,
      infoTopics: robot.infoTopics,
      eeChoices: robot.eeChoices,
      gripperChoices: robot.gripperChoices,
      otherGripperSignals: robot.otherGripperSignals,
      markerTopics: robot.markerTopics,
      plan,
      episodes,
      problems,
    };
  } finally {
    await bag.close();
  }
}
