/**
 * The engine in the studio: PouchDB 9's browser build (IndexedDB adapter for the replicas, fetch
 * for the server) and Blobs as attachment data. Loaded only when a dataset is shared or joined
 * (src/app/team), so someone who never connects never loads PouchDB.
 */
import PouchDBBrowser from 'pouchdb-browser';
import type { PouchStatic } from './pouch';
import type { TeamPlatform } from './platform';

const PouchDB = PouchDBBrowser as PouchStatic;

export const browserPlatform: TeamPlatform = {
  openLocal: (name) => new PouchDB(name, { adapter: 'idb' }),
  // skip_setup: never try to create the server's database from here (only admins may, at sharing).
  openRemote: (url) => new PouchDB(url, { skip_setup: true }),
  toAttachment: async (blob) => blob,
  fromAttachment: (data, type) => (data instanceof Blob ? data : new Blob([data as BlobPart], { type })),
};

export { DatasetReplica, describeSyncError } from './replica';
export { localReplicaName } from './platform';
