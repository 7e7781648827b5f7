import { describe, expect, it } from 'vitest';
import {
  adjacentKeyframe, applyTrackedPoints, clearTrack, createSegment, gripperStateAt, readAnnotation, replaceGripperEvents, resizeSegment, setKeyframe,
  toggleGripperEvent, trackingRuns, unreliableFrames, emptyAnnotation,
} from './annotation';
import { segmentToPath, trackProblem } from './trackToPath';

describe('video annotation', () => {
  it('keyframes split a segment into tracking runs; a correction re-tracks only its run', () => {
    let s = createSegment('a', 10, 30);
    s = setKeyframe(s, 10, 5, 5);
    s = setKeyframe(s, 20, 50, 50);
    expect(trackingRuns(s)).toEqual([{ from: 10, to: 19, x: 5, y: 5 }, { from: 20, to: 30, x: 50, y: 50 }]);
    expect(trackingRuns(s, 20)).toEqual([{ from: 20, to: 30, x: 50, y: 50 }]);
    expect(() => setKeyframe(s, 31, 0, 0)).toThrow(RangeError);
  });

  it('tracked points never overwrite a keyframe, and clearing keeps keyframes', () => {
    let s = setKeyframe(createSegment('a', 0, 4), 2, 9, 9);
    s = applyTrackedPoints(s, [{ frame: 1, point: { x: 1, y: 1, reliable: true } }, { frame: 2, point: { x: 0, y: 0, reliable: false } }, { frame: 3, point: { x: 3, y: 3, reliable: false } }]);
    expect(s.track[2]).toEqual({ x: 9, y: 9, reliable: true });
    expect(unreliableFrames(s)).toEqual([3]);
    s = clearTrack(s, 0, 4);
    expect(s.track.filter(Boolean)).toHaveLength(1);
  });

  it('R / E find the next and previous keyframe', () => {
    let s = createSegment('a', 0, 100);
    for (const f of [0, 40, 80]) s = setKeyframe(s, f, 1, 1);
    expect(adjacentKeyframe(s, 40, 1)).toBe(80);
    expect(adjacentKeyframe(s, 40, -1)).toBe(0);
    expect(adjacentKeyframe(s, 80, 1)).toBeUndefined();
  });

  it('resizing keeps points inside the new range', () => {
    let s = setKeyframe(createSegment('a', 0, 9), 5, 1, 1);
    s = resizeSegment(s, 3, 6);
    expect(s.track).toHaveLength(4);
    expect(s.track[2]).toEqual({ x: 1, y: 1, reliable: true });
    expect(resizeSegment(s, 0, 2).keyframes).toEqual([]);
  });

  it('gripper events toggle and set the state from their frame on', () => {
    let a = toggleGripperEvent(emptyAnnotation(), 20, 'closed');
    a = toggleGripperEvent(a, 40, 'open');
    expect(gripperStateAt(a.gripperEvents, 19)).toBe('open');
    expect(gripperStateAt(a.gripperEvents, 20)).toBe('closed');
    expect(gripperStateAt(a.gripperEvents, 45)).toBe('open');
    expect(toggleGripperEvent(a, 20, 'closed').gripperEvents).toEqual([{ frame: 40, state: 'open' }]);
    expect(toggleGripperEvent(a, 20, 'open').gripperEvents[0]).toEqual({ frame: 20, state: 'open' });
  });

  it('reads stored annotations leniently', () => {
    expect(readAnnotation(undefined)).toEqual(emptyAnnotation());
    expect(readAnnotation({ segments: 'junk', frameTimes: [0] })).toEqual(emptyAnnotation());
  });
});

describe('segment → path', () => {
  it('normalizes, simplifies a straight track to its ends and keeps the grasp point', () => {
    let s = createSegment('a', 0, 40);
    s = setKeyframe(s, 0, 10, 50);
    s = applyTrackedPoints(s, Array.from({ length: 40 }, (_, i) => ({ frame: i + 1, point: { x: 10 + (i + 1) * 2, y: 50, reliable: true } })));
    const { path, usedFrames } = segmentToPath(s, [{ frame: 20, state: 'closed' }], 100, 100);
    expect(usedFrames).toBe(41);
    expect(path.initialGripper).toBe('open');
    expect(path.points).toEqual([
      { x: 0.1, y: 0.5, gripper: 'open' },
      { x: 0.5, y: 0.5, gripper: 'closed' },
      { x: 0.9, y: 0.5, gripper: 'closed' },
    ]);
  });

  it('keeps a grasp and a release that fall on unreliable frames, at the nearest reliable point', () => {
    // Frames 0–2 and 9 reliable along y = 50; 3–8 lost (the hand covers the object while grasping).
    let s = setKeyframe(createSegment('a', 0, 9), 0, 10, 50);
    s = applyTrackedPoints(s, Array.from({ length: 9 }, (_, i) => {
      const frame = i + 1;
      return { frame, point: { x: 10 + frame * 8, y: 50, reliable: frame <= 2 || frame === 9 } };
    }));
    const { path } = segmentToPath(s, [{ frame: 4, state: 'closed' }, { frame: 7, state: 'open' }], 100, 100);
    expect(path.points).toEqual([
      { x: 0.1, y: 0.5, gripper: 'open' },
      { x: 0.26, y: 0.5, gripper: 'closed' }, // the grasp (frame 4) at frame 2, the nearest reliable point
      { x: 0.82, y: 0.5, gripper: 'open' }, // the release (frame 7) at frame 9
    ]);
  });

  it('leaves unreliable frames out and starts closed when the grasp came before the segment', () => {
    let s = setKeyframe(createSegment('a', 10, 12), 10, 0, 0);
    s = applyTrackedPoints(s, [{ frame: 11, point: { x: 999, y: 999, reliable: false } }, { frame: 12, point: { x: 100, y: 100, reliable: true } }]);
    const { path, unreliableFrames: bad } = segmentToPath(s, [{ frame: 3, state: 'closed' }], 100, 100);
    expect(bad).toBe(1);
    expect(path.initialGripper).toBe('closed');
    expect(path.points.map((p) => [p.x, p.y])).toEqual([[0, 0], [1, 1]]);
  });
});

describe('a track fit to become a sample', () => {
  it('is refused while fewer than a third of the tracked frames are reliable (21 of 160 in the report)', () => {
    expect(trackProblem({ usedFrames: 21, unreliableFrames: 139 })).toBe('139 unreliable frames of 160 tracked: step to where the point is lost, click the right point (tracking resumes from it), then make the sample');
    expect(trackProblem({ usedFrames: 17, unreliableFrames: 53 })).toMatch(/^53 unreliable frames of 70 tracked/);
    expect(trackProblem({ usedFrames: 27, unreliableFrames: 43 })).toBeNull();
    expect(trackProblem({ usedFrames: 150, unreliableFrames: 10 })).toBeNull();
  });
});

describe('hand tracking fields', () => {
  it('replaces the gripper events of a frame range and keeps the others', () => {
    const a = { segments: [], gripperEvents: [{ frame: 2, state: 'closed' as const }, { frame: 12, state: 'closed' as const }, { frame: 30, state: 'open' as const }] };
    expect(replaceGripperEvents(a, 10, 20, [{ frame: 15, state: 'closed' }, { frame: 18, state: 'open' }]).gripperEvents.map((e) => e.frame)).toEqual([2, 15, 18, 30]);
  });

  it('resizes the aperture with the track', () => {
    const s = { ...createSegment('s', 0, 3), aperture: [1, 2, 3, 4] };
    expect(resizeSegment(s, 1, 4).aperture).toEqual([2, 3, 4, null]);
  });
});
