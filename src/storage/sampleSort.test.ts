// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Path } from '../core/path';
import { createDataset } from './datasets';
import { getDb, setDb, StudioDatabase } from './db';
import { forEachSamplePage } from './samples';
import { episodeOutcomes } from './sampleOutcomes';
import { querySortedSampleIds } from './sampleSort';
import type { SampleRecord } from './types';

let n = 0;
beforeEach(() => setDb(new StudioDatabase(`sample-sort-${n++}`)));

const path = (points: number): Path => ({ initialGripper: 'open', points: Array.from({ length: points }, (_, i) => ({ x: i / 10, y: 0.5, gripper: 'open' as const })) });

/** Five samples whose columns each put them in a different order; `id` is their queue position. */
async function seed() {
  const d = await createDataset('kitchen');
  const rows: Partial<SampleRecord>[] = [
    { instruction: 'pick the cube', status: 'done', source: 'image', path: path(3), updatedAt: 30 },
    { instruction: 'Open the drawer', status: 'draft', source: 'video', path: null, updatedAt: 50 },
    { instruction: 'close the lid', status: 'rejected', source: 'episode', path: path(5), updatedAt: 10, provenance: { episodeId: 'e-ok' } },
    { instruction: 'stack', status: 'reviewed', source: 'episode', path: path(1), updatedAt: 40, provenance: { episodeId: 'e-bad' } },
    { instruction: 'wipe', status: 'draft', source: 'image', path: path(2), updatedAt: 20 },
  ];
  await getDb().samples.bulkAdd(rows.map((r, i) => ({ id: `s${i}`, datasetId: d.id, assetId: 'a', order: i, provenance: {}, createdAt: 0, ...r }) as SampleRecord));
  await getDb().episodes.bulkAdd([
    { id: 'e-ok', datasetId: d.id, task: 'close', data: { format: 'path-studio/live-episode@1', success: true }, createdAt: 0 },
    { id: 'e-bad', datasetId: d.id, task: 'stack', data: { kind: 'imported-episode', success: false }, createdAt: 0 },
  ]);
  return d.id;
}

describe('sorted sample ids', () => {
  it('orders by each column from indexes, and reverses', async () => {
    const d = await seed();
    const sorted = (key: Parameters<typeof querySortedSampleIds>[1]['key'], dir: 'asc' | 'desc' = 'asc') => querySortedSampleIds(d, { key, dir });
    expect(await sorted('updated')).toEqual(['s2', 's4', 's0', 's3', 's1']);
    expect(await sorted('updated', 'desc')).toEqual(['s1', 's3', 's0', 's4', 's2']);
    expect(await sorted('instruction')).toEqual(['s1', 's2', 's0', 's3', 's4']); // code-unit order: capitals first
    expect(await sorted('status')).toEqual(['s1', 's4', 's0', 's3', 's2']); // draft, done, reviewed, rejected
    expect(await sorted('status', 'desc')).toEqual(['s2', 's3', 's0', 's4', 's1']);
    expect(await sorted('source')).toEqual(['s2', 's3', 's0', 's4', 's1']); // episode, image, video
    expect(await sorted('length')).toEqual(['s3', 's4', 's0', 's2', 's1']); // no path last
    expect(await sorted('length', 'desc')).toEqual(['s2', 's0', 's4', 's3', 's1']);
    expect(await sorted('outcome')).toEqual(['s3', 's2', 's0', 's1', 's4']); // failure, success, then no outcome
    expect(await sorted('outcome', 'desc')).toEqual(['s2', 's3', 's0', 's1', 's4']);
  });

  it('takes the first page from the index and keeps only what the filter matches', async () => {
    const d = await seed();
    expect(await querySortedSampleIds(d, { key: 'updated', dir: 'desc' }, {}, 2)).toEqual(['s1', 's3']);
    expect(await querySortedSampleIds(d, { key: 'status', dir: 'asc' }, {}, 3)).toEqual(['s1', 's4', 's0']);
    expect(await querySortedSampleIds(d, { key: 'length', dir: 'asc' }, {}, 2)).toEqual(['s3', 's4']);
    expect(await querySortedSampleIds(d, { key: 'outcome', dir: 'asc' }, {}, 3)).toEqual(['s3', 's2', 's0']); // the rest from a page of queue ids
    expect(await querySortedSampleIds(d, { key: 'outcome', dir: 'desc' }, {}, 1)).toEqual(['s2']);
    expect(await querySortedSampleIds(d, { key: 'updated', dir: 'asc' }, { status: 'draft' })).toEqual(['s4', 's1']);
    expect(await querySortedSampleIds(d, { key: 'length', dir: 'desc' }, { source: 'episode' }, 1)).toEqual(['s2']);
    expect(await querySortedSampleIds(d, { key: 'instruction', dir: 'asc' }, { text: 'THE' })).toEqual(['s1', 's2', 's0']);
  });

  it('reads the outcomes of live and imported episodes', async () => {
    const d = await seed();
    expect(Object.fromEntries(await episodeOutcomes(d))).toEqual({ 'e-ok': { live: true, success: true }, 'e-bad': { live: false, success: false } });
  });

  it('scans every sample in queue order, page by page', async () => {
    const d = await seed();
    const pages: string[][] = [];
    await forEachSamplePage(d, (page) => pages.push(page.map((s) => s.id)), { pageSize: 2 });
    expect(pages).toEqual([['s0', 's1'], ['s2', 's3'], ['s4']]);
  });
});
