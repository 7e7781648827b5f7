/**
 * `meta/info.json` of a LeRobot dataset (v2.0, v2.1 or v3.0), checked and reduced to what the
 * importer needs. Pure: text in, typed result out.
 */
import { errorMessage } from '../../core/errorMessage';

/** v2.0 and v2.1 share the layout (episodes.jsonl, one parquet + one mp4 per episode); v2.1 only moved the stats. */
/** The simulator's calibration extension in meta/info.json (docs/SIM.md): written by sim/src/lerobot, read by importers/lerobot/simCalibration.ts. */
export const SIM_CALIBRATION_KEY = 'path_studio';

export const SUPPORTED_VERSIONS = ['v2.0', 'v2.1', 'v3.0'] as const;
export type LeRobotVersion = (typeof SUPPORTED_VERSIONS)[number];

export interface LeRobotFeature {
  dtype: string;
  shape: number[];
  /** As written: a flat list, a list of lists, a dict of lists ({"motors": [...]}) or null. */
  names: unknown;
}

export interface LeRobotCamera {
  key: string;
  width: number;
  height: number;
  /** Codec named in info.json (the file itself is checked when it is opened). */
  codec: string | null;
  /** `video` (mp4 files) or `image` (encoded images inside the parquet files). */
  storage: 'video' | 'image';
}

export interface LeRobotInfo {
  version: LeRobotVersion;
  robotType: string | null;
  fps: number;
  totalEpisodes: number;
  totalFrames: number;
  chunksSize: number;
  dataPath: string;
  videoPath: string | null;
  features: Record<string, LeRobotFeature>;
  cameras: LeRobotCamera[];
  /** The raw JSON, for extension keys such as the simulator's `path_studio`. */
  raw: Record<string, unknown>;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Strings of a names value in any nesting (lists of lists, dicts of lists), in order. */
export function flatNames(v: unknown): string[] | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number') return [String(v)];
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) {
      const inner = flatNames(x);
      if (inner) out.push(...inner);
    }
    return out;
  }
  if (isRecord(v)) return flatNames(Object.values(v));
  return null;
}

/** Number of values per frame of a feature (product of its shape; 1 for a scalar). */
export function featureWidth(f: LeRobotFeature): number {
  return f.shape.length ? f.shape.reduce((a, b) => a * b, 1) : 1;
}

/**
 * One name per dimension of a feature, whatever shape LeRobot wrote `names` in: a flat list
 * (v2.1/v3.0), a list of lists (`[["j1", "j2"]]`, some v2.x ports), a dict of lists
 * (`{"motors": [...]}`, v2.0), or null. Names that do not cover every dimension are completed
 * with `key.i`; a one-dimensional feature without names is called by its key.
 */
export function featureNames(key: string, f: LeRobotFeature): string[] {
  const n = featureWidth(f);
  const given = flatNames(f.names) ?? [];
  if (given.length === n) return given;
  if (n === 1 && !given.length) return [key];
  return Array.from({ length: n }, (_, i) => `${key}.${i}`);
}

/** Parses info.json text; `where` names the file in messages. */
export function parseLeRobotInfo(text: string, where = 'meta/info.json'): ParseResult<LeRobotInfo> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${where} is not valid JSON (${errorMessage(e)}).` };
  }
  if (!isRecord(raw)) return { ok: false, error: `${where} must hold a JSON object.` };
  const version = raw.codebase_version;
  if (typeof version !== 'string') return { ok: false, error: `${where} has no "codebase_version": this does not look like a LeRobot dataset.` };
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version)) {
    const hint = /^v[01]\./.test(version)
      ? ' Convert it with lerobot\'s conversion scripts (v1.x to v2.0: `lerobot/common/datasets/v2/convert_dataset_v1_to_v2.py`).'
      : '';
    return { ok: false, error: `${where}: codebase_version "${version}" is not supported; Path Studio reads LeRobot v2.0, v2.1 and v3.0.${hint}` };
  }
  const fps = Number(raw.fps);
  if (!(fps > 0)) return { ok: false, error: `${where}: "fps" must be a positive number.` };
  if (!isRecord(raw.features)) return { ok: false, error: `${where} has no "features" object.` };
  const features: Record<string, LeRobotFeature> = {};
  for (const [key, f] of Object.entries(raw.features)) {
    if (!isRecord(f) || typeof f.dtype !== 'string') return { ok: false, error: `${where}: feature "${key}" has no dtype.` };
    features[key] = { dtype: f.dtype, shape: Array.isArray(f.shape) ? f.shape.map(Number) : [], names: f.names ?? null };
  }
  const dataPath = typeof raw.data_path === 'string' ? raw.data_path : null;
  if (!dataPath) return { ok: false, error: `${where} has no "data_path".` };
  const cameras: LeRobotCamera[] = [];
  for (const [key, f] of Object.entries(features)) {
    if (f.dtype !== 'video' && f.dtype !== 'image') continue;
    const rawInfo = (raw.features as Record<string, Record<string, unknown>>)[key].info;
    const info = isRecord(rawInfo) ? rawInfo : {};
    const names = flatNames(f.names) ?? [];
    const hi = names.indexOf('height'), wi = names.indexOf('width');
    const height = Number(info['video.height'] ?? (hi >= 0 ? f.shape[hi] : f.shape[0]));
    const width = Number(info['video.width'] ?? (wi >= 0 ? f.shape[wi] : f.shape[1]));
    cameras.push({ key, width, height, codec: typeof info['video.codec'] === 'string' ? (info['video.codec'] as string) : null, storage: f.dtype === 'video' ? 'video' : 'image' });
  }
  const videoPath = typeof raw.video_path === 'string' ? raw.video_path : null;
  if (cameras.some((c) => c.storage === 'video') && !videoPath) return { ok: false, error: `${where} declares video features but no "video_path".` };
  return {
    ok: true,
    value: {
      version: version as LeRobotVersion,
      robotType: typeof raw.robot_type === 'string' ? raw.robot_type : null,
      fps,
      totalEpisodes: Number(raw.total_episodes ?? 0),
      totalFrames: Number(raw.total_frames ?? 0),
      chunksSize: Number(raw.chunks_size ?? 1000) || 1000,
      dataPath,
      videoPath,
      features,
      cameras,
      raw,
    },
  };
}

/** Fills a LeRobot path template: `{episode_chunk:03d}`, `{video_key}`, `{episode_index:06d}`… */
export function formatTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)(?::0?(\d+)d)?\}/g, (whole, name: string, width?: string) => {
    const v = values[name];
    if (v === undefined) return whole;
    return width ? String(v).padStart(Number(width), '0') : String(v);
  });
}
