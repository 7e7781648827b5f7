/**
 * A shared dataset's sync state as the studio shows it (docs/TEAMS.md, Sync state): what each part
 * of the engine last said — the local mirror, the server link, records skipped from the server —
 * reduced to one state and one message. Told to the listener only when it changes.
 */
import type { Assignment } from './assignments';
import type { Presence } from './presence';

export type SyncState = 'idle' | 'syncing' | 'offline' | 'error';

/** A change of this browser that the server refused (validate_doc_update), kept until seen. */
export interface RefusedChange {
  /** The sample (its id in the studio), or null for another document. */
  sampleId: string | null;
  docId: string;
  /** The server's reason, as its validation function worded it. */
  reason: string;
  /** What the studio did about it: the server's version was put back here, or the edit is only here. */
  outcome: 'reverted' | 'kept-here';
  at: number;
}

export interface ReplicaStatus {
  state: SyncState;
  /** Why it is offline or in error, in words; null when all is well. */
  message: string | null;
  /** When the server last confirmed it was up to date with this replica (ms), null before. */
  lastSyncedAt: number | null;
  /** Samples with conflicting revisions (two offline edits of one sample), by sample id. */
  conflicts: string[];
  /** Changes the server refused, newest last. */
  refused: RefusedChange[];
  /** Who has which sample open (everyone who said so, this user included; the UI filters the fresh others). */
  presence: Presence[];
  /** Who is assigned which samples, one per annotator. */
  assignments: Assignment[];
}

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

const REFUSED_LIMIT = 50;

export class SyncStatusBoard {
  /** The local replica or the Dexie side failed (retried). */
  mirrorError: string | null = null;
  /** Records from the server that were skipped (invalid, another dataset's, a damaged image), in words. */
  rejected: string | null = null;
  syncError: { message: string; fatal: boolean } | null = null;
  readonly active = { push: false, pull: false };
  connected = false;
  offlineReason: string | null = 'Not signed in to a team server.';
  lastSyncedAt: number | null = null;
  conflicts: string[] = [];
  refused: RefusedChange[] = [];
  presence: Presence[] = [];
  assignments: Assignment[] = [];
  private last: ReplicaStatus | null = null;

  constructor(private readonly onStatus: ((status: ReplicaStatus) => void) | undefined, private readonly busy: () => boolean) {}

  addRefused(change: RefusedChange): void {
    this.refused = [...this.refused.filter((r) => r.docId !== change.docId), change].slice(-REFUSED_LIMIT);
    this.report();
  }

  /** The refusals kept from an earlier visit (refusals.ts, RefusedNotes). */
  restoreRefused(refused: RefusedChange[]): void {
    this.refused = refused.slice(-REFUSED_LIMIT);
    this.report();
  }

  dismissRefused(docId?: string): void {
    this.refused = docId === undefined ? [] : this.refused.filter((r) => r.docId !== docId);
    this.report();
  }

  setConflicts(ids: string[]): void {
    const sorted = [...ids].sort();
    if (sorted.join('\n') === this.conflicts.join('\n')) return;
    this.conflicts = sorted;
    this.report();
  }

  setPresence(all: Presence[]): void {
    const key = (list: Presence[]) => list.map((p) => `${p.user}\n${p.sampleId}\n${p.at}`).sort().join('\n');
    if (key(all) === key(this.presence)) return;
    this.presence = all;
    this.report();
  }

  setAssignments(all: Assignment[]): void {
    const key = (list: Assignment[]) => JSON.stringify([...list].sort((a, b) => a.annotator.localeCompare(b.annotator)));
    if (key(all) === key(this.assignments)) return;
    this.assignments = all;
    this.report();
  }

  compute(): ReplicaStatus {
    const base = { lastSyncedAt: this.lastSyncedAt, conflicts: this.conflicts, refused: this.refused, presence: this.presence, assignments: this.assignments };
    if (this.mirrorError) return { ...base, state: 'error', message: this.mirrorError };
    if (this.rejected) return { ...base, state: 'error', message: this.rejected };
    if (this.syncError?.fatal) return { ...base, state: 'error', message: this.syncError.message };
    if (!this.connected) return { ...base, state: 'offline', message: this.offlineReason ?? 'Not connected.' };
    if (this.syncError) return { ...base, state: 'offline', message: this.syncError.message };
    if (this.busy() || this.active.push || this.active.pull) return { ...base, state: 'syncing', message: null };
    return { ...base, state: 'idle', message: null };
  }

  report(): void {
    const status = this.compute();
    const last = this.last;
    if (last && last.state === status.state && last.message === status.message && last.lastSyncedAt === status.lastSyncedAt
      && last.conflicts === status.conflicts && last.refused === status.refused && last.presence === status.presence
      && last.assignments === status.assignments) return;
    this.last = status;
    this.onStatus?.(status);
  }
}
