/**
 * What the import screen shows about an opened ROS bag (plain, JSON-able data): its topics with
 * types and counts, the choices found for each role, and the plan the source was read with.
 */
import type { BagCamera, EeChoice, GripperChoice, RobotPlan } from '../../formats/rosbag2/robot';

export interface BagFacts {
  profile: string;
  storage: string;
  topics: { name: string; type: string; count: number }[];
  cameras: BagCamera[];
  eeChoices: EeChoice[];
  gripperChoices: Exclude<GripperChoice, null>[];
  /** Topics whose messages can mark episode starts (std_msgs/String, Bool, Empty). */
  markerTopics: string[];
  /** The plan the source was read with (automatic choices, or the user's). */
  plan: RobotPlan;
}
