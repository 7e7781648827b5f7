/**
 * One shared dataset kept in step three ways: the studio's Dexie tables (the local store every
 * screen reads and writes) ⇄ a local PouchDB database (the replica, IndexedDB in the browser) ⇄ the
 * team server (`PouchDB.sync`: CouchDB's replication protocol, live, with checkpoints and retry).
 *
 * Dexie → replica: every committed write is told by `storage/changeFeed.ts`; the samples and the
 * dataset it touched are read and written into the replica as documents (docs.ts), each stamped
 * with who and when, where the document says something else. Their images go along once per hash.
 *
 * Replica → Dexie: the replica's own changes feed (from a checkpoint kept in a `_local` document)
 * names the documents that changed; each current winning revision is written into Dexie where the
 * record says something else — in one transaction, and only where the record is still as it was
 * read (`storage/replica.ts`): an edit made here meanwhile is sent on instead of being overwritten.
 *
 * No echo: a document revision this replica wrote itself is never applied back, and a write on
 * either side happens only when the other side says something different — a remote change applied to
 * Dexie comes back from the change feed, compares equal, and stops there. Both directions run
 * through one queue, local changes first, so a fresh edit is in the replica before an older remote
 * state could be compared with it.
 *
 * Nothing here deletes anything on the server unless a person deleted samples here: a dataset put
 * in the bin is not sent, and one removed for good from this browser (or missing after a restore)
 * is only forgotten (`onGone`).
 */
import { recordProblem } from '../storage/schemas';
import { onStoredChanges, type StoredChange } from '../storage/changeFeed';
import { sha256Hex } from '../storage/hash';
import { applyReplicaWrites, readDatasetSamples, readReplicaRecords, storedAssetIds, type ReplicaWrite } from '../storage/replica';
import type { DatasetRecord, SampleRecord } from '../storage/types';
import {
  assetDocId, assetFromDoc, assetToDoc, DATASET_DOC_ID, datasetContent, datasetDocContent, datasetFromDoc, datasetToDoc,
  FILE_ATTACHMENT, parseDocId, sampleContent, sampleDocContent, sampleDocId, sampleFromDoc, sampleToDoc, THUMBNAIL_ATTACHMENT,
  type AssetDoc, type DatasetDoc, type SampleDoc, type Stamp, type TeamDoc,
} from './docs';
import type { PouchDatabase, PouchEmitter, PouchRow as Row, PouchSync } from './pouch';
import type { TeamPlatform } from './platform';

export type SyncState = 'idle' | 'syncing' | 'offline' | 'error';

export interface ReplicaStatus {
  state: SyncState;
  /** Why it is offline or in error, in words; null when all is well. */
  message: string | null;
  /** When the server last confirmed it was up to date with this replica (ms), null before. */
  lastSyncedAt: number | null;
}

export interface ReplicaOptions {
  datasetId: string;
  /** The local replica (platform.openLocal). */
  local: PouchDatabase;
  platform: TeamPlatform;
  /** Who stamps the changes made here (the signed-in user, or the last one). */
  user: () => string;
  onStatus?: (status: ReplicaStatus) => void;
  /** The dataset is no longer in this browser (removed for good): stop it and forget it. */
  onGone?: () => void;
  /** Longest wait between two tries to reach the server (ms). */
  retryMaxMs?: number;
}

const CHECKPOINT_ID = '_local/path-studio-mirror';
/** Revisions this replica wrote, remembered to recognise them in its own changes feed. */
const OWN_REV_LIMIT = 20_000;
const REMOTE_BATCH = 200;
const RETRY_LOCAL_MS = 2000;
const SEND_CHUNK = 500;

/** What a PouchDB or fetch error means for the person at the studio. */
export function describeSyncError(err: unknown): string {
  const e = err as { status?: number; name?: string; message?: string; reason?: string } | null;
  const status = e?.status;
  if (status === 401) return 'The server no longer knows this session: sign in again.';
  if (status === 403) return `The server refused: ${e?.reason ?? e?.message ?? 'forbidden'}.`;
  if (status === 404) return 'The dataset is no longer on the server.';
  const text = e?.reason ?? e?.message ?? String(err);
  if (!status || status >= 500 || /fetch|network|ECONNREFUSED|socket|connect/i.test(text)) return `The server cannot be reached (${text}); changes are kept here and sent when it is back.`;
  return text;
}

export class DatasetReplica {
  readonly datasetId: string;
  private readonly local: PouchDatabase;
  private readonly options: ReplicaOptions;
  private readonly ownRevs = new Set<string>();
  private readonly pendingSamples = new Set<string>();
  private pendingDataset = false;
  /** Read every sample again (a table was cleared, the dataset came back from the bin, the first run). */
  private pendingRescan = false;
  /** A rescan at start: only records newer than their documents are sent (the rest come from the feed). */
  private startupScan = false;
  private readonly pendingRemote = new Set<string>();
  /** Samples that arrived before their image, by asset id. */
  private readonly waitingForAsset = new Map<string, Set<string>>();
  private running: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;
  private feed: PouchEmitter | null = null;
  private sync: PouchSync | null = null;
  private seenSeq: number | string = 0;
  private savedSeq: number | string = 0;
  private checkpointRev: string | undefined;
  private binned = false;
  private stopped = false;
  private mirrorError: string | null = null;
  /** Records from the server that were skipped (invalid, another dataset's, a damaged image), in words. */
  private rejected: string | null = null;
  private syncError: { message: string; fatal: boolean } | null = null;
  private denied: string | null = null;
  private readonly active = { push: false, pull: false };
  private offlineReason: string | null = 'Not signed in to a team server.';
  private lastSyncedAt: number | null = null;
  private lastStatus: ReplicaStatus | null = null;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(options: ReplicaOptions) {
    this.options = options;
    this.datasetId = options.datasetId;
    this.local = options.local;
  }

  /** Starts mirroring: local edits not yet in the replica are sent, then both feeds run live. */
  async start(): Promise<void> {
    this.unsubscribe = onStoredChanges(this.onStoredChanges);
    const checkpoint = await this.local.get<{ seq: number | string }>(CHECKPOINT_ID).catch(() => null);
    this.seenSeq = this.savedSeq = checkpoint?.seq ?? 0;
    this.checkpointRev = checkpoint?._rev;
    this.pendingDataset = true;
    this.pendingRescan = true;
    this.startupScan = true;
    this.kick();
    await this.idle();
    if (this.stopped) return;
    this.feed = this.local.changes({ since: this.savedSeq, live: true, return_docs: false })
      .on('change', (change: { id: string; seq: number | string }) => {
        if (change.id === CHECKPOINT_ID) return;
        this.pendingRemote.add(change.id);
        this.seenSeq = change.seq;
        this.kick();
      })
      .on('error', (err) => {
        this.mirrorError = `The local replica stopped: ${describeSyncError(err)}`;
        this.report();
      });
  }

  /** Starts live replication with the server's database (after signing in). */
  connect(remote: PouchDatabase): void {
    this.disconnect(null);
    this.syncError = null;
    this.denied = null;
    this.offlineReason = null;
    const maxMs = this.options.retryMaxMs ?? 5000;
    const sync = this.local.sync(remote, {
      live: true,
      retry: true,
      batch_size: 100,
      // PouchDB's default doubles up to 10 minutes; a team server on the LAN is worth trying more often.
      back_off_function: (delay: number) => Math.min(maxMs, Math.max(500, delay * 2)),
    });
    this.sync = sync;
    for (const direction of ['push', 'pull'] as const) {
      const half = sync[direction];
      half.on('active', () => {
        if (this.sync !== sync) return;
        this.active[direction] = true;
        this.syncError = null;
        this.report();
      });
      half.on('paused', (err?: unknown) => {
        if (this.sync !== sync) return;
        this.active[direction] = false;
        if (err) this.syncError = { message: describeSyncError(err), fatal: (err as { status?: number }).status === 401 };
        else {
          this.syncError = null;
          if (!this.active.push && !this.active.pull) this.lastSyncedAt = Date.now();
        }
        this.report();
      });
      half.on('requestError', (err: unknown) => {
        if (this.sync !== sync) return;
        this.syncError = { message: describeSyncError(err), fatal: (err as { status?: number }).status === 401 };
        this.report();
      });
      half.on('denied', (err: unknown) => {
        if (this.sync !== sync) return;
        const e = err as { id?: string; reason?: string; message?: string };
        this.denied = `The server refused a change${e?.id ? ` to ${e.id}` : ''}: ${e?.reason ?? e?.message ?? 'forbidden'}.`;
        this.report();
      });
      half.on('change', () => {
        if (this.sync !== sync) return;
        if (direction === 'push') this.denied = null;
      });
    }
    sync.on('error', (err: unknown) => {
      if (this.sync !== sync) return;
      this.syncError = { message: describeSyncError(err), fatal: true };
      this.report();
    });
    this.report();
  }

  /** Stops replicating with the server; local mirroring goes on. */
  disconnect(reason: string | null = 'Signed out: changes are kept here until you sign in again.'): void {
    const sync = this.sync;
    this.sync = null;
    this.active.push = this.active.pull = false;
    sync?.cancel();
    this.offlineReason = reason;
    if (reason !== null) this.report();
  }

  /** Stops everything (the dataset is no longer shared here, or the page goes). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.disconnect(null);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.feed?.cancel();
    this.feed = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running;
  }

  get status(): ReplicaStatus {
    return this.computeStatus();
  }

  /** Resolves once nothing is waiting to be mirrored either way (tests; the share and join flows). */
  idle(): Promise<void> {
    if (!this.running && !this.hasPending()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Resolves once everything the replica holds now is in Dexie too (joining: the dataset is complete
   * before the studio says it is there).
   */
  async caughtUp(): Promise<void> {
    const target = Number((await this.local.info()).update_seq);
    for (;;) {
      await this.idle();
      if (this.stopped || this.retryTimer || (Number(this.seenSeq) >= target && !this.hasPending() && !this.running)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private readonly onStoredChanges = (changes: StoredChange[]): void => {
    let any = false;
    for (const c of changes) {
      if (c.table === 'samples') {
        if (c.keys === null) this.pendingRescan = true;
        else c.keys.forEach((k) => this.pendingSamples.add(k));
        any = true;
      } else if (c.table === 'datasets' && (c.keys === null || c.keys.includes(this.datasetId))) {
        this.pendingDataset = true;
        any = true;
      }
    }
    if (any) this.kick();
  };

  private hasPending(): boolean {
    return this.pendingDataset || this.pendingRescan || this.pendingSamples.size > 0 || this.pendingRemote.size > 0;
  }

  private kick(): void {
    if (this.running || this.stopped || this.retryTimer) return;
    this.report();
    this.running = this.pump().finally(() => {
      this.running = null;
      if (this.hasPending() && !this.stopped && !this.retryTimer) this.kick();
      else this.settle();
    });
  }

  private settle(): void {
    this.report();
    if (this.running || (this.hasPending() && !this.stopped && !this.retryTimer)) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async pump(): Promise<void> {
    while (!this.stopped && this.hasPending()) {
      const local = this.pendingDataset || this.pendingRescan || this.pendingSamples.size > 0;
      const taken = local ? this.takeLocal() : this.takeRemote();
      try {
        if (taken.kind === 'local') await this.sendLocal(taken);
        else await this.receive(taken.ids);
        this.mirrorError = null;
      } catch (err) {
        // Put the work back and try again a little later (a full disk, a replica being closed).
        if (taken.kind === 'local') {
          this.pendingDataset ||= taken.dataset;
          this.pendingRescan ||= taken.rescan;
          this.startupScan ||= taken.startup;
          taken.samples.forEach((k) => this.pendingSamples.add(k));
        } else taken.ids.forEach((id) => this.pendingRemote.add(id));
        this.mirrorError = err instanceof Error ? err.message : String(err);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.kick();
        }, RETRY_LOCAL_MS);
        this.report();
        return;
      }
      if (!this.pendingRemote.size && !this.waitingForAsset.size && this.seenSeq !== this.savedSeq) await this.saveCheckpoint();
    }
  }

  private takeLocal() {
    const taken = { kind: 'local' as const, dataset: this.pendingDataset, rescan: this.pendingRescan, startup: this.startupScan, samples: [...this.pendingSamples] };
    this.pendingDataset = this.pendingRescan = this.startupScan = false;
    this.pendingSamples.clear();
    return taken;
  }

  private takeRemote() {
    const ids = [...this.pendingRemote].slice(0, REMOTE_BATCH);
    ids.forEach((id) => this.pendingRemote.delete(id));
    return { kind: 'remote' as const, ids };
  }

  private stamp(): Stamp {
    return { changedBy: this.options.user(), changedAt: Date.now() };
  }

  private remember(rev: string): void {
    this.ownRevs.add(rev);
    if (this.ownRevs.size > OWN_REV_LIMIT) {
      const oldest = this.ownRevs.values().next().value;
      if (oldest !== undefined) this.ownRevs.delete(oldest);
    }
  }

  private async saveCheckpoint(): Promise<void> {
    const seq = this.seenSeq;
    const res = await this.local.put({ _id: CHECKPOINT_ID, _rev: this.checkpointRev, seq });
    this.checkpointRev = res.rev;
    this.savedSeq = seq;
  }

  // ── Dexie → replica ────────────────────────────────────────────────────────────────────────

  private async sendLocal(taken: { dataset: boolean; rescan: boolean; startup: boolean; samples: string[] }): Promise<void> {
    const [dataset] = await readReplicaRecords('datasets', [this.datasetId]);
    if (!dataset) {
      // Joining: the dataset's record comes from the replica's feed.
      if (taken.startup && this.savedSeq === 0) return;
      // Removed for good from this browser (or a restore without it): forget it, delete nothing on the server.
      this.stopped = true;
      this.options.onGone?.();
      return;
    }
    if (dataset.deletedAt !== undefined) {
      this.binned = true;
      return; // In the bin: nothing is sent; a restore sends what changed.
    }
    let rescan = taken.rescan, startup = taken.startup;
    if (this.binned) {
      this.binned = false;
      rescan = startup = true;
    }
    const docs: TeamDoc[] = [];
    if (taken.dataset || rescan) {
      const doc = await this.local.get<DatasetDoc>(DATASET_DOC_ID).catch(() => null) as DatasetDoc | null;
      if (!doc || (datasetDocContent(doc) !== datasetContent(dataset) && (!startup || dataset.updatedAt > doc.updatedAt))) {
        docs.push({ ...datasetToDoc(dataset, this.stamp()), ...(doc?._rev ? { _rev: doc._rev } : {}) });
      }
    }
    const found = taken.samples.length ? await readReplicaRecords('samples', taken.samples) : [];
    // Samples deleted here (a rescan never infers a deletion: a missing record may be one that never arrived).
    const deleted = taken.samples.filter((_, i) => found[i] === undefined);
    const records = rescan
      ? await readDatasetSamples(this.datasetId)
      : found.filter((r): r is SampleRecord => r !== undefined && r.datasetId === this.datasetId);

    // In chunks: sharing 100,000 samples does not build one 100,000-document write.
    await this.sendSamples(docs, records.slice(0, SEND_CHUNK), deleted, startup);
    for (let i = SEND_CHUNK; i < records.length; i += SEND_CHUNK) await this.sendSamples([], records.slice(i, i + SEND_CHUNK), [], startup);
  }

  /** Writes `head` and what changed of these samples into the replica, their images first. */
  private async sendSamples(head: TeamDoc[], records: SampleRecord[], deleted: string[], startup: boolean): Promise<void> {
    const docs = [...head];
    const ids = [...records.map((r) => sampleDocId(r.id)), ...deleted.map(sampleDocId)];
    const rows = ids.length ? ((await this.local.allDocs({ keys: ids, include_docs: true })).rows as Row[]) : [];
    const stamp = this.stamp();
    const assetIds = new Set<string>();
    records.forEach((record, i) => {
      const row = rows[i];
      const live = row.value && !row.value.deleted ? (row.doc as SampleDoc) : null;
      if (live && sampleDocContent(live) === sampleContent(record)) return;
      // At start, a document as new as the record came from the server: the feed brings it here.
      if (startup && (live ? record.updatedAt <= live.updatedAt : row.value?.deleted)) return;
      docs.push({ ...sampleToDoc(record, stamp), ...(row.value?.rev ? { _rev: row.value.rev } : {}) });
      assetIds.add(record.assetId);
    });
    deleted.forEach((id, i) => {
      const row = rows[records.length + i];
      if (row.value && !row.value.deleted) docs.push({ _id: sampleDocId(id), _rev: row.value.rev, _deleted: true, type: 'sample', ...stamp } as unknown as SampleDoc);
    });
    if (!docs.length) return;

    // Their images first, once per hash: a replica that has a sample has its image.
    if (assetIds.size) {
      const keys = [...assetIds].map(assetDocId);
      const found = (await this.local.allDocs({ keys })).rows as Row[];
      const present = new Set(found.filter((r) => r.value && !r.value.deleted).map((r) => r.key));
      const tombstones = new Map(found.filter((r) => r.value?.deleted).map((r) => [r.key, r.value!.rev]));
      const missing = [...assetIds].filter((id) => !present.has(assetDocId(id)));
      const assets = missing.length ? await readReplicaRecords('assets', missing) : [];
      const assetDocs: AssetDoc[] = [];
      for (const asset of assets) {
        if (!asset) continue;
        const file = await this.options.platform.toAttachment(asset.blob);
        const thumb = asset.thumbnail ? await this.options.platform.toAttachment(asset.thumbnail) : undefined;
        const rev = tombstones.get(assetDocId(asset.id));
        assetDocs.push({ ...assetToDoc(asset, stamp, file, thumb), ...(rev ? { _rev: rev } : {}) });
      }
      // A conflict here is the same image arriving from the server meanwhile: nothing to redo.
      if (assetDocs.length) await this.write(assetDocs, () => undefined);
    }
    await this.write(docs, (doc) => {
      const parsed = parseDocId(doc._id);
      if (parsed?.kind === 'sample') this.pendingSamples.add(parsed.id);
      else if (parsed?.kind === 'dataset') this.pendingDataset = true;
    });
  }

  /** bulkDocs; each revision written is remembered as ours; a conflict (a newer revision arrived) is tried again. */
  private async write(docs: TeamDoc[], retry: (doc: TeamDoc) => void): Promise<void> {
    const results = await this.local.bulkDocs(docs);
    results.forEach((res, i) => {
      if (res.ok && res.rev) this.remember(res.rev);
      else if (res.status === 409) retry(docs[i]);
      else throw new Error(`Could not write ${docs[i]._id} into the local replica: ${res.message ?? res.name ?? 'unknown error'}`);
    });
  }

  // ── replica → Dexie ────────────────────────────────────────────────────────────────────────

  private async receive(ids: string[]): Promise<void> {
    const rows = (await this.local.allDocs({ keys: ids, include_docs: true })).rows as Row[];
    let datasetDoc: DatasetDoc | null = null;
    const samples: SampleDoc[] = [];
    const removed: string[] = [];
    const assetDocIds: string[] = [];
    for (const row of rows) {
      if (!row.value || this.ownRevs.has(row.value.rev)) continue;
      const parsed = parseDocId(row.key);
      if (!parsed) continue;
      if (parsed.kind === 'sample') {
        if (row.value.deleted) removed.push(parsed.id);
        else samples.push(row.doc as SampleDoc);
      } else if (parsed.kind === 'dataset' && !row.value.deleted) datasetDoc = row.doc as DatasetDoc;
      else if (parsed.kind === 'asset' && !row.value.deleted) assetDocIds.push(parsed.id);
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
      const [current] = await readReplicaRecords('datasets', [this.datasetId]);
      if (!current || datasetContent(current) !== datasetDocContent(datasetDoc)) {
        add({ table: 'datasets', id: this.datasetId, value: datasetFromDoc(datasetDoc, this.datasetId, current) }, current ? datasetContent(current) : null);
      }
    }

    const found = samples.length ? await readReplicaRecords('samples', samples.map((d) => parseDocId(d._id)!.id)) : [];
    const currents = new Map(found.map((r, i) => [samples[i]._id, r]));
    const changed = samples.filter((doc) => {
      const current = currents.get(doc._id);
      // A sample of this dataset only, never one of another dataset here under the same id.
      if (doc.datasetId !== this.datasetId || (current && current.datasetId !== this.datasetId)) {
        problems.push(`${doc._id}: it belongs to another dataset`);
        return false;
      }
      return !current || sampleContent(current) !== sampleDocContent(doc);
    }).map(sampleFromDoc);
    const wanted = new Set([...assetDocIds, ...changed.map((r) => r.assetId)]);
    const stored = wanted.size ? await storedAssetIds([...wanted]) : new Set<string>();
    const assetsHere = new Set(stored);
    const badAssets = new Set<string>();
    for (const assetId of wanted) {
      if (stored.has(assetId)) continue;
      const asset = await this.readAsset(assetId);
      if (!asset) continue;
      // Assets are named by the SHA-256 of their bytes everywhere in the studio: check it.
      if ((await sha256Hex(asset.blob)) !== assetId) {
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
      if (!assetsHere.has(record.assetId)) {
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
        if (current && current.datasetId === this.datasetId) add({ table: 'samples', id, value: null }, sampleContent(current));
      });
    }

    await applyReplicaWrites(writes, (w, current) => {
      const before = expected.get(`${w.table}:${w.id}`) ?? null;
      if (w.table === 'assets') return current === undefined;
      if (current === undefined) return before === null;
      const now = w.table === 'samples' ? sampleContent(current as SampleRecord) : datasetContent(current as DatasetRecord);
      return now === before;
    });
    for (const w of writes) {
      if (w.table !== 'assets') continue;
      const waiting = this.waitingForAsset.get(w.id);
      if (!waiting) continue;
      this.waitingForAsset.delete(w.id);
      waiting.forEach((docId) => this.pendingRemote.add(docId));
    }
    this.rejected = problems.length
      ? `The server sent records this studio cannot use (skipped): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}.`
      : null;
  }

  /** An image from the replica as an asset record; null while its document has not arrived. */
  private async readAsset(assetId: string) {
    const doc = await this.local.get<AssetDoc>(assetDocId(assetId), { attachments: true, binary: true }).catch(() => null) as AssetDoc | null;
    const file = doc?._attachments?.[FILE_ATTACHMENT];
    if (!doc || !file || file.data === undefined) return null;
    const thumb = doc._attachments?.[THUMBNAIL_ATTACHMENT];
    const { fromAttachment } = this.options.platform;
    return assetFromDoc(doc, fromAttachment(file.data, file.content_type), thumb?.data !== undefined ? fromAttachment(thumb.data, thumb.content_type) : undefined);
  }

  // ── status ─────────────────────────────────────────────────────────────────────────────────

  private computeStatus(): ReplicaStatus {
    const busy = this.running !== null || this.hasPending();
    const base = { lastSyncedAt: this.lastSyncedAt };
    if (this.mirrorError) return { ...base, state: 'error', message: this.mirrorError };
    if (this.rejected) return { ...base, state: 'error', message: this.rejected };
    if (this.syncError?.fatal) return { ...base, state: 'error', message: this.syncError.message };
    if (this.denied) return { ...base, state: 'error', message: this.denied };
    if (!this.sync) return { ...base, state: 'offline', message: this.offlineReason ?? 'Not connected.' };
    if (this.syncError) return { ...base, state: 'offline', message: this.syncError.message };
    if (busy || this.active.push || this.active.pull) return { ...base, state: 'syncing', message: null };
    return { ...base, state: 'idle', message: null };
  }

  private report(): void {
    const status = this.computeStatus();
    const last = this.lastStatus;
    if (last && last.state === status.state && last.message === status.message && last.lastSyncedAt === status.lastSyncedAt) return;
    this.lastStatus = status;
    this.options.onStatus?.(status);
  }
}
