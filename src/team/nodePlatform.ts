/**
 * The engine in Node: PouchDB 9 (the same core as the browser's `pouchdb-browser`) with the memory
 * adapter for replicas, and Buffers as attachment data. The unit tests run the engine on it; a
 * Node client of the same replication code (the later scale bench) can too. Node only.
 */
import PouchDB from 'pouchdb-core';
import memoryAdapter from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import type { PouchStatic } from './pouch';
import type { TeamPlatform } from './platform';

const NodePouch = (PouchDB as PouchStatic).plugin(memoryAdapter).plugin(replication);

/** Every database is in memory; `openRemote` names one too (a stand-in server for tests). */
export function memoryPlatform(prefix = ''): TeamPlatform & { PouchDB: PouchStatic } {
  return {
    PouchDB: NodePouch,
    openLocal: (name) => new NodePouch(`${prefix}${name}`, { adapter: 'memory' }),
    openRemote: (name) => new NodePouch(name, { adapter: 'memory' }),
    toAttachment: async (blob) => Buffer.from(await blob.arrayBuffer()),
    fromAttachment: (data, type) => {
      if (data instanceof Blob) return data;
      const bytes = typeof data === 'string' ? Buffer.from(data, 'base64') : (data as Uint8Array);
      return new Blob([new Uint8Array(bytes)], { type });
    },
  };
}
