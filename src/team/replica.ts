/**
 * One shared dataset kept in step three ways: the studio's Dexie tables (the local store every
 * screen reads and writes) ⇄ a local PouchDB database (the replica, IndexedDB in the browser) ⇄ the
 * team server. This class is the queue that runs the parts, each in its own file:
 *
 * - localMirror.ts — Dexie → replica (committed writes, told by `storage/changeFeed.ts`);
 * - remoteMirror.ts — replica → Dexie (the replica's changes feed, from a `_local` checkpoint), and
 *   which samples have conflicting revisions;
 * - serverLink.ts — replica ⇄ server (`PouchDB.sync`), refusals.ts — a change the server refused;
 * - conflicts.ts — reading and resolving a conflict; syncStatus.ts — the state the studio shows.
 *
 * Both directions run through one queue, local changes first, so a fresh edit is in the replica
 * before an older remote state could be compared with it. Nothing here deletes anything on the
 * server unless a person deleted samples here: a dataset put in the bin is not sent, and one removed
 * for good from this browser (or missing after a restore) is only forgotten (`onGone`).
 */
import { onStoredChanges, type StoredChange } from '../storage/changeFeed';
import type { SampleRecord } from '../storage/types';
import { mergeVersions, readConflict, resolveConflict, type ConflictVersion, type MergeField } from './conflicts';
import { assetDocId, RECORD_TABLES, THUMBNAIL_ATTACHMENT, type RecordTable, type Stamp } from './docs';
import { LocalMirror, requeueTarget, type LocalWork } from './localMirror';
import { OwnRevisions } from './ownRevisions';
import type { PouchDatabase, PouchEmitter } from './pouch';
import type { TeamPlatform } from './platform';
import { writeAssignment, type Assignment } from './assignments';
import { PRESENCE_BEAT_MS, writePresence } from './presence';
import { RefusedNotes, revertRefused } from './refusals';
import { RemoteMirror } from './remoteMirror';
import { ServerLink, type Denial } from './serverLink';
import { describeSyncError, SyncStatusBoard, type ReplicaStatus } from './syncStatus';
import { errorMessage } from '../core/errorMessage';

export { describeSyncError, type RefusedChange, type ReplicaStatus, type SyncState } from './syncStatus';
export type { ConflictVersion, MergeField } from './conflicts';
export type { Presence } from './presence';
export type { Assignment } from './assignments';

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
  /**
   * Images stay on the server until they are shown (fetchImage, fetchThumbnail); false keeps every
   * image here too ("available offline"). Default false.
   */
  imagesOnDemand?: boolean;
}

const CHECKPOINT_ID = '_local/path-studio-mirror';
const REMOTE_BATCH = 1000;
const RETRY_LOCAL_MS = 2000;

export class DatasetReplica {
  readonly datasetId: string;
  private readonly local: PouchDatabase;
  private readonly options: ReplicaOptions;
  private readonly board: SyncStatusBoard;
  private readonly localMirror: LocalMirror;
  private readonly remoteMirror: RemoteMirror;
  private readonly link: ServerLink;
  /** Refusals not yet dismissed, kept for the next visit. */
  private readonly refusedNotes: RefusedNotes;
  private readonly pendingSamples = new Set<string>();
  /** Episodes, videos and calibrations written here, by table. */
  private readonly pendingRecords = new Map<RecordTable, Set<string>>();
  private pendingDataset = false;
  private pendingRescan = false;
  private startupScan = false;
  private readonly pendingRemote = new Set<string>();
  private running: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private unsubscribe: (() => void) | null = null;
  private feed: PouchEmitter | null = null;
  private seenSeq: number | string = 0;
  private savedSeq: number | string = 0;
  private checkpointRev: string | undefined;
  private stopped = false;
  private readonly idleWaiters: (() => void)[] = [];
  private presenceTimer: ReturnType<typeof setInterval> | null = null;
  private imagesOnDemand: boolean;

  constructor(options: ReplicaOptions) {
    this.options = options;
    this.datasetId = options.datasetId;
    this.local = options.local;
    this.imagesOnDemand = options.imagesOnDemand ?? false;
    const ownRevs = new OwnRevisions();
    this.board = new SyncStatusBoard(options.onStatus, () => this.running !== null || this.hasPending());
    const dataset = { here: false };
    this.localMirror = new LocalMirror({
      datasetId: this.datasetId, local: this.local, platform: options.platform, ownRevs, stamp: () => this.stamp(),
      dataset,
      again: (doc) => {
        const target = requeueTarget(doc);
        if (target && 'sample' in target) this.pendingSamples.add(target.sample);
        else if (target && 'record' in target) this.noteRecords(target.record.table, [target.record.id]);
        else if (target) this.pendingDataset = true;
      },
    });
    this.remoteMirror = new RemoteMirror({
      datasetId: this.datasetId, local: this.local, platform: options.platform, ownRevs, again: (docId) => this.pendingRemote.add(docId),
      imagesOnDemand: () => this.imagesOnDemand, dataset,
    });
    this.link = new ServerLink(this.local, this.board, (denial) => void this.onDenied(denial), options.retryMaxMs);
    this.refusedNotes = new RefusedNotes(this.local);
  }

  /** Starts mirroring: local edits not yet in the replica are sent, then both feeds run live. */
  async start(): Promise<void> {
    this.unsubscribe = onStoredChanges(this.onStoredChanges);
    const checkpoint = await this.local.get<{ seq: number | string; conflicts?: string[] }>(CHECKPOINT_ID).catch(() => null);
    this.seenSeq = this.savedSeq = checkpoint?.seq ?? 0;
    this.checkpointRev = checkpoint?._rev;
    this.board.restoreRefused(await this.refusedNotes.load());
    this.pendingDataset = true;
    this.pendingRescan = true;
    this.startupScan = true;
    // Which samples are in conflict as of the checkpoint is kept with it; a checkpoint from before
    // that (or none) means reading every sample document once.
    if (Array.isArray(checkpoint?.conflicts)) this.remoteMirror.noteConflicts(checkpoint.conflicts);
    else await this.remoteMirror.scanConflicts().catch(() => undefined);
    await this.remoteMirror.scanTeamNotes().catch(() => undefined);
    this.board.setConflicts([...this.remoteMirror.conflicted]);
    this.board.setPresence([...this.remoteMirror.presence.values()]);
    this.board.setAssignments([...this.remoteMirror.assignments.values()]);
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
        this.board.mirrorError = `The local replica stopped: ${describeSyncError(err)}`;
        this.board.report();
      });
  }

  /** Starts live replication with the server's database (after signing in). */
  connect(remote: PouchDatabase): void {
    this.link.connect(remote, this.imagesOnDemand);
  }

  /**
   * Images on demand, or every image here too: the live pull starts again with or without them
   * (its own checkpoint each way, so turning "available offline" on fetches only what is missing).
   */
  setImagesOnDemand(onDemand: boolean): void {
    if (onDemand === this.imagesOnDemand) return;
    this.imagesOnDemand = onDemand;
    const remote = this.link.remote;
    if (remote) this.link.connect(remote, onDemand);
  }

  /**
   * Fetches one image from the server into the replica (its revision and history as the server has
   * them, so nothing is sent back) and the studio's store; false when the server is not connected
   * or has no such image.
   */
  async fetchImage(assetId: string): Promise<boolean> {
    const remote = this.link.remote;
    if (!remote || this.stopped) return false;
    const doc = await remote.get(assetDocId(assetId), { attachments: true, binary: true, revs: true }).catch((err: { status?: number }) => {
      if (err?.status === 404) return null;
      throw err;
    });
    if (!doc) return false;
    await this.local.bulkDocs([doc], { new_edits: false });
    return this.remoteMirror.storeAsset(assetId);
  }

  /** An image's thumbnail straight from the server (tiles show it without fetching the image); null when it has none. */
  async fetchThumbnail(assetId: string): Promise<Blob | null> {
    const remote = this.link.remote;
    if (!remote || this.stopped) return null;
    const data = await remote.getAttachment(assetDocId(assetId), THUMBNAIL_ATTACHMENT).catch((err: { status?: number }) => {
      if (err?.status === 404) return null;
      throw err;
    });
    return data === null ? null : this.options.platform.fromAttachment(data, 'image/jpeg');
  }

  /** Stops replicating with the server; local mirroring goes on. */
  disconnect(reason: string | null = 'Signed out: changes are kept here until you sign in again.'): void {
    this.link.disconnect(reason);
  }

  /** Stops everything (the dataset is no longer shared here, or the page goes). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.link.disconnect(null);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.feed?.cancel();
    this.feed = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = null;
    await this.running;
    await this.refusedNotes.flush();
  }

  get status(): ReplicaStatus {
    return this.board.compute();
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

  // ── conflicts and refusals ─────────────────────────────────────────────────────────────────

  /** The versions of a sample in conflict, winner first (empty when there is none). */
  conflictVersions(sampleId: string): Promise<ConflictVersion[]> {
    return readConflict(this.local, sampleId);
  }

  /**
   * Resolves a conflict with one version (`picks` empty) or fields merged from several; the result
   * reaches Dexie through the feed like any remote change, and the server with the next push.
   */
  async resolveConflict(sampleId: string, base: string, picks: Partial<Record<MergeField, string>> = {}): Promise<SampleRecord> {
    const versions = await readConflict(this.local, sampleId);
    if (!versions.length) throw new Error('This sample has no conflict any more.');
    const chosen = mergeVersions(versions, base, picks);
    await resolveConflict(this.local, sampleId, chosen, this.stamp(), picks.status ?? base);
    return chosen;
  }

  /**
   * Says which sample this user has open (null: none), and keeps saying it while it stays open, so
   * others see who works where (presence.ts).
   */
  async setPresence(sampleId: string | null): Promise<void> {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = null;
    if (this.stopped) return;
    await writePresence(this.local, sampleId, this.stamp());
    if (sampleId !== null) {
      this.presenceTimer = setInterval(() => void writePresence(this.local, sampleId, this.stamp()).catch(() => undefined), PRESENCE_BEAT_MS);
    }
  }

  /** Gives an annotator a range of samples (null: withdraws it); the server lets only reviewers and admins. */
  async assign(annotator: string, range: Pick<Assignment, 'from' | 'to' | 'statuses'> | null): Promise<void> {
    await writeAssignment(this.local, annotator, range, this.stamp());
  }

  /** Forgets refused changes the person has seen (all when `docId` is left out). */
  dismissRefused(docId?: string): void {
    this.board.dismissRefused(docId);
    void this.refusedNotes.save(this.board.refused);
  }

  private async onDenied({ docId, reason }: Denial): Promise<void> {
    try {
      this.board.addRefused(await revertRefused(this.local, this.link.remote, docId, reason, this.stamp()));
    } catch (err) {
      this.board.addRefused({ sampleId: null, docId, reason: `${reason} (and it could not be undone here: ${errorMessage(err)})`, outcome: 'kept-here', at: Date.now() });
    }
    await this.refusedNotes.save(this.board.refused);
  }

  // ── the queue ──────────────────────────────────────────────────────────────────────────────

  private readonly onStoredChanges = (changes: StoredChange[]): void => {
    let any = false;
    for (const c of changes) {
      // What the remote mirror copied in from the replica says what the replica says: no echo to read back.
      if (c.fromReplica) continue;
      if (c.table === 'samples') {
        if (c.keys === null) this.pendingRescan = true;
        else c.keys.forEach((k) => this.pendingSamples.add(k));
        any = true;
      } else if (c.table === 'datasets' && (c.keys === null || c.keys.includes(this.datasetId))) {
        this.pendingDataset = true;
        any = true;
      } else if (RECORD_TABLES.includes(c.table as RecordTable)) {
        if (c.keys === null) this.pendingRescan = true;
        else this.noteRecords(c.table as RecordTable, c.keys);
        any = true;
      }
    }
    if (any) this.kick();
  };

  private hasPending(): boolean {
    return this.hasLocalWork() || this.pendingRemote.size > 0;
  }

  private hasLocalWork(): boolean {
    return this.pendingDataset || this.pendingRescan || this.pendingSamples.size > 0 || this.pendingRecords.size > 0;
  }

  private kick(): void {
    if (this.running || this.stopped || this.retryTimer) return;
    this.board.report();
    this.running = this.pump().finally(() => {
      this.running = null;
      if (this.hasPending() && !this.stopped && !this.retryTimer) this.kick();
      else this.settle();
    });
  }

  private settle(): void {
    this.board.report();
    if (this.running || (this.hasPending() && !this.stopped && !this.retryTimer)) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async pump(): Promise<void> {
    while (!this.stopped && this.hasPending()) {
      const taken = this.hasLocalWork() ? this.takeLocal() : this.takeRemote();
      try {
        if (taken.kind === 'local') {
          if ((await this.localMirror.send(taken, this.savedSeq === 0)) === 'gone') {
            this.stopped = true;
            this.options.onGone?.();
            return;
          }
        } else {
          const problems = await this.remoteMirror.receive(taken.ids);
          this.board.rejected = problems.length
            ? `The server sent records this studio cannot use (skipped): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}.`
            : null;
          this.board.setConflicts([...this.remoteMirror.conflicted]);
          this.board.setPresence([...this.remoteMirror.presence.values()]);
          this.board.setAssignments([...this.remoteMirror.assignments.values()]);
        }
        this.board.mirrorError = null;
      } catch (err) {
        // Put the work back and try again a little later (a full disk, a replica being closed).
        if (taken.kind === 'local') {
          this.pendingDataset ||= taken.dataset;
          this.pendingRescan ||= taken.rescan;
          this.startupScan ||= taken.startup;
          taken.samples.forEach((k) => this.pendingSamples.add(k));
          for (const [table, ids] of Object.entries(taken.records)) this.noteRecords(table as RecordTable, ids);
        } else taken.ids.forEach((id) => this.pendingRemote.add(id));
        this.board.mirrorError = errorMessage(err);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.kick();
        }, RETRY_LOCAL_MS);
        this.board.report();
        return;
      }
      if (!this.pendingRemote.size && !this.remoteMirror.waiting && this.seenSeq !== this.savedSeq) await this.saveCheckpoint();
    }
  }

  private noteRecords(table: RecordTable, ids: string[]): void {
    const pending = this.pendingRecords.get(table) ?? new Set<string>();
    ids.forEach((id) => pending.add(id));
    this.pendingRecords.set(table, pending);
  }

  private takeLocal(): LocalWork & { kind: 'local' } {
    const records = Object.fromEntries([...this.pendingRecords].map(([table, ids]) => [table, [...ids]]));
    const taken = { kind: 'local' as const, dataset: this.pendingDataset, rescan: this.pendingRescan, startup: this.startupScan, samples: [...this.pendingSamples], records };
    this.pendingDataset = this.pendingRescan = this.startupScan = false;
    this.pendingSamples.clear();
    this.pendingRecords.clear();
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

  private async saveCheckpoint(): Promise<void> {
    const seq = this.seenSeq;
    const res = await this.local.put({ _id: CHECKPOINT_ID, _rev: this.checkpointRev, seq, conflicts: [...this.remoteMirror.conflicted] });
    this.checkpointRev = res.rev;
    this.savedSeq = seq;
  }
}
