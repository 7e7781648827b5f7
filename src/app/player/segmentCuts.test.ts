import { describe, expect, it } from 'vitest';
import { addCutBlocked, cutPlanFor, cutReplacement, nearestCut, segmentsOf, withCut, withoutCut, type SegmentSample } from './segmentCuts';

const sample = (id: string, frameStart: number, frameEnd: number, status: SegmentSample['status'] = 'draft', instruction = `do ${id}`): SegmentSample =>
  ({ id, status, instruction, frameStart, frameEnd });

/** 100 frames imported as three segments: 0–30, 30–60 (done), 60–99. */
const samples = [sample('a', 0, 30), sample('b', 30, 60, 'done'), sample('c', 60, 99)];

describe('re-cutting an episode', () => {
  it('reads the cuts from the samples’ frame ranges, and from the stored segments when no sample is left', () => {
    const plan = cutPlanFor(100, samples, []);
    expect(plan).toEqual({ length: 100, cuts: [30, 60], locked: [{ start: 30, end: 60 }] });
    expect(segmentsOf(plan)).toEqual([{ start: 0, end: 30 }, { start: 30, end: 60 }, { start: 60, end: 99 }]);
    expect(cutPlanFor(100, [], [{ start: 0, end: 45 }, { start: 45, end: 99 }]).cuts).toEqual([45]);
  });

  it('adds a cut inside a draft’s range, and says why it will not cut a done range, the ends or a cut twice', () => {
    const plan = cutPlanFor(100, samples, []);
    expect(addCutBlocked(plan, 80)).toBeNull();
    expect(withCut(plan, 80).cuts).toEqual([30, 60, 80]);
    expect(addCutBlocked(plan, 45)).toMatch(/frames 30–60 belong to a sample already marked done or reviewed, so they cannot be cut/);
    expect(addCutBlocked(plan, 0)).toMatch(/first or last frame/);
    expect(addCutBlocked(plan, 99)).toMatch(/first or last frame/);
    expect(addCutBlocked(plan, 30)).toBe('Frame 30 is a cut already.');
  });

  it('finds the cut nearest a frame, and keeps one that bounds a done range', () => {
    const plan = withCut(cutPlanFor(100, samples, []), 80);
    expect(nearestCut(plan, 85)).toEqual({ cut: 80, blocked: null });
    expect(withoutCut(plan, 80).cuts).toEqual([30, 60]);
    expect(nearestCut(plan, 35)?.blocked).toMatch(/The cut at frame 30 stays/);
    expect(nearestCut({ length: 10, cuts: [], locked: [] }, 3)).toBeNull();
  });

  it('replaces only the drafts whose segment changed: one new draft per new segment, with the overlapping draft’s instruction', () => {
    const plan = withCut(cutPlanFor(100, samples, []), 80);
    expect(cutReplacement(plan, samples, 'the task')).toEqual({
      remove: ['c'],
      make: [{ segment: { start: 60, end: 80 }, instruction: 'do c' }, { segment: { start: 80, end: 99 }, instruction: 'do c' }],
    });
  });

  it('gives a segment that overlaps no old draft the episode’s task, and none to a segment inside a done range', () => {
    // Only the done sample is left; the cut at 60 ends its range.
    const plan = withCut(cutPlanFor(100, [sample('b', 30, 60, 'reviewed')], []), 10);
    expect(segmentsOf(plan)).toEqual([{ start: 0, end: 10 }, { start: 10, end: 30 }, { start: 30, end: 60 }, { start: 60, end: 99 }]);
    expect(cutReplacement(plan, [sample('b', 30, 60, 'reviewed')], 'the task').make.map((m) => [m.segment.start, m.instruction]))
      .toEqual([[0, 'the task'], [10, 'the task'], [60, 'the task']]);
  });

  it('merging two drafts’ segments makes one draft with the instruction of the one it overlaps most', () => {
    const drafts = [sample('a', 0, 20), sample('b', 20, 99)];
    const plan = withoutCut(cutPlanFor(100, drafts, []), 20);
    expect(cutReplacement(plan, drafts, 'task')).toEqual({ remove: ['a', 'b'], make: [{ segment: { start: 0, end: 99 }, instruction: 'do b' }] });
  });
});
