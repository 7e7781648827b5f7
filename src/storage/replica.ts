/**
 * The reads and writes the team engine (src/team) needs to keep a shared dataset's records in step
 * with its replica. Writes that arrive from the replica go in one transaction, each only if the
 * record is still as the engine last read it (a compare-and-set): an edit made here in between is
 * never overwritten by an older remote state — the engine sends it on instead.
 */
import Dexie from 'dexie';
import { markCurrentTransaction } from './changeFeed';
import { getDb } from './db';
import { guardedWrite } from './errors';
import type { AssetRecord, CalibrationRecord, DatasetRecord, EpisodeRecord, SampleRecord, VideoRecord } from './types';

export type ReplicaTable = 'datasets' | 'samples' | 'assets' | 'episodes' | 'videos' | 'calibrations';

export interface ReplicaRecordOf {
  datasets: DatasetRecord;
  samples: SampleRecord;
  assets: AssetRecord;
  episodes: EpisodeRecord;
  videos: VideoRecord;
  calibrations: CalibrationRecord;
}

/** The tables whose records belong to one dataset besides its samples. */
export type DatasetOwnedTable = 'episodes' | 'videos' | 'calibrations';

export type ReplicaWrite = {
  [T in ReplicaTable]: {
    table: T;
    id: string;
    /** The record to store, or null to delete it. */
    value: ReplicaRecordOf[T] | null;
  };
}[ReplicaTable];

/** The records as stored (a dataset even while it is in the bin), undefined where none is. */
export async function readReplicaRecords<T extends ReplicaTable>(table: T, ids: string[]): Promise<(ReplicaRecordOf[T] | undefined)[]> {
  const db = getDb();
  const t = db[table] as unknown as Dexie.Table<ReplicaRecordOf[T], string>;
  return t.bulkGet(ids);
}

/** Every sample of a dataset, in queue order. */
export async function readDatasetSamples(datasetId: string): Promise<SampleRecord[]> {
  return getDb().samples.where('[datasetId+order]').between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey]).toArray();
}

/** Every episode, video or calibration of a dataset. */
export async function readDatasetRecords<T extends DatasetOwnedTable>(table: T, datasetId: string): Promise<ReplicaRecordOf[T][]> {
  const t = getDb()[table] as unknown as Dexie.Table<ReplicaRecordOf[T], string>;
  return t.where('datasetId').equals(datasetId).toArray();
}

export { storedAssetIds } from './assets';

/**
 * Writes what came from the replica in ONE transaction. Each write happens only when
 * `unchanged(write, current)` says the stored record is still the one the engine compared against;
 * returns the writes that happened.
 */
export async function applyReplicaWrites(
  writes: ReplicaWrite[],
  unchanged: (write: ReplicaWrite, current: ReplicaRecordOf[ReplicaTable] | undefined) => boolean,
): Promise<ReplicaWrite[]> {
  if (!writes.length) return [];
  const db = getDb();
  return guardedWrite('save what the team server sent', () =>
    db.transaction('rw', [db.datasets, db.samples, db.assets, db.episodes, db.videos, db.calibrations], async () => {
      // The engine's own copy: it need not read these records back to find them equal (changeFeed.ts).
      markCurrentTransaction({ fromReplica: true });
      const done: ReplicaWrite[] = [];
      // Table by table with bulk reads and writes: one request each way per table, not two per record.
      for (const name of ['datasets', 'assets', 'calibrations', 'videos', 'episodes', 'samples'] as const) {
        const mine = writes.filter((w) => w.table === name);
        if (!mine.length) continue;
        const table = db[name] as unknown as Dexie.Table<ReplicaRecordOf[ReplicaTable], string>;
        const currents = await table.bulkGet(mine.map((w) => w.id));
        const puts: ReplicaRecordOf[ReplicaTable][] = [];
        const deletes: string[] = [];
        mine.forEach((w, i) => {
          const current = currents[i];
          if (!unchanged(w, current)) return;
          if (w.value !== null) puts.push(w.value);
          else if (current !== undefined) deletes.push(w.id);
          done.push(w);
        });
        if (puts.length) await table.bulkPut(puts);
        if (deletes.length) await table.bulkDelete(deletes);
      }
      return done;
    }),
  );
}
