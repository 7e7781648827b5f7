/**
 * The prompt HAMSTER's VLM was trained with (DESIGN §3.1), shared by the VILA SFT exporter and the
 * remote planners so both ask the question exactly as the model learned it.
 */

/** The lines of the prompt; `{instruction}` is replaced by the task. Joined with "\n". */
export const HAMSTER_PROMPT_LINES: readonly string[] = [
  'In the image, please execute the command described in <quest>{instruction}</quest>.',
  'Provide a sequence of points denoting the trajectory of a robot gripper to achieve the goal.',
  'Format your answer as a list of tuples enclosed by <ans> and </ans> tags. For example: <ans>[(0.25, 0.32), (0.32, 0.17), (0.13, 0.24), <action>Open Gripper</action>, (0.74, 0.21), <action>Close Gripper</action>, ...]</ans>',
  'The tuple denotes point x and y location of the end effector of the gripper in the image. The action tags indicate the gripper action.',
  'The coordinates should be floats ranging between 0 and 1, indicating the relative locations of the points in the image.',
];

/**
 * The HAMSTER prompt for one instruction. Surrounding whitespace is trimmed and inner line breaks
 * become spaces, so an instruction can never add lines to the prompt. No trailing newline; the
 * VILA SFT exporter prepends "<image>\n" itself.
 */
export function hamsterPrompt(instruction: string): string {
  const quest = instruction.trim().replace(/\s*[\r\n]+\s*/g, ' ');
  return HAMSTER_PROMPT_LINES.join('\n').replace('{instruction}', () => quest);
}
