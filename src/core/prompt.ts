/**
 * The prompt HAMSTER's VLM was trained with, shared by the VILA SFT exporter and the remote planner
 * so both put exactly the same text after the image.
 *
 * Source: HAMSTER_beta's client, `gradio_server_example.py`, `send_request`: the user message is an
 * `image_url` part followed by one `text` part, "\nIn the image, … think step by step." (the seven
 * lines below, the first preceded by a newline). HAMSTER's `server.py` concatenates the parts in
 * order, the image as `<image-placeholder>`, which `normalize_image_tags` turns into `<image>`: the
 * model reads `<image>\nIn the image, …` — VILA's SFT conversation format, `"<image>\n" + prompt`.
 */

/** The lines of the prompt, as HAMSTER's client sends them; `{instruction}` is replaced by the task. Joined with "\n". */
export const HAMSTER_PROMPT_LINES: readonly string[] = [
  'In the image, please execute the command described in <quest>{instruction}</quest>.',
  'Provide a sequence of points denoting the trajectory of a robot gripper to achieve the goal.',
  'Format your answer as a list of tuples enclosed by <ans> and </ans> tags. For example:',
  '<ans>[(0.25, 0.32), (0.32, 0.17), (0.13, 0.24), <action>Open Gripper</action>, (0.74, 0.21), <action>Close Gripper</action>, ...]</ans>',
  'The tuple denotes point x and y location of the end effector in the image. The action tags indicate gripper actions.',
  'Coordinates should be floats between 0 and 1, representing relative positions.',
  'Remember to provide points between <ans> and </ans> tags and think step by step.',
];

/** VILA's image token: a conversation's human turn starts with it, then a newline, then the prompt. */
export const VILA_IMAGE_TOKEN = '<image>';

/**
 * The HAMSTER prompt for one instruction. Surrounding whitespace is trimmed and inner line breaks
 * become spaces, so an instruction can never add lines to the prompt. No leading or trailing
 * newline: the SFT record's human turn is `hamsterHumanTurn` (`<image>\n` + this), the remote
 * call's text part is `hamsterRequestText` (`\n` + this, after the image part).
 */
export function hamsterPrompt(instruction: string): string {
  const quest = instruction.trim().replace(/\s*[\r\n]+\s*/g, ' ');
  return HAMSTER_PROMPT_LINES.join('\n').replace('{instruction}', () => quest);
}

/** The text part HAMSTER's client sends right after the image part: a newline, then the prompt. */
export function hamsterRequestText(instruction: string): string {
  return '\n' + hamsterPrompt(instruction);
}

/** The human turn of a VILA SFT record: `<image>`, a newline, the prompt — what the server builds from the request. */
export function hamsterHumanTurn(instruction: string): string {
  return VILA_IMAGE_TOKEN + hamsterRequestText(instruction);
}
