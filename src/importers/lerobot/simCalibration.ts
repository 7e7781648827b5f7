/**
 * The simulator's calibration extension in meta/info.json (`path_studio`, see docs/SIM.md):
 * intrinsics per camera, world-to-camera extrinsics per episode, and which state columns hold the
 * end-effector position.
 */
import { projectionFromIntrinsics, type Projection } from '../../core/camera/projection';
import { SIM_CALIBRATION_KEY, type ParseResult } from '../../formats/lerobot/info';
import { errorMessage } from '../../core/errorMessage';

export interface SimCalibration {
  eeFeature: string;
  eeIndices: [number, number, number];
  /** camera key → per-episode projection (index = episode_index). */
  cameras: Record<string, { width: number; height: number; perEpisode: Projection[] }>;
  episodes: { index: number; success?: boolean; seed?: number; taskKind?: string }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Null when the dataset carries no such block; an error when it is there but malformed. */
export function parseSimCalibration(raw: Record<string, unknown>): ParseResult<SimCalibration> | null {
  const block = raw[SIM_CALIBRATION_KEY];
  if (block === undefined) return null;
  const where = `meta/info.json → "${SIM_CALIBRATION_KEY}"`;
  if (!isRecord(block)) return { ok: false, error: `${where} must be an object.` };
  if (block.version !== 1) return { ok: false, error: `${where}: version ${String(block.version)} is not supported (expected 1).` };
  const ee = block.state_ee_position;
  if (!isRecord(ee) || typeof ee.feature !== 'string' || !Array.isArray(ee.indices) || ee.indices.length !== 3) {
    return { ok: false, error: `${where}: "state_ee_position" needs a feature and three indices.` };
  }
  if (!isRecord(block.cameras)) return { ok: false, error: `${where}: "cameras" is missing.` };
  const cameras: SimCalibration['cameras'] = {};
  for (const [key, cam] of Object.entries(block.cameras)) {
    if (!isRecord(cam) || !Array.isArray(cam.K) || !Array.isArray(cam.world_to_camera_per_episode)) {
      return { ok: false, error: `${where}: camera "${key}" needs K and world_to_camera_per_episode.` };
    }
    if (cam.model !== undefined && cam.model !== 'pinhole') return { ok: false, error: `${where}: camera "${key}" uses the "${String(cam.model)}" model; only pinhole is supported.` };
    try {
      cameras[key] = {
        width: Number(cam.width),
        height: Number(cam.height),
        perEpisode: (cam.world_to_camera_per_episode as number[][][]).map((t) => projectionFromIntrinsics(cam.K as number[][], t)),
      };
    } catch (e) {
      return { ok: false, error: `${where}: camera "${key}": ${errorMessage(e)}.` };
    }
  }
  const episodes = Array.isArray(block.episodes)
    ? (block.episodes as Record<string, unknown>[]).map((e) => ({
      index: Number(e.episode_index),
      success: typeof e.success === 'boolean' ? e.success : undefined,
      seed: typeof e.seed === 'number' ? e.seed : undefined,
      taskKind: typeof e.task_kind === 'string' ? e.task_kind : undefined,
    }))
    : [];
  return { ok: true, value: { eeFeature: ee.feature, eeIndices: ee.indices.map(Number) as [number, number, number], cameras, episodes } };
}
