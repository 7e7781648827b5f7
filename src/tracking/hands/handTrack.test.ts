import { describe, expect, it } from 'vitest';
import { createSegment, setKeyframe } from '../annotation';
import { applyHandFrames, handFrame } from './handTrack';

const lm = Array.from({ length: 21 }, (_, i) => ({ x: i === 4 ? 0.25 : i === 8 ? 0.75 : 0.5, y: i === 9 ? 0.25 : 0.5 }));

describe('hand frames', () => {
  it('turns a confident hand into a reliable grasp point with its aperture', () => {
    const f = handFrame(7, { landmarks: lm, score: 0.9 }, 200, 100, null);
    expect(f).toMatchObject({ frame: 7, point: { x: 100, y: 50, reliable: true } });
    expect(f.aperture).toBeCloseTo(100 / 25, 6);
  });

  it('marks a doubtful hand unreliable and gives no aperture', () => {
    const f = handFrame(7, { landmarks: lm, score: 0.3 }, 200, 100, null);
    expect(f.point.reliable).toBe(false);
    expect(f.aperture).toBeNull();
  });

  it('keeps the last point, unreliable, where there is no hand', () => {
    expect(handFrame(8, null, 200, 100, { x: 12, y: 34 })).toEqual({ frame: 8, point: { x: 12, y: 34, reliable: false }, aperture: null });
  });
});

describe('applying hand frames to a segment', () => {
  it('stores points and apertures, leaving keyframes as the user put them', () => {
    const seg = setKeyframe(createSegment('s', 10, 13), 11, 5, 5);
    const frames = [10, 11, 12].map((f) => handFrame(f, { landmarks: lm, score: 0.9 }, 200, 100, null));
    const out = applyHandFrames(seg, frames);
    expect(out.track.map((p) => p && [p.x, p.y])).toEqual([[100, 50], [5, 5], [100, 50], null]);
    expect(out.aperture).toEqual([4, 4, 4, null]);
  });
});
