import { describe, expect, it } from 'vitest';
import { estimateFps, formatTimecode, frameAtTime, presentationTimes } from './frameIndex';

describe('frame index', () => {
  const times = presentationTimes([0, 0.1, 0.0333333, 0.0666667, 0.2, 0.1333333, 0.1666667]);
  it('sorts decode-order timestamps into presentation order (B-frames)', () => {
    expect(times).toEqual([0, 0.0333333, 0.0666667, 0.1, 0.1333333, 0.1666667, 0.2]);
  });
  it('maps a time to the frame shown then, tolerating microsecond rounding', () => {
    expect(frameAtTime(times, 0)).toBe(0);
    expect(frameAtTime(times, 0.1)).toBe(3);
    expect(frameAtTime(times, 0.0999998)).toBe(3);
    expect(frameAtTime(times, 0.11)).toBe(3);
    expect(frameAtTime(times, 5)).toBe(6);
    expect(frameAtTime(times, -1)).toBe(0);
    expect(frameAtTime([], 0)).toBe(-1);
  });
  it('estimates the frame rate, snapping millisecond timestamps to a common rate', () => {
    expect(estimateFps(times)).toBe(30);
    expect(estimateFps(Array.from({ length: 24 }, (_, i) => Math.round((i * 1000) / 30) / 1000))).toBe(30);
    expect(estimateFps(Array.from({ length: 10 }, (_, i) => i / 29.97))).toBe(29.97);
    expect(estimateFps(Array.from({ length: 10 }, (_, i) => i / 7))).toBe(7);
    expect(estimateFps([0])).toBe(0);
  });
  it('keeps a rate that timestamp rounding cannot explain: 10 s at 59.98 fps is not "60 fps"', () => {
    expect(estimateFps(Array.from({ length: 600 }, (_, i) => i / 59.98))).toBe(59.98);
    // Millisecond timestamps of a 10 s, 30 fps video still read as 30.
    expect(estimateFps(Array.from({ length: 300 }, (_, i) => Math.round((i * 1000) / 30) / 1000))).toBe(30);
    // A phone's 1/600 s timescale on a 2 s clip: within what the rounding allows, snapped.
    expect(estimateFps(Array.from({ length: 120 }, (_, i) => Math.round((i * 600) / 59.94) / 600))).toBe(59.94);
  });
  it('formats a timecode', () => {
    expect(formatTimecode(90, 30)).toBe('0:03.00');
    expect(formatTimecode(1830, 30)).toBe('1:01.00');
  });
});
