/**
 * Replica → Dexie: the replica's changes feed names the documents that changed; each current
 * winning revision is written into Dexie where the record says something else — in one transaction,
 * and only where the record is still as it was read (`storage/replica.ts`): an edit made here
 * meanwhile is sent on instead of being overwritten. A revision this replica wrote itself is never
 * applied back (no echo). What comes from the server passes the record schemas, its images their
 * SHA-256; a sample that arrives before its image waits for it, unless images come on demand
 * (the replica then pulls no images: `storeAsset` copies one in as it is fetched).
 *
 * It also notes which samples have conflicting revisions (CouchDB keeps every branch of two
 * offline edits and picks a winner deterministically; `_conflicts` lists the others), so the studio
 * can show them until someone resolves them (conflicts.ts).
 */
import { recordProblem } from '../storage/schemas';
import { sha256Hex } from '../storage/hash';
import { applyReplicaWrites, readReplicaRecords, storedAssetIds, type ReplicaRecordOf, type ReplicaTable, type ReplicaWrite } from '../storage/replica';
import type { DatasetRecord, SampleRecord } from '../storage/types';
import {
  assetDocId, assetFromDoc, datasetContent, datasetDocContent, datasetFromDoc, FILE_ATTACHMENT, parseDocId, RECORD_TABLES, recordContent,
  recordDocContent, recordFromDoc, recordTableOf, referencedAssets, sampleContent, sampleDocContent, sampleDocId, sampleFromDoc,
  THUMBNAIL_ATTACHMENT, type AssetDoc, type DatasetDoc, type DatasetRecordOfTable, type RecordDoc, type RecordTable, type SampleDoc,
} from './docs';
import type { DatasetSeen } from './localMirror';
import type { OwnRevisions } from './ownRevisions';
import { ASSIGNMENT_PREFIX, assignmentFromDoc, type Assignment } from './assignments';
import { PRESENCE_PREFIX, presenceFromDoc, type Presence } from './presence';
import type { PouchDatabase, PouchRow as Row } from './pouch';
import type { TeamPlatform } from './platform';
import { errorMessage } from '../core/errorMessage';

export interface RemoteMirrorOptions {
  datasetId: string;
  local: PouchDatabase;
  platform: TeamPlatform;
  ownRevs: OwnRevisions;
  /** A document to read again (a sample whose image has now arrived). */
  again: (docId: string) => void;
  /** Images come on demand (serverLink's pull leaves them out): a sample never waits for its image. */
  imagesOnDemand: () => boolean;
  /** Shared with the local mirror: the dataset's record is here. */
  dataset: DatasetSeen;
}

export class RemoteMirror {
  /** Samples that arrived before their image, by asset id. */
  private readonly waitingForAsset = new Map<string, Set<string>>();
  /** Samples with conflicting revisions, by sample id. */
  readonly conflicted = new Set<string>();
  /** Who has which sample open (presence.ts), by user; never written to Dexie. */
  readonly presence = new Map<string, Presence>();
  /** Who is assigned which samples (assignments.ts), by annotator; never written to Dexie. */
  readonly assignments = new Map<string, Assignment>();

  constructor(private readonly o: RemoteMirrorOptions) {}

  get waiting(): boolean {
    return this.waitingForAsset.size > 0;
  }

  /** Everyone's presence and assignment, read once at start (later changes come through `receive`). */
  async scanTeamNotes(): Promise<void> {
    for (const prefix of [PRESENCE_PREFIX, ASSIGNMENT_PREFIX]) {
      const { rows } = await this.o.local.allDocs({ startkey: prefix, endkey: `${prefix}\uffff`, include_docs: true });
      for (const row of rows as Row[]) this.noteTeamDoc(row);
    }
  }

  /** A presence or assignment document; false for any other. */
  private noteTeamDoc(row: Row): boolean {
    const live = row.value && !row.value.deleted;
    if (row.key.startsWith(PRESENCE_PREFIX)) {
      const p = live ? presenceFromDoc(row.doc) : null;
      if (p) this.presence.set(p.user, p);
      else this.presence.delete(row.key.slice(PRESENCE_PREFIX.length));
      return true;
    }
    if (row.key.startsWith(ASSIGNMENT_PREFIX)) {
      const a = live ? assignmentFromDoc(row.doc) : null;
      if (a) this.assignments.set(a.annotator, a);
      else this.assignments.delete(row.key.slice(ASSIGNMENT_PREFIX.length));
      return true;
    }
    return false;
  }

  /** The samples in conflict as a checkpoint recorded them (later changes come through `receive`). */
  noteConflicts(sampleIds: string[]): void {
    this.conflicted.clear();
    sampleIds.forEach((id) => this.conflicted.add(id));
  }

  /** Every sample's conflicts, read from the replica (a start without them in the checkpoint). */
  async scanConflicts(): Promise<void> {
    const { rows } = await this.o.local.allDocs({ startkey: 'sample:', endkey: 'sample:\uffff', include_docs: true, conflicts: true });
    this.conflicted.clear();
    for (const row of rows as Row[]) {
      const doc = row.doc as SampleDoc | undefined;
      if (doc?._conflicts?.length) this.conflicted.add(parseDocId(row.key)!.id);
    }
  }

  /** Applies these documents' winning revisions to Dexie; returns what was skipped, in words. */
  async receive(ids: string[]): Promise<string[]> {
    const { datasetId } = this.o;
    const rows = (await this.o.local.allDocs({ keys: ids, include_docs: true, conflicts: true })).rows as Row[];
    let datasetDoc: DatasetDoc | null = null;
    const samples: SampleDoc[] = [];
    const removed: string[] = [];
    const assetDocIds: string[] = [];
    const recordDocs = new Map<RecordTable, RecordDoc[]>();
    const recordsRemoved = new Map<RecordTable, string[]>();
    for (const row of rows) {
      if (!row.value) continue;
      if (this.noteTeamDoc(row)) continue;
      const parsed = parseDocId(row.key);
      if (!parsed) continue;
      if (parsed.kind === 'sample') {
        // Before the echo check: a conflict shows whichever side wrote the winning revision.
        if ((row.doc as SampleDoc | undefined)?._conflicts?.length) this.conflicted.add(parsed.id);
        else this.conflicted.delete(parsed.id);
      }
      if (this.o.ownRevs.has(row.value.rev)) continue;
      if (parsed.kind === 'sample') {
        if (row.value.deleted) removed.push(parsed.id);
        else samples.push(row.doc as SampleDoc);
      } else if (parsed.kind === 'dataset' && !row.value.deleted) datasetDoc = row.doc as DatasetDoc;
      else if (parsed.kind === 'asset' && !row.value.deleted) assetDocIds.push(parsed.id);
      else {
        const table = recordTableOf(parsed.kind);
        if (!table) continue;
        if (row.value.deleted) listIn(recordsRemoved, table).push(parsed.id);
        else listIn(recordDocs, table).push(row.doc as RecordDoc);
      }
    }

    const writes: ReplicaWrite[] = [];
    const expected = new Map<string, string | null>();
    const problems: string[] = [];
    const add = (w: ReplicaWrite, before: string | null): void => {
      const problem = w.value ? recordProblem(w.table, w.value) : null;
      if (problem) {
        problems.push(`${w.table} ${w.id}: ${problem}`);
        return;
      }
      writes.push(w);
      expected.set(`${w.table}:${w.id}`, before);
    };

    if (datasetDoc) {
      const [current] = await readReplicaRecords('datasets', [datasetId]);
      if (current) this.o.dataset.here = true;
      if (!current || datasetContent(current) !== datasetDocContent(datasetDoc)) {
        add({ table: 'datasets', id: datasetId, value: datasetFromDoc(datasetDoc, datasetId, current) }, current ? datasetContent(current) : null);
      }
    }

    const found = samples.length ? await readReplicaRecords('samples', samples.map((d) => parseDocId(d._id)!.id)) : [];
    const currents = new Map(found.map((r, i) => [samples[i]._id, r]));
    const changed = samples.filter((doc) => {
      const current = currents.get(doc._id);
      // A sample of this dataset only, never one of another dataset here under the same id.
      if (doc.datasetId !== datasetId || (current && current.datasetId !== datasetId)) {
        problems.push(`${doc._id}: it belongs to another dataset`);
        return false;
      }
      return !current || sampleContent(current) !== sampleDocContent(doc);
    }).map(sampleFromDoc);
    // Episodes, videos and calibrations: written as they come (their assets never hold them back).
    const referenced: string[] = [];
    for (const table of RECORD_TABLES) {
      const docs = recordDocs.get(table) ?? [];
      const gone = recordsRemoved.get(table) ?? [];
      const currents = await readReplicaRecords(table, [...docs.map((d) => parseDocId(d._id)!.id), ...gone]);
      docs.forEach((doc, i) => {
        const current = currents[i];
        if (doc.datasetId !== datasetId || (current && current.datasetId !== datasetId)) {
          problems.push(`${doc._id}: it belongs to another dataset`);
          return;
        }
        if (current && recordContent(current) === recordDocContent(doc)) return;
        let record: DatasetRecordOfTable;
        try {
          record = recordFromDoc(doc);
        } catch (err) {
          problems.push(`${doc._id}: ${errorMessage(err)}`);
          return;
        }
        add({ table, id: record.id, value: record } as ReplicaWrite, current ? recordContent(current) : null);
        referenced.push(...referencedAssets(table, record));
      });
      gone.forEach((id, i) => {
        const current = currents[docs.length + i];
        if (current && current.datasetId === datasetId) add({ table, id, value: null } as ReplicaWrite, recordContent(current));
      });
    }

    // With images on demand a sample is written without its image (it comes when it is shown).
    const lazy = this.o.imagesOnDemand();
    const wanted = new Set([...assetDocIds, ...(lazy ? [] : [...changed.map((r) => r.assetId), ...referenced])]);
    const stored = wanted.size ? await storedAssetIds([...wanted]) : new Set<string>();
    const assetsHere = new Set(stored);
    const badAssets = new Set<string>();
    for (const assetId of wanted) {
      if (stored.has(assetId)) continue;
      const asset = await this.readAsset(assetId);
      if (!asset) continue;
      if (asset === 'damaged') {
        problems.push(`${assetDocId(assetId)}: its image does not match its SHA-256`);
        badAssets.add(assetId);
        continue;
      }
      add({ table: 'assets', id: assetId, value: asset }, null);
      assetsHere.add(assetId);
    }
    for (const record of changed) {
      if (badAssets.has(record.assetId)) {
        problems.push(`${sampleDocId(record.id)}: its image is damaged`);
        continue;
      }
      if (!lazy && !assetsHere.has(record.assetId)) {
        // Its image has not arrived yet: the sample waits for it.
        const waiting = this.waitingForAsset.get(record.assetId) ?? new Set<string>();
        waiting.add(sampleDocId(record.id));
        this.waitingForAsset.set(record.assetId, waiting);
        continue;
      }
      const current = currents.get(sampleDocId(record.id));
      add({ table: 'samples', id: record.id, value: record }, current ? sampleContent(current) : null);
    }
    if (removed.length) {
      const gone = await readReplicaRecords('samples', removed);
      removed.forEach((id, i) => {
        const current = gone[i];
        if (current && current.datasetId === datasetId) add({ table: 'samples', id, value: null }, sampleContent(current));
      });
    }

    const done = await applyReplicaWrites(writes, (w, current) => {
      const before = expected.get(`${w.table}:${w.id}`) ?? null;
      if (w.table === 'assets') return current === undefined;
      if (current === undefined) return before === null;
      return contentOf(w.table, current) === before;
    });
    if (done.some((w) => w.table === 'datasets' && w.value !== null)) this.o.dataset.here = true;
    for (const w of writes) {
      if (w.table !== 'assets') continue;
      const waiting = this.waitingForAsset.get(w.id);
      if (!waiting) continue;
      this.waitingForAsset.delete(w.id);
      waiting.forEach((docId) => this.o.again(docId));
    }
    return problems;
  }

  /**
   * Copies an image the replica holds into the studio's store, now (someone is waiting to see it);
   * false when the replica does not have it, or it is damaged.
   */
  async storeAsset(assetId: string): Promise<boolean> {
    if ((await storedAssetIds([assetId])).has(assetId)) return true;
    const asset = await this.readAsset(assetId);
    if (!asset || asset === 'damaged') return false;
    await applyReplicaWrites([{ table: 'assets', id: assetId, value: asset }], (_w, current) => current === undefined);
    return true;
  }

  /**
   * An image from the replica as an asset record; null while its document has not arrived,
   * 'damaged' when its bytes are not the ones its name (their SHA-256) says.
   */
  private async readAsset(assetId: string) {
    const doc = await this.o.local.get<AssetDoc>(assetDocId(assetId), { attachments: true, binary: true }).catch(() => null) as AssetDoc | null;
    const file = doc?._attachments?.[FILE_ATTACHMENT];
    if (!doc || !file || file.data === undefined) return null;
    const thumb = doc._attachments?.[THUMBNAIL_ATTACHMENT];
    const { fromAttachment } = this.o.platform;
    const asset = assetFromDoc(doc, fromAttachment(file.data, file.content_type), thumb?.data !== undefined ? fromAttachment(thumb.data, thumb.content_type) : undefined);
    // Assets are named by the SHA-256 of their bytes everywhere in the studio: check it.
    return (await sha256Hex(asset.blob)) === assetId ? asset : 'damaged';
  }
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** What a stored record says, as compared before a write (an edit made meanwhile stops it). */
function contentOf(table: Exclude<ReplicaTable, 'assets'>, record: ReplicaRecordOf[ReplicaTable]): string {
  if (table === 'samples') return sampleContent(record as SampleRecord);
  if (table === 'datasets') return datasetContent(record as DatasetRecord);
  return recordContent(record as DatasetRecordOfTable);
}
