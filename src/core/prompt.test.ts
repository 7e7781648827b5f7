import { describe, expect, it } from 'vitest';
import { hamsterHumanTurn, hamsterPrompt, hamsterRequestText } from './prompt';

/**
 * The text part of HAMSTER's client request, as written in HAMSTER_beta's
 * `gradio_server_example.py` (`send_request`): an f-string and six string literals, concatenated.
 */
const clientText = (quest: string) =>
  `\nIn the image, please execute the command described in <quest>${quest}</quest>.\n` +
  'Provide a sequence of points denoting the trajectory of a robot gripper to achieve the goal.\n' +
  'Format your answer as a list of tuples enclosed by <ans> and </ans> tags. For example:\n' +
  '<ans>[(0.25, 0.32), (0.32, 0.17), (0.13, 0.24), <action>Open Gripper</action>, (0.74, 0.21), <action>Close Gripper</action>, ...]</ans>\n' +
  'The tuple denotes point x and y location of the end effector in the image. The action tags indicate gripper actions.\n' +
  'Coordinates should be floats between 0 and 1, representing relative positions.\n' +
  'Remember to provide points between <ans> and </ans> tags and think step by step.';

/** What HAMSTER's server.py makes of a user message: parts in order, the image as a placeholder that becomes `<image>`. */
const serverPrompt = (parts: ({ type: 'image_url' } | { type: 'text'; text: string })[]) =>
  parts.map((p) => (p.type === 'text' ? p.text : '<image-placeholder>')).join('').replace(/<image-placeholder>/g, '<image>');

describe('hamsterPrompt', () => {
  it('the remote call sends the text of HAMSTER\'s client, byte for byte', () => {
    expect(hamsterRequestText('pick up the red block')).toBe(clientText('pick up the red block'));
    expect(hamsterRequestText('open the top drawer')).toBe(clientText('open the top drawer'));
  });

  it('the prompt is that text without its leading newline: seven lines, no trailing newline', () => {
    const prompt = hamsterPrompt('pick up the red block');
    expect(prompt).toBe(clientText('pick up the red block').slice(1));
    expect(prompt.split('\n')).toHaveLength(7);
    expect(prompt.startsWith('In the image')).toBe(true);
    expect(prompt.endsWith('think step by step.')).toBe(true);
  });

  it('the SFT human turn is what the model reads for a remote call: <image>, newline, prompt', () => {
    const instruction = 'put the cube in the bowl';
    const seenByModel = serverPrompt([{ type: 'image_url' }, { type: 'text', text: hamsterRequestText(instruction) }]);
    expect(hamsterHumanTurn(instruction)).toBe(seenByModel);
    expect(hamsterHumanTurn(instruction)).toBe('<image>\n' + hamsterPrompt(instruction));
  });

  it('keeps the instruction on one line and inserts it literally', () => {
    expect(hamsterPrompt('  open the\ndrawer  ').split('\n')[0]).toContain('<quest>open the drawer</quest>');
    // "$&" must not be expanded as a replacement pattern
    expect(hamsterPrompt('move $& to $1').split('\n')[0]).toContain('<quest>move $& to $1</quest>');
  });
});
