/** Names and formats the episode import screen shows: column roles, joint units, bag choices, episode ranges. */
import { COLUMN_ROLES } from '../../importers/episodes/inspection';

export { ROLE_LABELS, formatIndexRanges } from '../../importers/episodes/inspection';
export { JOINT_UNIT_LABELS } from '../../importers/episodes/kinematics';
export { eeLabel, gripperLabel } from '../../formats/rosbag2/options';

/** The roles a user can give a column (the reader alone tells cameras and the index). */
export const CHOOSABLE_ROLES = COLUMN_ROLES.filter((r) => r !== 'camera' && r !== 'index');
