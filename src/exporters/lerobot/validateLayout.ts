/** The LeRobot layout check lives with the format (src/formats/lerobot); re-exported for existing callers. */
export { validateLeRobotLayout, type LayoutFiles, type ValidateOptions } from '../../formats/lerobot/validateLayout';
