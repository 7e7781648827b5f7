import { describe, expect, it } from 'vitest';
import { gripperChangeIndices } from '../../core/path';
import { gripperStates, normalizeSignal } from './gripperEvents';
import { pathForSegment } from './makePath';
import { segmentsFromCuts, suggestCuts } from './segments';

describe('gripper events with hysteresis', () => {
  it('ignores noise around one threshold that would make a single-threshold detector chatter', () => {
    const signal = [0, 0.1, 0.45, 0.55, 0.45, 0.55, 0.7, 0.9, 0.9, 0.55, 0.45, 0.55, 0.3, 0.1];
    const { states, events } = gripperStates(signal, { closeAbove: 0.6, openBelow: 0.4, inverted: false }, true);
    expect(events).toEqual([{ frame: 6, state: 'closed' }, { frame: 12, state: 'open' }]);
    expect(states[5]).toBe('open');
    expect(states[11]).toBe('closed');
  });

  it('handles inverted units (larger = more open) by rescaling to the signal range', () => {
    const opening = [40, 40, 39, 5, 4, 4, 30, 40];
    const { events } = gripperStates(opening, { closeAbove: 0.6, openBelow: 0.4, inverted: true });
    expect(events.map((e) => e.frame)).toEqual([3, 6]);
    expect(normalizeSignal([2, 2, 2])).toEqual([0, 0, 0]);
  });

  it('starts closed when the first frame is already closed', () => {
    expect(gripperStates([1, 1, 0], undefined, true).states).toEqual(['closed', 'closed', 'open']);
  });
});

describe('segments', () => {
  it('cuts a timeline into adjacent inclusive segments and drops cuts at the ends', () => {
    expect(segmentsFromCuts(10, [])).toEqual([{ start: 0, end: 9 }]);
    expect(segmentsFromCuts(10, [4, 0, 9, 4])).toEqual([{ start: 0, end: 4 }, { start: 4, end: 9 }]);
    expect(segmentsFromCuts(0, [])).toEqual([]);
  });

  it('suggests a cut after a release only when another grasp follows', () => {
    const events = [{ frame: 10, state: 'closed' as const }, { frame: 20, state: 'open' as const }, { frame: 30, state: 'closed' as const }, { frame: 40, state: 'open' as const }];
    expect(suggestCuts(events, 50)).toEqual([20]);
    expect(suggestCuts(events.slice(0, 2), 50)).toEqual([]);
  });
});

describe('pathForSegment', () => {
  it('keeps the grasp point, carries the gripper state after each point and simplifies straight runs', () => {
    const n = 21;
    // Straight down to frame 10 (grasp), then straight right.
    const track = Array.from({ length: n }, (_, i) => (i <= 10 ? { x: 0.2, y: 0.2 + i * 0.04 } : { x: 0.2 + (i - 10) * 0.05, y: 0.6 }));
    const states = Array.from({ length: n }, (_, i) => (i > 10 ? 'closed' as const : 'open' as const));
    const path = pathForSegment(track, states, { start: 0, end: n - 1 });
    expect(path.initialGripper).toBe('open');
    expect(path.points.length).toBe(3);
    expect(path.points[1]).toMatchObject({ x: 0.2, gripper: 'closed' });
    expect(path.points[1].y).toBeCloseTo(0.6, 12);
    expect(gripperChangeIndices(path)).toEqual([1]);
  });

  it('clamps points outside the image and respects the segment bounds', () => {
    const track = [{ x: -0.1, y: 0.5 }, { x: 0.5, y: 0.5 }, { x: 1.2, y: 0.5 }, { x: 0.3, y: 0.3 }];
    const states = ['open', 'open', 'open', 'open'] as const;
    const path = pathForSegment(track, [...states], { start: 0, end: 2 }, { raw: true });
    expect(path.points.map((p) => p.x)).toEqual([0, 0.5, 1]);
  });
});
