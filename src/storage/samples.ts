import Dexie from 'dexie';
import type { Path } from '../core/path';
import { cleanDatasetName } from './datasets';
import { storedAssetIds } from './assets';
import { markCurrentTransaction } from './changeFeed';
import { getDb } from './db';
import { guardedWrite } from './errors';
import { newId } from './ids';
import type { AssetRecord, DatasetRecord, SampleRecord, SampleSource, SampleStatus } from './types';
import { SAMPLE_STATUSES } from './types';

export interface SampleFilter {
  status?: SampleStatus;
  source?: SampleSource;
  /** Case-insensitive substring of the instruction. */
  text?: string;
}

/**
 * Ids of a dataset's samples in queue order, narrowed by the filter. Status and source use
 * compound indexes (no record is read); text search has to read the records.
 */
export async function querySampleIds(datasetId: string, filter: SampleFilter = {}, limit?: number): Promise<string[]> {
  const db = getDb();
  let collection;
  if (filter.status) {
    collection = db.samples.where('[datasetId+status+order]').between([datasetId, filter.status, Dexie.minKey], [datasetId, filter.status, Dexie.maxKey]);
  } else if (filter.source) {
    collection = db.samples.where('[datasetId+source+order]').between([datasetId, filter.source, Dexie.minKey], [datasetId, filter.source, Dexie.maxKey]);
  } else {
    collection = db.samples.where('[datasetId+order]').between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey]);
  }
  const needle = filter.text?.trim().toLowerCase();
  if (needle) collection = collection.filter((s) => s.instruction.toLowerCase().includes(needle));
  if (filter.status && filter.source) {
    const source = filter.source;
    collection = collection.filter((s) => s.source === source);
  }
  if (limit !== undefined) collection = collection.limit(limit);
  return (await collection.primaryKeys()) as string[];
}

export async function getSamples(ids: string[]): Promise<(SampleRecord | undefined)[]> {
  return getDb().samples.bulkGet(ids);
}

export async function getSample(id: string): Promise<SampleRecord | undefined> {
  return getDb().samples.get(id);
}

/**
 * Every sample of the dataset in queue order, read `pageSize` records at a time (one short
 * transaction each), so a scan of 100k samples neither holds one long transaction nor reports
 * only at the end. Stops between pages when `signal` aborts.
 */
export async function forEachSamplePage(datasetId: string, onPage: (page: SampleRecord[]) => void, { pageSize = 2000, signal }: { pageSize?: number; signal?: AbortSignal } = {}): Promise<void> {
  let after: number | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const page: SampleRecord[] = await getDb().samples.where('[datasetId+order]')
      .between([datasetId, after ?? Dexie.minKey], [datasetId, Dexie.maxKey], after === null, true).limit(pageSize).toArray();
    onPage(page);
    if (page.length < pageSize) return;
    after = page[page.length - 1].order;
  }
}

export async function countByStatus(datasetId: string): Promise<Record<SampleStatus, number>> {
  const db = getDb();
  const counts = await Promise.all(
    SAMPLE_STATUSES.map((status) =>
      db.samples.where('[datasetId+status+order]').between([datasetId, status, Dexie.minKey], [datasetId, status, Dexie.maxKey]).count(),
    ),
  );
  return Object.fromEntries(SAMPLE_STATUSES.map((s, i) => [s, counts[i]])) as Record<SampleStatus, number>;
}

async function nextOrder(datasetId: string): Promise<number> {
  const last = await getDb().samples.where('[datasetId+order]').between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey]).last();
  return last ? last.order + 1 : 0;
}

export interface NewSample {
  assetId: string;
  instruction?: string;
  path?: Path | null;
  status?: SampleStatus;
  source: SampleSource;
  provenance?: SampleRecord['provenance'];
  prelabeled?: boolean;
}

/**
 * Stores new assets (skipping ones already stored) and their samples in ONE transaction:
 * if anything fails (a full disk included) nothing of it is left behind.
 */
export async function addSamplesWithAssets(datasetId: string, assets: AssetRecord[], samples: NewSample[]): Promise<SampleRecord[]> {
  const db = getDb();
  return guardedWrite('save the imported files', () =>
    db.transaction('rw', [db.assets, db.samples, db.datasets], async () => {
      const dataset = await db.datasets.get(datasetId);
      if (!dataset || dataset.deletedAt !== undefined) throw new Error('the dataset no longer exists');
      return writeSamples(datasetId, assets, samples);
    }),
  );
}

/**
 * A new dataset and its samples in ONE transaction: an import that fails (a full disk) leaves no
 * empty dataset behind — deleting it afterwards is itself a write that a full disk refuses.
 */
export async function createDatasetWithSamples(name: string, assets: AssetRecord[], samples: NewSample[]): Promise<{ dataset: DatasetRecord; samples: SampleRecord[] }> {
  const db = getDb();
  const now = Date.now();
  const dataset: DatasetRecord = { id: newId(), name: cleanDatasetName(name), createdAt: now, updatedAt: now };
  return guardedWrite('save the imported dataset', () =>
    db.transaction('rw', [db.assets, db.samples, db.datasets], async () => {
      await db.datasets.add(dataset);
      return { dataset, samples: await writeSamples(dataset.id, assets, samples) };
    }),
  );
}

/** Inside a transaction: the assets not stored yet, then the samples at the end of the queue. */
async function writeSamples(datasetId: string, assets: AssetRecord[], samples: NewSample[]): Promise<SampleRecord[]> {
  const db = getDb();
  const existing = await storedAssetIds(assets.map((a) => a.id));
  const fresh = assets.filter((a) => !existing.has(a.id));
  // Chunked puts inside one transaction keep memory bounded and stay atomic.
  for (let i = 0; i < fresh.length; i += 200) await db.assets.bulkPut(fresh.slice(i, i + 200));
  let order = await nextOrder(datasetId);
  const now = Date.now();
  const records: SampleRecord[] = samples.map((s) => ({
    id: newId(),
    datasetId,
    assetId: s.assetId,
    order: order++,
    instruction: s.instruction ?? '',
    path: s.path ?? null,
    status: s.status ?? 'draft',
    source: s.source,
    provenance: s.provenance ?? {},
    prelabeled: s.prelabeled,
    createdAt: now,
    updatedAt: now,
  }));
  for (let i = 0; i < records.length; i += 500) await db.samples.bulkAdd(records.slice(i, i + 500));
  await db.datasets.update(datasetId, { updatedAt: now });
  return records;
}

/** The samples made from these frames of a video (source "video"), in queue order. */
export async function videoSegmentSamples(datasetId: string, videoAssetId: string, frameStart: number, frameEnd: number): Promise<SampleRecord[]> {
  const fromVideos = await getDb().samples.where('[datasetId+source+order]').between([datasetId, 'video', Dexie.minKey], [datasetId, 'video', Dexie.maxKey]).toArray();
  return fromVideos.filter((s) => s.provenance.videoAssetId === videoAssetId && s.provenance.frameStart === frameStart && s.provenance.frameEnd === frameEnd);
}

/** Asset ids of this dataset that already exist, to report duplicates before importing. */
export async function assetsInDataset(datasetId: string, assetIds: string[]): Promise<Set<string>> {
  if (!assetIds.length) return new Set();
  const keys = await getDb().samples.where('[datasetId+assetId]').anyOf(assetIds.map((a) => [datasetId, a])).keys();
  return new Set(keys.map((k) => (k as unknown as [string, string])[1]));
}

export type SamplePatch = Partial<Pick<SampleRecord, 'instruction' | 'path' | 'status' | 'review' | 'prelabeled'>>;

export async function updateSample(id: string, patch: SamplePatch): Promise<void> {
  await guardedWrite('save the sample', () => getDb().samples.update(id, { ...patch, updatedAt: Date.now() }));
}

/**
 * `updateSample` for an edit recovered from Annotate's crash journal: the change feed tells it as
 * `recovered`, so the screens that show samples read it again (no screen of this visit made it).
 */
export async function updateSampleRecovered(id: string, patch: SamplePatch): Promise<void> {
  const db = getDb();
  await guardedWrite('save the sample', () =>
    db.transaction('rw', db.samples, async () => {
      markCurrentTransaction({ recovered: true });
      await db.samples.update(id, { ...patch, updatedAt: Date.now() });
    }),
  );
}


/**
 * Removes samples in one transaction and returns them as they were, so the removal can be undone
 * with `putSamples`. Their images stay stored (other samples may share them; an undo needs them).
 */
export async function removeSamples(ids: string[]): Promise<SampleRecord[]> {
  const db = getDb();
  return guardedWrite('delete the samples', () =>
    db.transaction('rw', db.samples, async () => {
      const records = (await db.samples.bulkGet(ids)).filter((s): s is SampleRecord => s !== undefined);
      await db.samples.bulkDelete(records.map((s) => s.id));
      return records;
    }),
  );
}

/** Writes samples back as they were (an undo). */
export async function putSamples(records: SampleRecord[]): Promise<void> {
  const db = getDb();
  await guardedWrite('restore the samples', () => db.transaction('rw', db.samples, () => db.samples.bulkPut(records)));
}

/**
 * Removes `removeIds` and adds `add` (with the assets not stored yet) in one transaction, so a
 * failure changes nothing; returns the removed records (for `unreplaceSamples`) and the new ones.
 */
export async function replaceSamples(datasetId: string, removeIds: string[], assets: AssetRecord[], add: NewSample[]): Promise<{ removed: SampleRecord[]; added: SampleRecord[] }> {
  const db = getDb();
  // The calls inside join this transaction (Dexie nests them).
  return db.transaction('rw', [db.assets, db.samples, db.datasets], async () => {
    const removed = removeIds.length ? await removeSamples(removeIds) : [];
    const added = add.length ? await addSamplesWithAssets(datasetId, assets, add) : [];
    return { removed, added };
  });
}

/** Undoes `replaceSamples`: takes the added samples out and writes the removed ones back, in one transaction. */
export async function unreplaceSamples(addedIds: string[], removed: SampleRecord[]): Promise<void> {
  const db = getDb();
  await db.transaction('rw', db.samples, async () => {
    await removeSamples(addedIds);
    if (removed.length) await putSamples(removed);
  });
}

/**
 * Sets the status of many samples in one transaction; returns each one's previous record for an
 * undo. A sample going back to draft keeps its review (the history of what was decided).
 */
export async function setSamplesStatus(ids: string[], status: SampleStatus): Promise<SampleRecord[]> {
  const db = getDb();
  return guardedWrite('change the status', () =>
    db.transaction('rw', db.samples, async () => {
      const before = (await db.samples.bulkGet(ids)).filter((s): s is SampleRecord => s !== undefined);
      const now = Date.now();
      await db.samples.bulkPut(before.map((s) => ({ ...s, status, updatedAt: now })));
      return before;
    }),
  );
}

/**
 * Moves samples to the end of another dataset's queue, in their order, in one transaction; returns
 * their previous records for an undo. Images are shared by content, so nothing else moves.
 */
export async function moveSamples(ids: string[], toDatasetId: string): Promise<SampleRecord[]> {
  const db = getDb();
  return guardedWrite('move the samples', () =>
    db.transaction('rw', [db.samples, db.datasets], async () => {
      const target = await db.datasets.get(toDatasetId);
      if (!target || target.deletedAt !== undefined) throw new Error('the dataset to move them to was deleted (pick another)');
      const before = (await db.samples.bulkGet(ids)).filter((s): s is SampleRecord => s !== undefined).sort((a, b) => a.order - b.order);
      let order = await nextOrder(toDatasetId);
      const now = Date.now();
      await db.samples.bulkPut(before.map((s) => ({ ...s, datasetId: toDatasetId, order: order++, updatedAt: now })));
      await db.datasets.update(toDatasetId, { updatedAt: now });
      return before;
    }),
  );
}
