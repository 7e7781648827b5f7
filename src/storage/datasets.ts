import { getDb } from './db';
import { guardedWrite } from './errors';
import { newId } from './ids';
import type { DatasetRecord } from './types';

export interface DatasetSummary extends DatasetRecord {
  sampleCount: number;
}

export async function listDatasets(): Promise<DatasetSummary[]> {
  const db = getDb();
  const all = await db.datasets.orderBy('createdAt').toArray();
  const live = all.filter((d) => d.deletedAt === undefined);
  return Promise.all(
    live.map(async (d) => ({
      ...d,
      sampleCount: await db.samples.where('[datasetId+order]').between([d.id, -Infinity], [d.id, Infinity]).count(),
    })),
  );
}

export async function getDataset(id: string): Promise<DatasetRecord | undefined> {
  const d = await getDb().datasets.get(id);
  return d && d.deletedAt === undefined ? d : undefined;
}

export function cleanDatasetName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (!trimmed) throw new Error('A dataset needs a name.');
  if (trimmed.length > 200) throw new Error('Dataset names are limited to 200 characters.');
  return trimmed;
}

export async function createDataset(name: string): Promise<DatasetRecord> {
  const now = Date.now();
  const record: DatasetRecord = { id: newId(), name: cleanDatasetName(name), createdAt: now, updatedAt: now };
  await guardedWrite('create the dataset', () => getDb().datasets.add(record));
  return record;
}

export async function renameDataset(id: string, name: string): Promise<void> {
  const clean = cleanDatasetName(name);
  await guardedWrite('rename the dataset', () => getDb().datasets.update(id, { name: clean, updatedAt: Date.now() }));
}

/** Hides the dataset; it stays restorable until `purgeDeletedDatasets` runs. */
export async function softDeleteDataset(id: string): Promise<void> {
  await guardedWrite('delete the dataset', () => getDb().datasets.update(id, { deletedAt: Date.now() }));
}

export async function restoreDataset(id: string): Promise<void> {
  const db = getDb();
  await guardedWrite('restore the dataset', () =>
    db.transaction('rw', db.datasets, async () => {
      const d = await db.datasets.get(id);
      if (!d) throw new Error('That dataset was already removed for good.');
      delete d.deletedAt;
      await db.datasets.put(d);
    }),
  );
}

/**
 * Removes soft-deleted datasets older than `olderThanMs`, their samples and episodes, and the
 * assets no other sample still uses — all in one transaction.
 */
export async function purgeDeletedDatasets(olderThanMs: number, now = Date.now()): Promise<number> {
  const db = getDb();
  return guardedWrite('remove deleted datasets', () =>
    db.transaction('rw', [db.datasets, db.samples, db.assets, db.episodes], async () => {
      const doomed = (await db.datasets.toArray()).filter((d) => d.deletedAt !== undefined && now - d.deletedAt >= olderThanMs);
      for (const d of doomed) {
        const samples = await db.samples.where('datasetId').equals(d.id).toArray();
        await db.samples.bulkDelete(samples.map((s) => s.id));
        await db.episodes.where('datasetId').equals(d.id).delete();
        const assetIds = [...new Set(samples.map((s) => s.assetId))];
        for (const assetId of assetIds) {
          if ((await db.samples.where('assetId').equals(assetId).count()) === 0) await db.assets.delete(assetId);
        }
        await db.datasets.delete(d.id);
      }
      return doomed.length;
    }),
  );
}
