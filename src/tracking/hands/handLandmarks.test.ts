import { describe, expect, it } from 'vitest';
import { graspPoint, pinchAperture, type HandLandmark } from './handLandmarks';

/** 21 landmarks at the image centre with the ones the studio reads set (normalised coordinates). */
function hand(set: Record<number, [number, number]>): HandLandmark[] {
  return Array.from({ length: 21 }, (_, i) => ({ x: set[i]?.[0] ?? 0.5, y: set[i]?.[1] ?? 0.5 }));
}

describe('hand landmarks', () => {
  it('puts the grasp point midway between thumb tip and index tip, in pixels', () => {
    const lm = hand({ 4: [0.4, 0.5], 8: [0.6, 0.7] });
    expect(graspPoint(lm, 1280, 720)).toEqual({ x: 640, y: 432 });
  });

  it('normalises the aperture by the palm length, in pixels (a wide image is not squeezed)', () => {
    // Palm 100 px tall; tips 50 px apart horizontally.
    const lm = hand({ 0: [0.5, 0.5], 9: [0.5, 0.5 - 100 / 720], 4: [0.5, 0.3], 8: [0.5 + 50 / 1280, 0.3] });
    expect(pinchAperture(lm, 1280, 720)).toBeCloseTo(0.5, 6);
    // The same hand twice as close: the same aperture.
    const near = hand({ 0: [0.5, 0.5], 9: [0.5, 0.5 - 200 / 720], 4: [0.5, 0.3], 8: [0.5 + 100 / 1280, 0.3] });
    expect(pinchAperture(near, 1280, 720)).toBeCloseTo(0.5, 6);
  });

  it('refuses a landmark list that is too short', () => {
    expect(() => graspPoint([{ x: 0, y: 0 }], 10, 10)).toThrow(/landmark 4 is missing/);
  });
});
