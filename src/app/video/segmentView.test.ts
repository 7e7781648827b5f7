import { describe, expect, it } from 'vitest';
import type { VideoSegment } from '../../tracking/annotation';
import { pointOn, segmentShown, segmentStatus } from './segmentView';

const ok = (x: number) => ({ x, y: x, reliable: true });
const bad = (x: number) => ({ x, y: x, reliable: false });
const seg = (id: string, start: number, track: VideoSegment['track']): VideoSegment => ({ id, start, end: start + track.length - 1, instruction: '', keyframes: [], track });

describe('segment view', () => {
  it('counts tracked and unreliable frames and refuses a track that is mostly a guess', () => {
    expect(segmentStatus(seg('a', 10, [ok(0), bad(1), null, ok(3)]))).toEqual({ tracked: 3, unreliableFrames: [11], problem: null });
    const lost = segmentStatus(seg('b', 0, [ok(0), bad(1), bad(2), bad(3)]));
    expect(lost.unreliableFrames).toEqual([1, 2, 3]);
    expect(lost.problem).toMatch(/^3 unreliable frames of 4 tracked/);
  });

  it('shows the segment on the frame, else the selected one, with its point only inside it', () => {
    const a = seg('a', 0, [ok(0), ok(1)]), b = seg('b', 5, [ok(5), null]);
    const annotation = { segments: [a, b], gripperEvents: [] };
    expect(segmentShown(annotation, 6, 'a')).toBe(b);
    expect(segmentShown(annotation, 3, 'a')).toBe(a);
    expect(pointOn(a, 1)).toEqual(ok(1));
    expect(pointOn(a, 3)).toBeNull();
    expect(pointOn(b, 6)).toBeNull();
    expect(pointOn(undefined, 0)).toBeNull();
  });
});
