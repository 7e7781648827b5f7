/**
 * What was written to the database, told once its transaction has committed: the team engine
 * (src/team) mirrors a shared dataset's local changes into its replica from this. A Dexie middleware
 * under every write (add, put, delete — Dexie's update/modify arrive as puts) notes the table and the
 * keys; when the IndexedDB transaction completes, the listeners get the list. An aborted transaction
 * tells nothing. With no listener (nobody shares a dataset) the middleware only passes writes on.
 */
import Dexie, { type DBCoreMutateRequest, type DBCoreMutateResponse, type DBCoreTransaction } from 'dexie';
import { mutateMiddleware } from './mutateMiddleware';

export interface StoredChange {
  table: string;
  /** The keys written or deleted; null when a range was deleted or a table cleared (read it all again). */
  keys: string[] | null;
  /**
   * Written by the team engine from its replica (storage/replica.ts, `applyReplicaWrites`): the
   * replica says this already, so the engine need not read it back; screens still show it.
   */
  fromReplica?: boolean;
  /** Written by another tab of the studio in this browser. */
  fromOtherTab?: boolean;
  /**
   * Written at start-up from Annotate's crash journal (app/annotate/autosave.ts): an edit a reload
   * cut short. No screen of this visit made it, so screens show it as made elsewhere.
   */
  recovered?: boolean;
}

export type StoredChangeListener = (changes: StoredChange[]) => void;

const listeners = new Set<StoredChangeListener>();

/** Set while this tab tells the studio's other tabs what it wrote, and hears what they wrote. */
let otherTabs: { channel: BroadcastChannel; db: string } | null = null;

/** Calls `listener` with the changes of every committed write transaction; returns its removal. */
export function onStoredChanges(listener: StoredChangeListener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/**
 * Calls `callback` at most once every `ms` after writes to these tables that this tab's screens did
 * not make: copied in from the team replica, made in another tab, or recovered from the crash journal
 * (what a screen does itself, it shows on its own). A join or a large pull arrives in many
 * transactions; this reads them once a while.
 */
export function onChangesFromElsewhere(tables: readonly string[], ms: number, callback: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const off = onStoredChanges((changes) => {
    if (!changes.some((c) => tables.includes(c.table) && (c.fromReplica || c.fromOtherTab || c.recovered))) return;
    timer ??= setTimeout(() => {
      timer = null;
      callback();
    }, ms);
  });
  return () => {
    off();
    if (timer) clearTimeout(timer);
    timer = null;
  };
}

const pending = new WeakMap<object, StoredChange[]>();
/** What a marked transaction's changes say about where they come from. */
type Origin = Pick<StoredChange, 'fromReplica' | 'recovered'>;
const origins = new WeakMap<object, Origin>();

/**
 * Marks the running Dexie transaction's changes with where they come from: the team engine's copy
 * of its replica (`fromReplica`), or edits recovered from the crash journal (`recovered`).
 */
export function markCurrentTransaction(origin: Origin): void {
  const trans = Dexie.currentTransaction?.idbtrans;
  if (trans) origins.set(trans, origin);
}

function emit(changes: StoredChange[]): void {
  for (const listener of [...listeners]) {
    try {
      listener(changes);
    } catch (err) {
      console.error(err);
    }
  }
}

/**
 * Team mode runs its engine in one tab of the browser (app/team/tabs.ts), while any tab may write:
 * from now on this tab's committed writes to database `db` are told to the other tabs too (a
 * BroadcastChannel; IndexedDB tells nothing across tabs), and theirs to this tab's listeners.
 * Returns the way to stop; nothing happens where BroadcastChannel does not exist.
 */
export function shareStoredChangesWithOtherTabs(db: string): () => void {
  if (otherTabs || typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel('path-studio.stored-changes');
  channel.onmessage = (event: MessageEvent<{ db?: string; changes?: StoredChange[] }>) => {
    if (event.data?.db === db && Array.isArray(event.data.changes)) emit(event.data.changes.map((c) => ({ ...c, fromOtherTab: true })));
  };
  const shared = (otherTabs = { channel, db });
  return () => {
    channel.close();
    if (otherTabs === shared) otherTabs = null;
  };
}

function committed(db: string | undefined, changes: StoredChange[]): void {
  emit(changes);
  if (otherTabs && db === otherTabs.db) otherTabs.channel.postMessage({ db, changes });
}

function note(trans: DBCoreTransaction, change: StoredChange): void {
  let list = pending.get(trans);
  if (!list) {
    const changes: StoredChange[] = (list = []);
    pending.set(trans, changes);
    // Dexie's IndexedDB core hands the IDBTransaction itself down as the DBCore transaction.
    const target = trans as unknown as Partial<EventTarget> & { db?: { name?: string } };
    const db = target.db?.name;
    if (typeof target.addEventListener === 'function') target.addEventListener('complete', () => committed(db, changes), { once: true });
    else queueMicrotask(() => committed(db, changes));
  }
  const origin = origins.get(trans);
  list.push(origin ? { ...change, ...origin } : change);
}

function keysOf(req: DBCoreMutateRequest, res: DBCoreMutateResponse): string[] | null {
  if (req.type === 'deleteRange') return null;
  if (req.type === 'delete') return req.keys.map(String);
  const failed = new Set(Object.keys(res.failures ?? {}).map(Number));
  const keys: unknown[] = res.results ?? req.keys ?? req.values.map((v) => (v as { id?: unknown } | null)?.id);
  return keys.filter((k, i) => k !== undefined && !failed.has(i)).map(String);
}

/** Registered on every StudioDatabase (db.ts). */
export const changeFeedMiddleware = mutateMiddleware('changeFeed', (name, req, table) => {
  if (!listeners.size && !otherTabs) return table.mutate(req);
  return table.mutate(req).then((res) => {
    note(req.trans, { table: name, keys: keysOf(req, res) });
    return res;
  });
});
