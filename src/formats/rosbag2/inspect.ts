/**
 * `inspectBag(files)`: what a bag holds, as plain JSON-able data (the CLI's `inspect --json` and
 * the import screen both show it): format, profile/version, topics with types and counts, camera
 * topics, the episodes a default cut gives, and problems (no camera topic: which topics there are).
 */
import { BagError, type BagReader } from '../mcap/bag';
import { openBag, type BagFiles, type OpenBagOptions } from './open';
import { cutEpisodes, describeRobot, type BagCamera, type EeChoice, type GripperChoice } from './robot';

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
  eeChoices: EeChoice[];
  gripperChoices: Exclude<GripperChoice, null>[];
  /** Episodes of the default cut (camera gaps over 1 s), in camera frames. */
  episodes: { index: number; frames: number; startNs: string; endNs: string }[];
  problems: string[];
}

export const DEFAULT_GAP_SECONDS = 1;

/** The message for a bag without a camera topic: says so and lists what it has. */
export function noCameraMessage(name: string, topics: BagReader['topics']): string {
  const list = topics.map((t) => `${t.name} (${t.type}, ${t.count})`).join(', ');
  return `${name} has no camera topic (sensor_msgs/Image or sensor_msgs/CompressedImage), so there are no frames to make paths on. Its topics: ${list || 'none'}.`;
}

export async function inspectBag(files: BagFiles, opts: OpenBagOptions = {}): Promise<BagInspection> {
  const bag = await openBag(files, opts);
  try {
    const problems = [...bag.problems];
    const robot = await describeRobot(bag).catch((e) => {
      if (!(e instanceof BagError)) throw e;
      problems.push(e.message);
      return { cameras: [], eeChoices: [], gripperChoices: [], markerTopics: [], tfFrames: [] };
    });
    if (!robot.cameras.length) problems.push(noCameraMessage(files.name, bag.topics));
    let episodes: BagInspection['episodes'] = [];
    const cam = robot.cameras[0];
    if (cam) {
      const times: bigint[] = [];
      for await (const m of bag.messages({ topics: [cam.topic] })) times.push(m.logTimeNs);
      episodes = cutEpisodes(times, { kind: 'gaps', seconds: DEFAULT_GAP_SECONDS }, [], files.name).map((e) => ({ index: e.index, frames: e.end - e.start, startNs: String(times[e.start]), endNs: String(times[e.end - 1]) }));
    }
    if (cam && !robot.eeChoices.length) problems.push(`${files.name}: no end-effector source (no /tf frames, pose topic or joint_states); the path cannot be projected.`);
    return {
      format: bag.format,
      version: bag.version,
      profile: bag.profile,
      storage: bag.storage,
      startNs: String(bag.startNs),
      endNs: String(bag.endNs),
      topics: bag.topics.map((t) => ({ name: t.name, type: t.type, count: t.count })),
      cameras: robot.cameras,
      eeChoices: robot.eeChoices,
      gripperChoices: robot.gripperChoices,
      episodes,
      problems,
    };
  } finally {
    await bag.close();
  }
}
