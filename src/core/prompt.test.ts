import { describe, expect, it } from 'vitest';
import { hamsterPrompt } from './prompt';

describe('hamsterPrompt', () => {
  it('produces the exact five-line prompt of DESIGN §3.1', () => {
    const prompt = hamsterPrompt('pick up the red block');
    const lines = prompt.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('In the image, please execute the command described in <quest>pick up the red block</quest>.');
    expect(lines[1]).toBe('Provide a sequence of points denoting the trajectory of a robot gripper to achieve the goal.');
    expect(lines[2]).toBe(
      'Format your answer as a list of tuples enclosed by <ans> and </ans> tags. For example: <ans>[(0.25, 0.32), (0.32, 0.17), (0.13, 0.24), <action>Open Gripper</action>, (0.74, 0.21), <action>Close Gripper</action>, ...]</ans>',
    );
    expect(lines[3]).toBe('The tuple denotes point x and y location of the end effector of the gripper in the image. The action tags indicate the gripper action.');
    expect(lines[4]).toBe('The coordinates should be floats ranging between 0 and 1, indicating the relative locations of the points in the image.');
    expect(prompt.endsWith('\n')).toBe(false);
  });

  it('keeps the instruction on one line and inserts it literally', () => {
    expect(hamsterPrompt('  open the\ndrawer  ').split('\n')[0]).toContain('<quest>open the drawer</quest>');
    // "$&" must not be expanded as a replacement pattern
    expect(hamsterPrompt('move $& to $1').split('\n')[0]).toContain('<quest>move $& to $1</quest>');
  });
});
