// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { StudioDatabase, setDb } from '../../storage/db';
import { createDataset } from '../../storage/datasets';
import { addSamplesWithAssets } from '../../storage/samples';
import { parseDatasetQuery } from './datasetQuery';
import { startFirstPageEarly, takeFirstPage } from './firstPage';

let n = 0;
beforeEach(() => {
  setDb(new StudioDatabase(`first-page-${n++}`));
  performance.clearMarks();
});

/** Queries started (each marks its start at once). */
const queries = () => performance.getEntriesByName('library:query-start').length;

async function datasetWithSamples(count: number) {
  const d = await createDataset('d');
  const blob = new Blob(['x']);
  await addSamplesWithAssets(d.id, [{ id: 'a', blob, mime: 'image/png', size: 1, width: 1, height: 1, createdAt: 0 }],
    Array.from({ length: count }, (_, i) => ({ assetId: 'a', source: 'image' as const, status: i % 2 ? 'done' as const : 'draft' as const })));
  return d.id;
}

describe('the dataset page\'s first query, started before the first render', () => {
  it('is taken once by the page at the same address; a second take, or another address, queries afresh', async () => {
    const id = await datasetWithSamples(3);
    startFirstPageEarly(`/library/${id}`, '?status=done');
    const early = await takeFirstPage(id, '?status=done', parseDatasetQuery('?status=done'));
    expect(early.ids).toHaveLength(1);
    expect(early.counts).toMatchObject({ draft: 2, done: 1 });
    expect(queries()).toBe(1);
    await takeFirstPage(id, '?status=done', parseDatasetQuery('?status=done'));
    expect(queries()).toBe(2);
    startFirstPageEarly(`/library/${id}`, '');
    const other = await takeFirstPage(id, '?status=draft', parseDatasetQuery('?status=draft'));
    expect(other.ids).toHaveLength(2);
    expect(queries()).toBe(4);
  });

  it('starts nothing on other pages', async () => {
    startFirstPageEarly('/annotate/x', '');
    startFirstPageEarly('/library', '');
    expect(queries()).toBe(0);
  });
});
