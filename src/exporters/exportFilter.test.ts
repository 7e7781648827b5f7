import { describe, expect, it } from 'vitest';
import { ALL_SOURCES, outcomeOf, sampleMatches, taskMatches } from './exportFilter';

describe('export filter', () => {
  it('keeps samples by status, source and instruction text (any case)', () => {
    const f = { statuses: ['done' as const], sources: ['video' as const], task: 'Red CUP' };
    expect(sampleMatches(f, { status: 'done', source: 'video', instruction: 'pick up the red cup' })).toBe(true);
    expect(sampleMatches(f, { status: 'draft', source: 'video', instruction: 'pick up the red cup' })).toBe(false);
    expect(sampleMatches(f, { status: 'done', source: 'image', instruction: 'pick up the red cup' })).toBe(false);
    expect(sampleMatches(f, { status: 'done', source: 'video', instruction: 'open the drawer' })).toBe(false);
    expect(sampleMatches({ ...f, sources: ALL_SOURCES, task: '  ' }, { status: 'done', source: 'image', instruction: 'x' })).toBe(true);
  });

  it('reads a run’s outcome from its verdict: true, false, or none given', () => {
    expect([true, false, null, undefined, 'yes'].map(outcomeOf)).toEqual(['success', 'failure', 'none', 'none', 'none']);
    expect(taskMatches({ task: 'drawer' }, 'Open the DRAWER')).toBe(true);
  });
});
