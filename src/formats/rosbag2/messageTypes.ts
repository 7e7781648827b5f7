/** The ROS message types each role of a bag is read from (ROS 1 and ROS 2 spellings alike, see baseType). */
import { baseType, type BagTopic } from '../mcap/bag';

export const IMAGE_TYPES = ['sensor_msgs/Image', 'sensor_msgs/CompressedImage'];
export const INFO_TYPES = ['sensor_msgs/CameraInfo'];
export const TF_TYPES = ['tf2_msgs/TFMessage', 'tf/tfMessage'];
export const POSE_TYPES = ['geometry_msgs/PoseStamped', 'geometry_msgs/Pose', 'geometry_msgs/PointStamped'];
export const JOINT_TYPES = ['sensor_msgs/JointState'];
export const SCALAR_TYPES = ['std_msgs/Float64', 'std_msgs/Float32', 'std_msgs/Bool'];
/** Topics whose every message can mark the start of an episode. */
export const MARKER_TYPES = ['std_msgs/String', 'std_msgs/Bool', 'std_msgs/Empty'];

export const isOfType = (t: BagTopic, types: readonly string[]): boolean => types.includes(baseType(t.type));

/** Names that read like a gripper signal (topic or joint). */
export const GRIPPER_NAME = /(gripper|finger|jaw|claw)/i;
