import { describe, expect, it } from 'vitest';
import { gripperEventsFromAperture } from './gripperFromAperture';

const T = { closeBelow: 0.35, openAbove: 0.5, minFrames: 3 };

describe('gripper events from the aperture', () => {
  it('closes where the aperture first stays low and opens where it first stays high', () => {
    const a = [1.2, 1.1, 0.9, 0.3, 0.2, 0.2, 0.2, 0.25, 0.6, 0.9, 1.1, 1.2];
    expect(gripperEventsFromAperture(a, 100, T)).toEqual([{ frame: 103, state: 'closed' }, { frame: 108, state: 'open' }]);
  });

  it('ignores jitter between the two thresholds (hysteresis)', () => {
    const a = [0.2, 0.2, 0.2, 0.4, 0.45, 0.38, 0.48, 0.42, 0.3, 0.2];
    expect(gripperEventsFromAperture(a, 0, T)).toEqual([{ frame: 0, state: 'closed' }]);
  });

  it('ignores a dip shorter than the minimum duration', () => {
    const a = [1, 1, 0.2, 0.2, 1, 1, 0.2, 1];
    expect(gripperEventsFromAperture(a, 0, T)).toEqual([]);
  });

  it('keeps the state through frames without a hand, and counts frames on both sides of the gap', () => {
    const a = [1, 0.2, null, null, 0.2, 0.2, null, 1, 1, 1];
    expect(gripperEventsFromAperture(a, 10, T)).toEqual([{ frame: 11, state: 'closed' }, { frame: 17, state: 'open' }]);
  });

  it('refuses thresholds that leave no band', () => {
    expect(() => gripperEventsFromAperture([1], 0, { closeBelow: 0.5, openAbove: 0.4, minFrames: 1 })).toThrow(RangeError);
  });
});
