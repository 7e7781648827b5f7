import Dexie, { type EntityTable } from 'dexie';
import { changeFeedMiddleware } from './changeFeed';
import { mutateMiddleware } from './mutateMiddleware';
import { assertRecord } from './schemas';
import type { AssetRecord, CalibrationRecord, DatasetRecord, EpisodeRecord, ModelRecord, RunRecord, SampleRecord, VideoRecord } from './types';

export const DB_NAME = 'path-studio';

/**
 * Every schema version the studio ever shipped, oldest first. Never edit a shipped entry:
 * add a new one (with an `upgrade` when records change) and a migration test that opens a
 * database written by the previous version (see migrations.test.ts).
 */
export const SCHEMA_VERSIONS: { version: number; stores: Record<string, string>; upgrade?: (tx: import('dexie').Transaction) => Promise<void> }[] = [
  {
    version: 1,
    stores: {
      datasets: 'id, name, createdAt, deletedAt',
      assets: 'id, createdAt',
      samples: 'id, datasetId, assetId, [datasetId+order], [datasetId+status+order], [datasetId+source+order], [datasetId+assetId], updatedAt',
      episodes: 'id, datasetId, createdAt',
      models: 'id, role, name, createdAt',
      runs: 'id, episodeId, createdAt',
    },
  },
  {
    // v2: imported videos (their segments/tracks) and per-dataset camera calibrations.
    version: 2,
    stores: {
      videos: 'id, datasetId, assetId, createdAt',
      calibrations: 'id, datasetId, [datasetId+camera]',
    },
  },
  {
    // v3: indexes the Library sorts by (last change, instruction, path points), built from the
    // records as they are: nothing is rewritten. A sample without a path has no points key, so it
    // is simply absent from that index.
    version: 3,
    stores: {
      samples: 'id, datasetId, assetId, [datasetId+order], [datasetId+status+order], [datasetId+source+order], [datasetId+assetId], updatedAt, [datasetId+updatedAt], [datasetId+instruction], [datasetId+path.points.length]',
    },
  },
];

export const CURRENT_SCHEMA_VERSION = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1].version;

export class StudioDatabase extends Dexie {
  datasets!: EntityTable<DatasetRecord, 'id'>;
  assets!: EntityTable<AssetRecord, 'id'>;
  samples!: EntityTable<SampleRecord, 'id'>;
  episodes!: EntityTable<EpisodeRecord, 'id'>;
  models!: EntityTable<ModelRecord, 'id'>;
  runs!: EntityTable<RunRecord, 'id'>;
  videos!: EntityTable<VideoRecord, 'id'>;
  calibrations!: EntityTable<CalibrationRecord, 'id'>;

  /** `upToVersion` exists for migration tests: open the database as an older release would. */
  constructor(name = DB_NAME, upToVersion = CURRENT_SCHEMA_VERSION) {
    super(name);
    for (const v of SCHEMA_VERSIONS) {
      if (v.version > upToVersion) break;
      const declared = this.version(v.version).stores(v.stores);
      if (v.upgrade) declared.upgrade(v.upgrade);
    }
    this.use(validateWrites);
    this.use(changeFeedMiddleware);
  }
}

/**
 * Every record that enters the database is checked against its table's schema (schemas.ts):
 * add, put, bulk writes and Dexie's update/modify (which reach this layer as puts of the whole
 * record), from imports, the editor, restore and migrations alike. A bad record fails its write —
 * and its transaction — with a message naming it.
 */
const validateWrites = mutateMiddleware('validateRecords', (name, req, table) => {
  if (req.type === 'add' || req.type === 'put') {
    try {
      for (const value of req.values) assertRecord(name, value);
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return table.mutate(req);
});

let shared: StudioDatabase | undefined;

/** The app's one database connection. */
export function getDb(): StudioDatabase {
  shared ??= new StudioDatabase();
  return shared;
}

/** Tests and restore use this to point the app at a fresh database. */
export function setDb(db: StudioDatabase): void {
  shared = db;
}
