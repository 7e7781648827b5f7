import { describe, expect, it } from 'vitest';
import type { HandFrame } from './handTrack';
import { DEFAULT_APERTURE_THRESHOLDS } from './gripperFromAperture';
import { expectedLandmarks, HAND_STRIDE, interpolateHands, keyFrames, needsDetectionBetween } from './handStride';

const hand = (frame: number, x: number, aperture: number | null, reliable = true): HandFrame => ({ frame, point: { x, y: 100, reliable }, aperture });
const DIAGONAL = 1000;

describe('key frames', () => {
  it('takes every stride-th frame and always the last', () => {
    expect(keyFrames(10, 20, 3)).toEqual([10, 13, 16, 19, 20]);
    expect(keyFrames(10, 19, 3)).toEqual([10, 13, 16, 19]);
    expect(keyFrames(5, 5, 3)).toEqual([5]);
    expect(keyFrames(0, 4, 1)).toEqual([0, 1, 2, 3, 4]);
  });

  it('is no longer than an event must hold, so no event can start and end between two key frames', () => {
    expect(HAND_STRIDE).toBeLessThanOrEqual(DEFAULT_APERTURE_THRESHOLDS.minFrames);
  });

  it('refuses a stride that is not a whole number', () => {
    expect(() => keyFrames(0, 10, 0)).toThrow(RangeError);
    expect(() => keyFrames(0, 10, 1.5)).toThrow(RangeError);
  });
});

describe('which frames between key frames are detected', () => {
  it('interpolates an open hand moving a little', () => {
    expect(needsDetectionBetween(hand(0, 100, 1.2), hand(3, 120, 1.1), DIAGONAL)).toBe(false);
  });

  it('interpolates a closed hand holding its pinch', () => {
    expect(needsDetectionBetween(hand(0, 100, 0.2), hand(3, 110, 0.22), DIAGONAL)).toBe(false);
  });

  it('detects where a gripper threshold lies between the two ends’ apertures: a grasp or release may fall between', () => {
    expect(needsDetectionBetween(hand(0, 100, 1.2), hand(3, 100, 0.2), DIAGONAL)).toBe(true);
    expect(needsDetectionBetween(hand(0, 100, 1.2), hand(3, 100, 0.45), DIAGONAL)).toBe(true);
    expect(needsDetectionBetween(hand(0, 100, 0.3), hand(3, 100, 0.4), DIAGONAL)).toBe(true);
  });

  it('interpolates apertures on one side of both thresholds, however they change', () => {
    expect(needsDetectionBetween(hand(0, 100, 1.2), hand(3, 100, 0.55), DIAGONAL)).toBe(false);
    expect(needsDetectionBetween(hand(0, 100, 0.3), hand(3, 100, 0.2), DIAGONAL)).toBe(false);
  });

  it('detects a fast move, a lost hand and a doubtful one', () => {
    expect(needsDetectionBetween(hand(0, 100, 1.2), hand(3, 100 + 0.031 * DIAGONAL, 1.2), DIAGONAL)).toBe(true);
    expect(needsDetectionBetween(hand(0, 100, 1.2), hand(3, 100, null, false), DIAGONAL)).toBe(true);
    expect(needsDetectionBetween(hand(0, 100, 1.2, false), hand(3, 100, 1.2), DIAGONAL)).toBe(true);
  });

  it('has nothing to detect between neighbours', () => {
    expect(needsDetectionBetween(hand(0, 100, null, false), hand(1, 100, 1.2), DIAGONAL)).toBe(false);
  });
});

describe('interpolated frames', () => {
  it('lie on the straight line between the key frames', () => {
    const between = interpolateHands(hand(0, 100, 1.2), hand(3, 130, 0.9));
    expect(between.map((h) => h.frame)).toEqual([1, 2]);
    expect(between.map((h) => h.point.x)).toEqual([110, 120]);
    expect(between[0]!.aperture).toBeCloseTo(1.1, 9);
    expect(between.every((h) => h.point.reliable)).toBe(true);
  });
});

describe('where the hand is expected', () => {
  /** A hand whose palm is at x, its fingertip (landmark 8) `spread` to the right of it. */
  const seen = (frame: number, x: number, spread = 0.1) => ({ frame, landmarks: Array.from({ length: 21 }, (_, i) => ({ x: i === 8 ? x + spread : x, y: 0.5 })) });

  it('carries the palm’s motion between two sightings on past the later one', () => {
    const next = expectedLandmarks(seen(0, 0.2), seen(3, 0.26), 9);
    expect(next[0]!.x).toBeCloseTo(0.38, 9);
    expect(next[8]!.x).toBeCloseTo(0.48, 9);
    expect(next[0]!.y).toBe(0.5);
  });

  it('keeps the later sighting’s shape: a pinch closing is not carried on', () => {
    const next = expectedLandmarks(seen(0, 0.2, 0.1), seen(3, 0.2, 0.05), 9);
    expect(next[8]!.x - next[0]!.x).toBeCloseTo(0.05, 9);
  });

  it('lies between two sightings for a frame between them', () => {
    expect(expectedLandmarks(seen(3, 0.2), seen(6, 0.5), 4)[0]!.x).toBeCloseTo(0.3, 9);
  });

  it('stays where the hand was when it was seen on one frame only', () => {
    expect(expectedLandmarks(seen(3, 0.2), seen(3, 0.2), 9)[0]!.x).toBe(0.2);
  });
});
