/** Camera calibrations (docs/CAMERAS.md): saved per dataset and camera, reusable across episodes. */
import { getDb } from './db';
import { guardedWrite } from './errors';
import { newId } from './ids';
import type { CalibrationRecord } from './types';

/**
 * A calibration as the episode importer stores it. The extra fields are optional and unindexed
 * (no schema change): which source dataset (folder name) it belongs to, and for per-episode
 * metadata calibrations (the simulator jitters its camera) which episode.
 */
export interface EpisodeCalibrationRecord extends CalibrationRecord {
  sourceName?: string;
  episodeIndex?: number;
  /** What the user called it, e.g. "front camera from 8 clicks". */
  label?: string;
}

export type NewCalibration = Omit<EpisodeCalibrationRecord, 'id' | 'createdAt'>;

export function makeCalibration(c: NewCalibration): EpisodeCalibrationRecord {
  return { ...c, id: newId(), createdAt: Date.now() };
}

export async function saveCalibration(c: NewCalibration): Promise<EpisodeCalibrationRecord> {
  const record = makeCalibration(c);
  await guardedWrite('save the calibration', () => getDb().calibrations.add(record));
  return record;
}

/** Calibrations of a dataset (optionally one camera), newest first; per-episode metadata ones left out. */
export async function listReusableCalibrations(datasetId: string, camera?: string): Promise<EpisodeCalibrationRecord[]> {
  const db = getDb();
  const rows = (camera
    ? await db.calibrations.where('[datasetId+camera]').equals([datasetId, camera]).toArray()
    : await db.calibrations.where('datasetId').equals(datasetId).toArray()) as EpisodeCalibrationRecord[];
  return rows.filter((r) => r.episodeIndex === undefined).sort((a, b) => b.createdAt - a.createdAt);
}

export async function getCalibration(id: string): Promise<EpisodeCalibrationRecord | undefined> {
  return (await getDb().calibrations.get(id)) as EpisodeCalibrationRecord | undefined;
}

export async function deleteCalibration(id: string): Promise<void> {
  await guardedWrite('delete the calibration', () => getDb().calibrations.delete(id));
}
