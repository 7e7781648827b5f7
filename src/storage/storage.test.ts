// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { StudioDatabase, setDb, getDb } from './db';
import { createDataset, listDatasets, purgeDeletedDatasets, renameDataset, restoreDataset, softDeleteDataset } from './datasets';
import { addSamplesWithAssets, countByStatus, getSamples, querySampleIds, updateSample } from './samples';
import { StorageFullError, isQuotaError, toStorageError } from './errors';
import { sha256Hex } from './hash';
import type { AssetRecord } from './types';

let dbCounter = 0;
beforeEach(() => {
  setDb(new StudioDatabase(`test-${dbCounter++}`));
});

async function asset(content: string): Promise<AssetRecord> {
  const blob = new Blob([content], { type: 'image/png' });
  return { id: await sha256Hex(blob), blob, mime: 'image/png', size: blob.size, width: 4, height: 3, createdAt: Date.now() };
}

describe('datasets', () => {
  it('creates, renames, soft-deletes, restores and purges', async () => {
    const d = await createDataset('  kitchen   pick ');
    expect(d.name).toBe('kitchen pick');
    await renameDataset(d.id, 'Kitchen');
    expect((await listDatasets()).map((x) => x.name)).toEqual(['Kitchen']);
    await softDeleteDataset(d.id);
    expect(await listDatasets()).toEqual([]);
    await restoreDataset(d.id);
    expect((await listDatasets()).length).toBe(1);
    await expect(createDataset('   ')).rejects.toThrow(/needs a name/);
  });

  it('purging a deleted dataset removes its samples and unshared assets only', async () => {
    const a = await createDataset('a');
    const b = await createDataset('b');
    const shared = await asset('shared');
    const onlyA = await asset('onlyA');
    await addSamplesWithAssets(a.id, [shared, onlyA], [{ assetId: shared.id, source: 'image' }, { assetId: onlyA.id, source: 'image' }]);
    await addSamplesWithAssets(b.id, [shared], [{ assetId: shared.id, source: 'image' }]);
    await softDeleteDataset(a.id);
    expect(await purgeDeletedDatasets(0)).toBe(1);
    const db = getDb();
    expect(await db.samples.count()).toBe(1);
    expect(await db.assets.get(onlyA.id)).toBeUndefined();
    expect(await db.assets.get(shared.id)).toBeDefined();
    await expect(restoreDataset(a.id)).rejects.toThrow(/removed for good/);
  });
});

describe('samples', () => {
  it('keeps Blobs, queue order, filters and counts', async () => {
    const d = await createDataset('d');
    const assets = await Promise.all(['x', 'y', 'z'].map(asset));
    const made = await addSamplesWithAssets(d.id, assets, assets.map((a, i) => ({ assetId: a.id, source: 'image', instruction: ['pick the red cube', 'press button', 'pick the cup'][i] })));
    expect(made.map((s) => s.order)).toEqual([0, 1, 2]);
    const stored = await getDb().assets.get(assets[0].id);
    expect(stored?.blob).toBeInstanceOf(Blob);
    expect(await stored!.blob.text()).toBe('x');

    await updateSample(made[1].id, { status: 'done' });
    expect(await querySampleIds(d.id)).toEqual(made.map((s) => s.id));
    expect(await querySampleIds(d.id, { status: 'done' })).toEqual([made[1].id]);
    expect(await querySampleIds(d.id, { text: 'PICK' })).toEqual([made[0].id, made[2].id]);
    expect(await countByStatus(d.id)).toEqual({ draft: 2, done: 1, reviewed: 0, rejected: 0 });
    const [s] = await getSamples([made[1].id]);
    expect(s?.status).toBe('done');
  });

  it('a failed multi-row write leaves nothing behind', async () => {
    const d = await createDataset('d');
    const a = await asset('one');
    // Two samples with an asset that is not in the batch is fine; a sample batch with a
    // duplicate primary key fails half-way through and must roll back the assets too.
    const db = getDb();
    const original = db.samples.bulkAdd.bind(db.samples);
    db.samples.bulkAdd = (() => Promise.reject(Object.assign(new Error('quota'), { name: 'QuotaExceededError' }))) as unknown as typeof db.samples.bulkAdd;
    await expect(addSamplesWithAssets(d.id, [a], [{ assetId: a.id, source: 'image' }])).rejects.toBeInstanceOf(StorageFullError);
    db.samples.bulkAdd = original;
    expect(await db.assets.count()).toBe(0);
    expect(await db.samples.count()).toBe(0);
  });

  it('refuses writes into a deleted dataset', async () => {
    const d = await createDataset('d');
    await softDeleteDataset(d.id);
    const a = await asset('one');
    await expect(addSamplesWithAssets(d.id, [a], [{ assetId: a.id, source: 'image' }])).rejects.toThrow(/no longer exists/);
  });
});

describe('errors', () => {
  it('recognizes Dexie-wrapped quota errors', () => {
    const inner = Object.assign(new Error('q'), { name: 'QuotaExceededError' });
    const wrapped = Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner });
    expect(isQuotaError(wrapped)).toBe(true);
    expect(toStorageError(wrapped, 'x')).toBeInstanceOf(StorageFullError);
    expect(isQuotaError(new Error('other'))).toBe(false);
    expect(toStorageError(new Error('boom'), 'save it').message).toBe('Could not save it: boom. Nothing was changed.');
  });
});
