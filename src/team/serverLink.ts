/**
 * The live replication of one replica with its server database (`PouchDB.sync`: CouchDB's
 * protocol, live, from checkpoints, retried with back-off while the server is away), and what its
 * events mean for the sync state.
 *
 * A change the server refuses (its validate_doc_update throws `forbidden`) arrives as a `denied`
 * event for that document; the replication itself goes on (PouchDB checkpoints past it and never
 * sends that revision again). The refused revision stays the local winner, though, so every later
 * edit of the same document would build on it and be refused too — the "next edit never arrives"
 * symptom. `onDenied` lets the replica put the server's version back on top (refusals.ts).
 */
import { describeSyncError, type SyncStatusBoard } from './syncStatus';
import { WITHOUT_IMAGES } from './docs';
import type { PouchDatabase, PouchSync } from './pouch';

export interface Denial {
  docId: string;
  reason: string;
}

export class ServerLink {
  private sync: PouchSync | null = null;
  remote: PouchDatabase | null = null;

  constructor(
    private readonly local: PouchDatabase,
    private readonly board: SyncStatusBoard,
    private readonly onDenied: (denial: Denial) => void,
    private readonly retryMaxMs = 5000,
  ) {}

  get connected(): boolean {
    return this.sync !== null;
  }

  /** `imagesOnDemand`: the pull leaves images on the server (they come one by one as they are shown). */
  connect(remote: PouchDatabase, imagesOnDemand = false): void {
    this.disconnect(null);
    const { board } = this;
    board.syncError = null;
    board.offlineReason = null;
    board.connected = true;
    // Syncing until each direction has caught up once (its first `paused`): "in sync" right after
    // connecting, before anything moved, would be a promise not yet kept.
    board.active.push = board.active.pull = true;
    this.remote = remote;
    const maxMs = this.retryMaxMs;
    const sync = this.local.sync(remote, {
      live: true,
      retry: true,
      batch_size: 100,
      // PouchDB's default doubles up to 10 minutes; a team server on the LAN is worth trying more often.
      back_off_function: (delay: number) => Math.min(maxMs, Math.max(500, delay * 2)),
      ...(imagesOnDemand ? { pull: { selector: WITHOUT_IMAGES } } : {}),
    });
    this.sync = sync;
    const mine = () => this.sync === sync;
    const failed = (err: unknown, fatal: boolean) => {
      board.syncError = { message: describeSyncError(err), fatal };
      board.report();
    };
    for (const direction of ['push', 'pull'] as const) {
      const half = sync[direction];
      half.on('active', () => {
        if (!mine()) return;
        board.active[direction] = true;
        board.syncError = null;
        board.report();
      });
      half.on('paused', (err?: unknown) => {
        if (!mine()) return;
        board.active[direction] = false;
        if (err) return failed(err, (err as { status?: number }).status === 401);
        board.syncError = null;
        if (!board.active.push && !board.active.pull) board.lastSyncedAt = Date.now();
        board.report();
      });
      half.on('requestError', (err: unknown) => {
        if (mine()) failed(err, (err as { status?: number }).status === 401);
      });
      half.on('denied', (err: unknown) => {
        if (!mine()) return;
        const e = err as { id?: string; reason?: string; message?: string };
        // Only pushes are judged by the server; a pull refused here would be this replica's own rule (none).
        if (e?.id) this.onDenied({ docId: e.id, reason: e.reason ?? e.message ?? 'forbidden' });
      });
    }
    sync.on('error', (err: unknown) => {
      if (mine()) failed(err, true);
    });
    board.report();
  }

  /** Stops replicating with the server; local mirroring goes on. */
  disconnect(reason: string | null = 'Signed out: changes are kept here until you sign in again.'): void {
    const sync = this.sync;
    this.sync = null;
    this.remote = null;
    this.board.active.push = this.board.active.pull = false;
    this.board.connected = false;
    sync?.cancel();
    this.board.offlineReason = reason;
    if (reason !== null) this.board.report();
  }
}
