/**
 * What differs between the browser and Node for the engine: which PouchDB adapter holds the local
 * replica (IndexedDB in the studio, memory in the unit tests and Node clients) and PouchDB's binary
 * type for attachments (Blob in the browser, Buffer in Node). The replication code is the same.
 */
import type { PouchDatabase } from './pouch';

export interface TeamPlatform {
  /** The local replica of a shared dataset, by name. */
  openLocal(name: string): PouchDatabase;
  /** A database on the team server, by URL; never created from here (`skip_setup`). */
  openRemote(url: string): PouchDatabase;
  /** A Blob as PouchDB's attachment data on this platform. */
  toAttachment(blob: Blob): Promise<unknown>;
  /** PouchDB's attachment data (read with `binary: true`) as a Blob. */
  fromAttachment(data: unknown, type: string): Blob;
}

/** The local PouchDB database that replicates a dataset (its IndexedDB database is `_pouch_` + this). */
export const localReplicaName = (datasetId: string): string => `path-studio-team-${datasetId}`;
