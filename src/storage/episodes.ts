/**
 * Imported robot/sim episodes (frames as video references + timestamps, states, actions,
 * calibration, success) and the samples made from them. Each episode is written in one transaction
 * together with its samples, frame images and calibration.
 */
import Dexie from 'dexie';
import type { Path } from '../core/path';
import type { EpisodeCalibrationRecord } from './calibrations';
import { storedAssetIds } from './assets';
import { getDb } from './db';
import { guardedWrite } from './errors';
import { newId } from './ids';
import type { AssetRecord, EpisodeRecord, SampleRecord } from './types';

/** Where the episode's frames are: a video asset (or just the file name when it was too large) and the time of frame 0. */
export interface EpisodeFramesRef {
  camera: string;
  videoAssetId?: string;
  fileName: string;
  fromTimestamp: number;
  fps: number;
  width: number;
  height: number;
}

/** The typed payload of EpisodeRecord.data for imported episodes. */
export interface EpisodeData {
  kind: 'imported-episode';
  source: { format: string; name: string; episodeIndex: number };
  length: number;
  fps: number;
  stateNames: string[];
  actionNames: string[];
  /** Row-major [length × stateNames.length]. */
  states: Float32Array;
  /** Row-major [length × actionNames.length]. */
  actions: Float32Array;
  timestamps: Float64Array;
  /** End effector xyz per frame (robot base frame, m), row-major [length × 3]. */
  eePositions: Float32Array;
  /** Where the end-effector positions came from ('state columns', 'forward kinematics of so101.urdf', …). */
  eeOrigin: string;
  frames: EpisodeFramesRef[];
  calibrationId?: string;
  /** Gripper closed flag per frame (after hysteresis). */
  gripperClosed: Uint8Array;
  segments: { start: number; end: number }[];
  success?: boolean;
  /** The robot the end effector came from (forward kinematics), for the player's 3D view. */
  robot?: StoredRobotModel;
}

/** A URDF with its meshes (assets by the path the URDF uses) and its joint values per frame. */
export interface StoredRobotModel {
  urdf: string;
  /** Mesh path relative to the URDF's folder → asset id. */
  meshes: Record<string, string>;
  /** The end-effector link. */
  tip: string;
  joints: string[];
  /** Row-major [length × joints.length], radians or metres. */
  values: Float32Array;
}

export interface NewEpisodeSample {
  assetId: string;
  instruction: string;
  path: Path;
  frameStart: number;
  frameEnd: number;
}

export interface EpisodeWrite {
  task: string;
  data: EpisodeData;
  /** A calibration stored with the episode (metadata calibrations are per episode). */
  calibration?: EpisodeCalibrationRecord;
  assets: AssetRecord[];
  samples: NewEpisodeSample[];
}

export interface EpisodeWriteResult {
  episodeId: string;
  sampleIds: string[];
  /** Assets this write added (not there before), so a failed batch can take them back out. */
  freshAssetIds: string[];
  calibrationId?: string;
}

/** Writes one episode, its calibration, frame assets and samples in ONE transaction. */
export async function saveEpisodeWithSamples(datasetId: string, w: EpisodeWrite): Promise<EpisodeWriteResult> {
  const db = getDb();
  return guardedWrite('save the imported episode', () =>
    db.transaction('rw', [db.datasets, db.assets, db.samples, db.episodes, db.calibrations], async () => {
      const dataset = await db.datasets.get(datasetId);
      if (!dataset || dataset.deletedAt !== undefined) throw new Error('the dataset no longer exists');
      const existing = await storedAssetIds(w.assets.map((a) => a.id));
      const fresh = w.assets.filter((a, i, all) => !existing.has(a.id) && all.findIndex((b) => b.id === a.id) === i);
      if (fresh.length) await db.assets.bulkPut(fresh);
      if (w.calibration) await db.calibrations.put(w.calibration);
      const now = Date.now();
      const episode: EpisodeRecord = {
        id: newId(),
        datasetId,
        task: w.task,
        data: { ...w.data, calibrationId: w.calibration?.id ?? w.data.calibrationId } as unknown as Record<string, unknown>,
        createdAt: now,
      };
      await db.episodes.add(episode);
      const last = await db.samples.where('[datasetId+order]').between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey]).last();
      let order = last ? last.order + 1 : 0;
      const samples: SampleRecord[] = w.samples.map((s) => ({
        id: newId(),
        datasetId,
        assetId: s.assetId,
        order: order++,
        instruction: s.instruction,
        path: s.path,
        status: 'draft',
        source: 'episode',
        provenance: { episodeId: episode.id, frameStart: s.frameStart, frameEnd: s.frameEnd, note: `${w.data.source.name} episode ${w.data.source.episodeIndex}` },
        createdAt: now,
        updatedAt: now,
      }));
      if (samples.length) await db.samples.bulkAdd(samples);
      await db.datasets.update(datasetId, { updatedAt: now });
      return { episodeId: episode.id, sampleIds: samples.map((s) => s.id), freshAssetIds: fresh.map((a) => a.id), calibrationId: w.calibration?.id };
    }),
  );
}

/** Takes back everything a failed batch wrote (one transaction), leaving the database as it was. */
export async function rollbackEpisodeWrites(results: EpisodeWriteResult[]): Promise<void> {
  if (!results.length) return;
  const db = getDb();
  await guardedWrite('undo the failed import', () =>
    db.transaction('rw', [db.assets, db.samples, db.episodes, db.calibrations], async () => {
      await db.samples.bulkDelete(results.flatMap((r) => r.sampleIds));
      await db.episodes.bulkDelete(results.map((r) => r.episodeId));
      await db.calibrations.bulkDelete(results.flatMap((r) => (r.calibrationId ? [r.calibrationId] : [])));
      await db.assets.bulkDelete(results.flatMap((r) => r.freshAssetIds));
    }),
  );
}

/** Removes a dataset this import run created, when the run failed before keeping anything in it. */
export async function deleteDatasetIfEmpty(datasetId: string): Promise<void> {
  const db = getDb();
  await guardedWrite('undo the failed import', () =>
    db.transaction('rw', [db.datasets, db.samples, db.episodes], async () => {
      const used = (await db.samples.where('datasetId').equals(datasetId).count()) + (await db.episodes.where('datasetId').equals(datasetId).count());
      if (!used) await db.datasets.delete(datasetId);
    }),
  );
}

export async function listEpisodes(datasetId: string): Promise<EpisodeRecord[]> {
  return getDb().episodes.where('datasetId').equals(datasetId).sortBy('createdAt');
}

export async function getEpisode(id: string): Promise<EpisodeRecord | undefined> {
  return getDb().episodes.get(id);
}

export function episodeData(e: EpisodeRecord): EpisodeData | null {
  return (e.data as { kind?: string }).kind === 'imported-episode' ? (e.data as unknown as EpisodeData) : null;
}

export async function countEpisodes(datasetId: string): Promise<number> {
  return getDb().episodes.where('datasetId').equals(datasetId).count();
}
