import { describe, expect, it } from 'vitest';
import { GripperVote } from './gripperVote';

describe('GripperVote', () => {
  it('follows a policy that agrees with itself', () => {
    const vote = new GripperVote();
    expect(vote.next([0, 0, 1, 1])).toBe(0); // votes for now: 0
    expect(vote.next([0, 1, 1, 1])).toBe(0); // 0, and the last chunk's second: 0
    expect(vote.next([1, 1, 1, 1])).toBe(1); // 1, 1, 1
  });

  it('does not flip the fingers every step when the first predictions alternate', () => {
    const vote = new GripperVote();
    const commands: number[] = [];
    for (let i = 0; i < 20; i++) commands.push(vote.next([i % 2, 0, 0, 0])); // the first prediction flips every step
    expect(commands).toEqual(Array(20).fill(0));
  });

  it('keeps the last command on an even split', () => {
    const vote = new GripperVote(1);
    expect(vote.next([0, 1])).toBe(0); // one vote: 0
    expect(vote.next([1, 1])).toBe(1); // 1 and 1
    expect(vote.next([0, 0])).toBe(1); // 0 and 1: even, keeps 1
    expect(vote.next([0, 0])).toBe(0); // 0 and 0
  });

  it('with chunks of one step is the first action, snapped', () => {
    const vote = new GripperVote();
    expect([0.9, 0.1, 0.7].map((g) => vote.next([g]))).toEqual([1, 0, 1]);
  });

  it('on a step without a new chunk, the chunks already seen vote for that step', () => {
    const vote = new GripperVote();
    expect(vote.next([0, 1, 1, 0])).toBe(0); // now: 0
    expect(vote.advance()).toBe(1); // the same chunk's prediction one step on: 1
    expect(vote.advance()).toBe(1); // two on: 1
    expect(vote.advance()).toBe(0); // three on: 0
    expect(vote.advance()).toBe(0); // nothing reaches this far: keeps the last command
    expect(vote.next([1, 1, 1, 1])).toBe(1); // a new chunk votes alone again
  });
});
