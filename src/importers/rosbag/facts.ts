/**
 * What the import screen shows about an opened ROS bag (plain, JSON-able data): its topics with
 * types and counts, the candidates for each choice (as inspectBag finds them), and the plan the
 * source was read with.
 */
import type { BagCamera, EeChoice, GripperChoice, RobotPlan } from '../../formats/rosbag2/robot';

export interface BagFacts {
  profile: string;
  storage: string;
  topics: { name: string; type: string; count: number }[];
  cameras: BagCamera[];
  /** Every sensor_msgs/CameraInfo topic. */
  infoTopics: string[];
  eeChoices: EeChoice[];
  /** Gripper signals named like a gripper, the automatic choice first. */
  gripperChoices: Exclude<GripperChoice, null>[];
  /** Every other Float/Bool topic and joint of joint_states. */
  otherGripperSignals: Exclude<GripperChoice, null>[];
  /** Topics whose messages can mark episode starts (std_msgs/String, Bool, Empty). */
  markerTopics: string[];
  /** The plan the source was read with (every choice resolved: the automatic ones, or the user's). */
  plan: RobotPlan;
}
