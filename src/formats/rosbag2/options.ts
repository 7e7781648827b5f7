/**
 * The choices for reading a bag as episodes, as one typed, JSON-able object: the import screen
 * builds it, the import worker reads the bag with it, and the CLI can pass the same. Every field
 * left out takes the automatic choice (docs/ROSBAG.md); a choice the bag does not offer is refused
 * with the ones it does, never replaced silently.
 */
import { BagError } from '../mcap/bag';
import type { CutChoice, EeChoice, GripperChoice, RobotDescription, RobotPlan } from './robot';

export interface BagImportOptions {
  /** The camera: a sensor_msgs/Image or CompressedImage topic. Default: the first. */
  camera?: string;
  /** Its sensor_msgs/CameraInfo topic; null: none (calibrate by clicks). Default: the one paired with the camera by name. */
  infoTopic?: string | null;
  /** End effector: a /tf frame, a pose topic, or a joint_states topic (forward kinematics with a URDF). Default: the best candidate. */
  ee?: EeChoice;
  /** Gripper: a joint of a joint_states topic, a Float64/Float32/Bool (or gripper JointState) topic; null: none. Default: the first named like a gripper. */
  gripper?: GripperChoice;
  /** Episode cut: the whole bag, camera gaps longer than `seconds`, or one episode per message of a marker topic. Default: gaps of 1 s. */
  cut?: CutChoice;
}

export const DEFAULT_GAP_SECONDS = 1;

/** The automatic choices (today's defaults) for a described bag. */
export function automaticPlan(desc: RobotDescription): RobotPlan {
  const camera = desc.cameras[0];
  return {
    camera: camera?.topic ?? '',
    infoTopic: camera?.infoTopic ?? null,
    ee: desc.eeChoices[0] ?? { kind: 'none' },
    gripper: desc.gripperChoices[0] ?? null,
    cut: { kind: 'gaps', seconds: DEFAULT_GAP_SECONDS },
  };
}

export const eeLabel = (c: EeChoice) => (c.kind === 'tf' ? `/tf frame ${c.frame}` : c.kind === 'none' ? 'none' : `${c.kind === 'pose' ? 'pose topic' : 'joint states'} ${c.topic}`);
export const gripperLabel = (c: GripperChoice) => (!c ? 'none' : c.kind === 'joint' ? `joint ${c.name} of ${c.topic}` : `topic ${c.topic}`);
const list = (items: string[], none: string) => (items.length ? items.join(', ') : none);

/**
 * The full plan for the options: the chosen values where given, the automatic ones elsewhere. A
 * camera changed without a CameraInfo choice takes that camera's paired CameraInfo.
 */
export function resolveBagOptions(desc: RobotDescription, options: BagImportOptions, bagName: string): RobotPlan {
  const auto = automaticPlan(desc);
  const camera = desc.cameras.find((c) => c.topic === (options.camera ?? auto.camera));
  if (!camera) throw new BagError(`${bagName}: “${options.camera}” is not a camera topic of this bag; its camera topics: ${list(desc.cameras.map((c) => c.topic), 'none')}.`);
  const infoTopic = options.infoTopic === undefined ? camera.infoTopic : options.infoTopic;
  if (infoTopic !== null && !desc.infoTopics.includes(infoTopic)) throw new BagError(`${bagName}: “${infoTopic}” is not a CameraInfo topic of this bag; its CameraInfo topics: ${list(desc.infoTopics, 'none')}.`);
  const ee = options.ee ?? auto.ee;
  if (ee.kind !== 'none' && !desc.eeChoices.some((c) => eeLabel(c) === eeLabel(ee))) throw new BagError(`${bagName}: the end effector cannot come from ${eeLabel(ee)}; this bag offers ${list(desc.eeChoices.map(eeLabel), 'no end-effector source')}.`);
  const gripper = options.gripper === undefined ? auto.gripper : options.gripper;
  if (gripper && ![...desc.gripperChoices, ...desc.otherGripperSignals].some((c) => gripperLabel(c) === gripperLabel(gripper))) {
    throw new BagError(`${bagName}: the gripper cannot come from ${gripperLabel(gripper)}; this bag offers ${list([...desc.gripperChoices, ...desc.otherGripperSignals].map(gripperLabel), 'no gripper signal')}.`);
  }
  const cut = options.cut ?? auto.cut;
  if (cut.kind === 'gaps' && !(Number.isFinite(cut.seconds) && cut.seconds > 0)) throw new BagError(`${bagName}: a camera gap must be a number of seconds above 0 (got ${cut.seconds}).`);
  if (cut.kind === 'topic' && !desc.markerTopics.includes(cut.topic)) throw new BagError(`${bagName}: “${cut.topic}” cannot mark episodes; this bag's marker topics (std_msgs/String, Bool, Empty): ${list(desc.markerTopics, 'none')}.`);
  return { camera: camera.topic, infoTopic, ee, gripper, cut };
}
