/**
 * Dexie → replica: the samples and the dataset a committed write touched (storage/changeFeed.ts)
 * are read and written into the local replica as documents (docs.ts), each stamped with who and
 * when, wherever the document says something else. A sample's image goes first, once per hash.
 */
import { readDatasetRecords, readDatasetSamples, readReplicaRecords } from '../storage/replica';
import type { SampleRecord } from '../storage/types';
import {
  assetDocId, assetToDoc, DATASET_DOC_ID, datasetContent, datasetDocContent, datasetToDoc, parseDocId, RECORD_KINDS, RECORD_TABLES, recordContent,
  recordDocContent, recordDocId, recordTableOf, recordToDoc, referencedAssets, sampleContent, sampleDocContent, sampleDocId, sampleToDoc,
  type AssetDoc, type DatasetDoc, type DatasetRecordOfTable, type RecordDoc, type RecordTable, type SampleDoc, type Stamp, type TeamDoc,
} from './docs';
import type { OwnRevisions } from './ownRevisions';
import type { PouchDatabase, PouchRow as Row } from './pouch';
import type { TeamPlatform } from './platform';

const SEND_CHUNK = 500;

/** Local work taken from the queue: what to read from Dexie and send. */
export interface LocalWork {
  dataset: boolean;
  /** Read every sample again (a table was cleared, the dataset came back from the bin, the first run). */
  rescan: boolean;
  /** A rescan at start: only records newer than their documents are sent (the rest come from the feed). */
  startup: boolean;
  samples: string[];
  /** Episodes, videos and calibrations written here, by table (of any dataset: those of others are skipped). */
  records: Partial<Record<RecordTable, string[]>>;
}

export interface LocalMirrorOptions {
  datasetId: string;
  local: PouchDatabase;
  platform: TeamPlatform;
  ownRevs: OwnRevisions;
  stamp: () => Stamp;
  /** A document changed meanwhile (409): send this one again. */
  again: (doc: TeamDoc) => void;
  /** Shared with the remote mirror, which notes the dataset's record arriving. */
  dataset: DatasetSeen;
}

/**
 * Whether the dataset's record has been in the studio's store since this replica started (found
 * here, or written from the replica): missing after that means it was removed.
 */
export interface DatasetSeen {
  here: boolean;
}

export class LocalMirror {
  /** The dataset is in the bin here: nothing is sent until it is restored. */
  private binned = false;

  constructor(private readonly o: LocalMirrorOptions) {}

  /**
   * Sends what changed; 'gone' when the dataset is no longer in this browser (removed for good,
   * or a restore without it): it is then forgotten, and nothing is deleted on the server.
   */
  async send(work: LocalWork, neverMirrored: boolean): Promise<'gone' | void> {
    const { datasetId, local } = this.o;
    const [dataset] = await readReplicaRecords('datasets', [datasetId]);
    if (!dataset) {
      // Joining: the dataset's record comes from the replica's feed, maybe after other records of it.
      if ((work.startup && neverMirrored) || (!work.startup && !this.o.dataset.here)) return;
      return 'gone';
    }
    this.o.dataset.here = true;
    if (dataset.deletedAt !== undefined) {
      this.binned = true;
      return; // In the bin: nothing is sent; a restore sends what changed.
    }
    let rescan = work.rescan, startup = work.startup;
    if (this.binned) {
      this.binned = false;
      rescan = startup = true;
    }
    const docs: TeamDoc[] = [];
    if (work.dataset || rescan) {
      const doc = await local.get<DatasetDoc>(DATASET_DOC_ID).catch(() => null) as DatasetDoc | null;
      if (!doc || (datasetDocContent(doc) !== datasetContent(dataset) && (!startup || dataset.updatedAt > doc.updatedAt))) {
        docs.push({ ...datasetToDoc(dataset, this.o.stamp()), ...(doc?._rev ? { _rev: doc._rev } : {}) });
      }
    }
    const found = work.samples.length ? await readReplicaRecords('samples', work.samples) : [];
    // Samples deleted here (a rescan never infers a deletion: a missing record may be one that never arrived).
    const deleted = work.samples.filter((_, i) => found[i] === undefined);
    const records = rescan
      ? await readDatasetSamples(datasetId)
      : found.filter((r): r is SampleRecord => r !== undefined && r.datasetId === datasetId);

    // In chunks: sharing 100,000 samples does not build one 100,000-document write.
    await this.sendSamples(docs, records.slice(0, SEND_CHUNK), deleted, startup);
    for (let i = SEND_CHUNK; i < records.length; i += SEND_CHUNK) await this.sendSamples([], records.slice(i, i + SEND_CHUNK), [], startup);
    // The episodes, videos and calibrations, after the dataset's own document.
    for (const table of RECORD_TABLES) {
      const ids = work.records[table] ?? [];
      if (ids.length || rescan) await this.sendRecords(table, ids, rescan, startup);
    }
  }

  /**
   * Writes what changed of a table's records into the replica, the assets they name first. At start,
   * a document that says something else is left to the feed unless the record is newer (videos have a
   * time of change; episodes and calibrations do not, and are then taken to be the server's).
   */
  private async sendRecords(table: RecordTable, ids: string[], rescan: boolean, startup: boolean): Promise<void> {
    const { datasetId, local } = this.o;
    const found = ids.length ? await readReplicaRecords(table, ids) : [];
    const deleted = ids.filter((_, i) => found[i] === undefined);
    const records = (rescan ? await readDatasetRecords(table, datasetId) : found.filter((r) => r !== undefined))
      .filter((r): r is DatasetRecordOfTable => r !== undefined && r.datasetId === datasetId);
    const keys = [...records.map((r) => recordDocId(table, r.id)), ...deleted.map((id) => recordDocId(table, id))];
    if (!keys.length) return;
    const rows = (await local.allDocs({ keys, include_docs: true })).rows as Row[];
    const stamp = this.o.stamp();
    const docs: TeamDoc[] = [];
    const assetIds = new Set<string>();
    records.forEach((record, i) => {
      const row = rows[i];
      const live = row.value && !row.value.deleted ? (row.doc as RecordDoc) : null;
      if (live && recordDocContent(live) === recordContent(record)) return;
      if (startup && (live ? !(((record as { updatedAt?: number }).updatedAt ?? 0) > ((live as { updatedAt?: number }).updatedAt ?? 0)) : row.value?.deleted)) return;
      docs.push({ ...recordToDoc(table, record, stamp), ...(row.value?.rev ? { _rev: row.value.rev } : {}) });
      referencedAssets(table, record).forEach((id) => assetIds.add(id));
    });
    deleted.forEach((id, i) => {
      const row = rows[records.length + i];
      if (row.value && !row.value.deleted) docs.push({ _id: recordDocId(table, id), _rev: row.value.rev, _deleted: true, type: RECORD_KINDS[table], datasetId, ...stamp });
    });
    if (!docs.length) return;
    if (assetIds.size) await this.sendAssets(assetIds, stamp);
    await this.write(docs, this.o.again);
  }

  /** Writes `head` and what changed of these samples into the replica, their images first. */
  private async sendSamples(head: TeamDoc[], records: SampleRecord[], deleted: string[], startup: boolean): Promise<void> {
    const { local } = this.o;
    const docs = [...head];
    const ids = [...records.map((r) => sampleDocId(r.id)), ...deleted.map(sampleDocId)];
    const rows = ids.length ? ((await local.allDocs({ keys: ids, include_docs: true })).rows as Row[]) : [];
    const stamp = this.o.stamp();
    const assetIds = new Set<string>();
    records.forEach((record, i) => {
      const row = rows[i];
      const live = row.value && !row.value.deleted ? (row.doc as SampleDoc) : null;
      if (live && sampleDocContent(live) === sampleContent(record)) return;
      // At start, a document as new as the record came from the server: the feed brings it here.
      if (startup && (live ? record.updatedAt <= live.updatedAt : row.value?.deleted)) return;
      docs.push({ ...sampleToDoc(record, stamp, live), ...(row.value?.rev ? { _rev: row.value.rev } : {}) });
      assetIds.add(record.assetId);
    });
    deleted.forEach((id, i) => {
      const row = rows[records.length + i];
      if (row.value && !row.value.deleted) docs.push({ _id: sampleDocId(id), _rev: row.value.rev, _deleted: true, type: 'sample', ...stamp } as unknown as SampleDoc);
    });
    if (!docs.length) return;

    // Their images first, once per hash: a replica that has a sample has its image.
    if (assetIds.size) await this.sendAssets(assetIds, stamp);
    await this.write(docs, this.o.again);
  }

  private async sendAssets(assetIds: Set<string>, stamp: Stamp): Promise<void> {
    const keys = [...assetIds].map(assetDocId);
    const found = (await this.o.local.allDocs({ keys })).rows as Row[];
    const present = new Set(found.filter((r) => r.value && !r.value.deleted).map((r) => r.key));
    const tombstones = new Map(found.filter((r) => r.value?.deleted).map((r) => [r.key, r.value!.rev]));
    const missing = [...assetIds].filter((id) => !present.has(assetDocId(id)));
    const assets = missing.length ? await readReplicaRecords('assets', missing) : [];
    const assetDocs: AssetDoc[] = [];
    for (const asset of assets) {
      if (!asset) continue;
      const file = await this.o.platform.toAttachment(asset.blob);
      const thumb = asset.thumbnail ? await this.o.platform.toAttachment(asset.thumbnail) : undefined;
      const rev = tombstones.get(assetDocId(asset.id));
      assetDocs.push({ ...assetToDoc(asset, stamp, file, thumb), ...(rev ? { _rev: rev } : {}) });
    }
    // A conflict here is the same image arriving from the server meanwhile: nothing to redo.
    if (assetDocs.length) await this.write(assetDocs, () => undefined);
  }

  /** bulkDocs; each revision written is remembered as ours; a conflict (a newer revision arrived) is tried again. */
  private async write(docs: TeamDoc[], retry: (doc: TeamDoc) => void): Promise<void> {
    const results = await this.o.local.bulkDocs(docs);
    results.forEach((res, i) => {
      if (res.ok && res.rev) this.o.ownRevs.add(res.rev);
      else if (res.status === 409) retry(docs[i]);
      else throw new Error(`Could not write ${docs[i]._id} into the local replica: ${res.message ?? res.name ?? 'unknown error'}`);
    });
  }
}

/** Which queue a document sent again belongs to. */
export function requeueTarget(doc: TeamDoc): { sample: string } | { dataset: true } | { record: { table: RecordTable; id: string } } | null {
  const parsed = parseDocId(doc._id);
  if (parsed?.kind === 'sample') return { sample: parsed.id };
  if (parsed?.kind === 'dataset') return { dataset: true };
  const table = parsed ? recordTableOf(parsed.kind) : null;
  if (parsed && table) return { record: { table, id: parsed.id } };
  return null;
}
