/**
 * The part of PouchDB's API the engine uses, typed here. (DefinitelyTyped's @types/pouchdb-* are
 * not used: @types/pouchdb-core declares a global `interface Buffer`, which breaks Node's Buffer
 * type for the whole project.) The module declarations for the packages are in pouchdb.d.ts.
 */
export interface PouchRow {
  id?: string;
  key: string;
  /** Absent when there is no such document (`error: 'not_found'`). */
  value?: { rev: string; deleted?: boolean };
  doc?: unknown;
  error?: string;
}

export interface PouchWriteResult {
  ok?: boolean;
  id?: string;
  rev?: string;
  /** On a failed write: 409 for a conflict. */
  status?: number;
  name?: string;
  message?: string;
}

/** PouchDB's event emitters (changes feed, replication, sync). */
export interface PouchEmitter {
  /** Every PouchDB event passes at most one argument; `T` is what the listener expects. */
  on<T = unknown>(event: string, listener: (arg: T) => void): this;
  cancel(): void;
}

export interface PouchSync extends PouchEmitter {
  push: PouchEmitter;
  pull: PouchEmitter;
}

export interface PouchExisting {
  _id: string;
  _rev: string;
}

export interface PouchDatabase {
  get<T extends object = Record<string, unknown>>(id: string, options?: { attachments?: boolean; binary?: boolean; conflicts?: boolean; rev?: string; revs?: boolean }): Promise<T & PouchExisting>;
  /** One attachment's data (Blob in the browser, Buffer in Node). */
  getAttachment(docId: string, name: string): Promise<unknown>;
  put(doc: object): Promise<{ ok: boolean; id: string; rev: string }>;
  /** `new_edits: false` stores revisions as they are (replication's write), history included. */
  bulkDocs(docs: object[], options?: { new_edits?: boolean }): Promise<PouchWriteResult[]>;
  allDocs(options?: { keys?: string[]; key?: string; startkey?: string; endkey?: string; include_docs?: boolean; conflicts?: boolean }): Promise<{ rows: PouchRow[] }>;
  changes(options: { since?: number | string; live?: boolean; return_docs?: boolean }): PouchEmitter;
  sync(remote: PouchDatabase, options: Record<string, unknown>): PouchSync;
  replicate: {
    from(source: PouchDatabase, options?: Record<string, unknown>): Promise<unknown>;
    to(target: PouchDatabase, options?: Record<string, unknown>): Promise<unknown>;
  };
  info(): Promise<{ update_seq: number | string; doc_count: number }>;
  destroy(): Promise<unknown>;
}

export interface PouchStatic {
  new (name: string, options?: Record<string, unknown>): PouchDatabase;
  plugin(plugin: unknown): PouchStatic;
}
