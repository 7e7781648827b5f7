// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { SampleRecord } from '../../storage/types';
import { mergeVersions, type ConflictVersion } from '../../team/conflicts';
import { ConflictView, type ConflictSource } from './conflictView';

const record = (over: Partial<SampleRecord>): SampleRecord => ({
  id: 's1', datasetId: 'd', assetId: 'a', order: 0, instruction: '', path: null, status: 'draft', source: 'image', provenance: {}, createdAt: 1, updatedAt: 1, ...over,
} as SampleRecord);

const versions: ConflictVersion[] = [
  { rev: '2-a', winner: true, changedBy: 'ann', changedAt: 10, record: record({ instruction: 'ann', updatedAt: 10 }) },
  {
    rev: '2-r', winner: false, changedBy: 'rev', changedAt: 20,
    record: record({ instruction: 'rev', updatedAt: 20, status: 'reviewed', review: { verdict: 'approved', comment: '', at: 20 }, path: { initialGripper: 'open', points: [{ x: 0.5, y: 0.5, gripper: 'open' }] } }),
  },
];

describe('conflict view', () => {
  it('starts from the winner, merges the picked fields (a status with its review), or keeps one version', async () => {
    const resolveConflict = vi.fn(async () => true);
    const source: ConflictSource = { conflictVersions: async () => versions, resolveConflict };
    const view = new ConflictView(source, 'd', 's1');
    await view.load();
    expect(view.getSnapshot().picks).toEqual({ path: '2-a', instruction: '2-a', status: '2-a' });
    view.pick('status', '2-r');
    await view.saveMerge();
    expect(resolveConflict).toHaveBeenLastCalledWith('d', 's1', '2-a', { path: '2-a', instruction: '2-a', status: '2-r' });
    expect(view.getSnapshot()).toMatchObject({ busy: false, done: true });
    await view.keep('2-r');
    expect(resolveConflict).toHaveBeenLastCalledWith('d', 's1', '2-r', {});
  });

  it('tells an annotator, before saving, that a choice changing a review is a reviewer\'s', async () => {
    const source: ConflictSource = { conflictVersions: async () => versions, resolveConflict: vi.fn(async () => true) };
    const asAnnotator = new ConflictView(source, 'd', 's1', () => 'annotator');
    await asAnnotator.load();
    expect(asAnnotator.blockedReason('2-a', { instruction: '2-r', path: '2-r' })).toBeNull();
    expect(asAnnotator.blockedReason('2-r')).toMatch(/only a reviewer/);
    expect(asAnnotator.blockedReason('2-a', { status: '2-r' })).toMatch(/only a reviewer/);
    const asReviewer = new ConflictView(source, 'd', 's1', () => 'reviewer');
    await asReviewer.load();
    expect(asReviewer.blockedReason('2-r')).toBeNull();
  });

  it('mergeVersions takes each field from its version and the newest time', () => {
    const merged = mergeVersions(versions, '2-a', { path: '2-r', status: '2-r' });
    expect(merged).toMatchObject({ instruction: 'ann', status: 'reviewed', review: { verdict: 'approved' }, path: versions[1].record.path, updatedAt: 20 });
    const back = mergeVersions(versions, '2-r', { status: '2-a' });
    expect(back.status).toBe('draft');
    expect(back.review).toBeUndefined();
    expect(() => mergeVersions(versions, '9-x', {})).toThrow(/No version/);
  });
});
