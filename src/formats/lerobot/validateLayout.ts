/**
 * Checks a LeRobot v3.0 folder against the layout the `lerobot` library reads: info.json fields,
 * every parquet file and column it promises (with the parquet type its dtype asks for), contiguous
 * indices, episode ranges, video files, and lerobot's feature and stats rules (featureRules.ts).
 * Parquet is read with hyparquet (pyarrow is not available on this machine). Used by the tests on
 * the studio's exports, the simulator's datasets and the real fixture in
 * ../shared/fixtures/lerobot-so101-v3.
 */
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { checkFeatureRules, formatProblems, type FeatureSpec } from './featureRules';
import { errorMessage } from '../../core/errorMessage';

export interface LayoutFiles {
  get(path: string): Blob | undefined;
  paths(): string[];
}

const num = (v: unknown) => Number(v);

const asyncBuffer = (blob: Blob): AsyncBuffer => ({ byteLength: blob.size, slice: (s, e) => blob.slice(s, e).arrayBuffer() });

async function read(files: LayoutFiles, path: string, problems: string[]): Promise<Record<string, unknown>[] | null> {
  const blob = files.get(path);
  if (!blob) { problems.push(`${path} is missing`); return null; }
  try {
    return await parquetReadObjects({ file: asyncBuffer(blob) });
  } catch (e) {
    problems.push(`${path} is not readable parquet: ${errorMessage(e)}`);
    return null;
  }
}

const fill = (template: string, v: Record<string, string | number>) =>
  template.replace(/\{(\w+)(?::0?(\d+)d)?\}/g, (_, k: string, w?: string) => (w ? String(v[k]).padStart(Number(w), '0') : String(v[k])));

/** Parquet physical type of each numpy dtype as pyarrow writes it (the leaf type for list columns). */
const PARQUET_TYPE: Record<string, string> = {
  bool: 'BOOLEAN', float32: 'FLOAT', float64: 'DOUBLE', int64: 'INT64', int32: 'INT32', int16: 'INT32', int8: 'INT32',
  uint8: 'INT32', uint16: 'INT32', uint32: 'INT64', uint64: 'INT64', float16: 'FIXED_LEN_BYTE_ARRAY', string: 'BYTE_ARRAY',
};

/** Leaf physical type of each top-level column of a parquet file. */
function leafTypes(meta: FileMetaData): Map<string, string> {
  const out = new Map<string, string>();
  const els = meta.schema;
  let i = 1;
  const walk = (top: string | null): void => {
    const el = els[i++];
    const name = top ?? el.name;
    if (!el.num_children) { out.set(name, String(el.type)); return; }
    for (let c = 0; c < el.num_children; c++) walk(name);
  };
  while (i < els.length) walk(null);
  return out;
}

export interface ValidateOptions {
  /** Check that every episode's video files exist (off for folders shipped without videos). */
  requireVideos?: boolean;
  /** Require observation.state and action (what every lerobot policy trains on). */
  requireStateAndAction?: boolean;
}

/** Returns the problems found; an empty list means the layout is valid. */
export async function validateLeRobotLayout(files: LayoutFiles, { requireVideos = true, requireStateAndAction = true }: ValidateOptions = {}): Promise<string[]> {
  const problems: string[] = [];
  const infoBlob = files.get('meta/info.json');
  if (!infoBlob) return ['meta/info.json is missing'];
  let info: Record<string, unknown> & { features: Record<string, { dtype: string; shape: number[] }> };
  try {
    info = JSON.parse(await infoBlob.text());
  } catch (e) {
    return [`meta/info.json is not valid JSON: ${errorMessage(e)}`];
  }
  if (info.codebase_version !== 'v3.0') problems.push(`codebase_version is ${String(info.codebase_version)}, expected v3.0`);
  for (const k of ['fps', 'total_episodes', 'total_frames', 'total_tasks', 'chunks_size', 'data_path', 'video_path', 'features', 'splits']) {
    if (info[k] === undefined) problems.push(`meta/info.json lacks "${k}"`);
  }
  const fps = num(info.fps);
  const features = info.features ?? {};
  const videoKeys = Object.keys(features).filter((k) => features[k].dtype === 'video');
  const dataKeys = Object.keys(features).filter((k) => features[k].dtype !== 'video' && features[k].dtype !== 'image');

  const tasks = await read(files, 'meta/tasks.parquet', problems);
  if (tasks) {
    if (tasks.length !== num(info.total_tasks)) problems.push(`meta/tasks.parquet has ${tasks.length} tasks, info.json says ${String(info.total_tasks)}`);
    if (tasks.some((t) => t.task_index === undefined)) problems.push('meta/tasks.parquet lacks task_index');
  }

  const epFiles = files.paths().filter((p) => p.startsWith('meta/episodes/') && p.endsWith('.parquet')).sort();
  if (!epFiles.length) problems.push('meta/episodes/ has no parquet file');
  const episodes: Record<string, unknown>[] = [];
  for (const p of epFiles) episodes.push(...((await read(files, p, problems)) ?? []));
  episodes.sort((a, b) => num(a.episode_index) - num(b.episode_index));
  if (episodes.length !== num(info.total_episodes)) problems.push(`meta/episodes lists ${episodes.length} episodes, info.json says ${String(info.total_episodes)}`);
  let expectFrom = 0;
  for (const [i, e] of episodes.entries()) {
    const where = `meta/episodes episode ${i}`;
    for (const c of ['episode_index', 'tasks', 'length', 'data/chunk_index', 'data/file_index', 'dataset_from_index', 'dataset_to_index'])
      if (e[c] === undefined) problems.push(`${where} lacks ${c}`);
    if (num(e.episode_index) !== i) problems.push(`${where}: episode_index is ${String(e.episode_index)}`);
    if (num(e.dataset_from_index) !== expectFrom) problems.push(`${where}: dataset_from_index ${String(e.dataset_from_index)}, expected ${expectFrom}`);
    if (num(e.dataset_to_index) - num(e.dataset_from_index) !== num(e.length)) problems.push(`${where}: length disagrees with its index range`);
    expectFrom = num(e.dataset_to_index);
    for (const key of videoKeys) {
      for (const c of ['chunk_index', 'file_index', 'from_timestamp', 'to_timestamp'])
        if (e[`videos/${key}/${c}`] === undefined) problems.push(`${where} lacks videos/${key}/${c}`);
      const span = num(e[`videos/${key}/to_timestamp`]) - num(e[`videos/${key}/from_timestamp`]);
      if (Math.abs(span - num(e.length) / fps) > 1e-6) problems.push(`${where}: ${key} spans ${span} s for ${String(e.length)} frames at ${fps} fps`);
      const path = fill(String(info.video_path), { video_key: key, chunk_index: num(e[`videos/${key}/chunk_index`]), file_index: num(e[`videos/${key}/file_index`]) });
      if (requireVideos && !files.get(path)) problems.push(`${path} (${where}) is missing`);
    }
  }
  if (expectFrom !== num(info.total_frames)) problems.push(`episodes cover ${expectFrom} frames, info.json says ${String(info.total_frames)}`);

  const dataFiles = [...new Set(episodes.map((e) => fill(String(info.data_path), { chunk_index: num(e['data/chunk_index']), file_index: num(e['data/file_index']) })))];
  let rows: Record<string, unknown>[] = [];
  for (const p of dataFiles) {
    const r = await read(files, p, problems);
    if (!r) continue;
    const missing = dataKeys.filter((k) => !(k in (r[0] ?? {})));
    if (missing.length) problems.push(`${p} lacks the feature column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    const types = leafTypes(await parquetMetadataAsync(asyncBuffer(files.get(p)!)));
    for (const k of dataKeys) {
      const shape = features[k].shape ?? [1];
      const len = shape[0] ?? 1;
      const scalar = shape.length === 1 && len === 1;
      if (!scalar && shape.length === 1 && r.some((row) => !Array.isArray(row[k]) || (row[k] as unknown[]).length !== len)) problems.push(`${p}: ${k} is not a list of ${len} values in every row`);
      if (scalar && r.some((row) => Array.isArray(row[k]))) problems.push(`${p}: ${k} has shape [1] but holds lists (lerobot reads shape [1] as a scalar column)`);
      const want = PARQUET_TYPE[features[k].dtype];
      const got = types.get(k);
      if (want && got && got !== want) problems.push(`${p}: column ${k} is parquet ${got}, but info.json says ${features[k].dtype} (parquet ${want})`);
    }
    rows = rows.concat(r);
  }
  rows.sort((a, b) => num(a.index) - num(b.index));
  if (rows.length !== num(info.total_frames)) problems.push(`data files hold ${rows.length} frames, info.json says ${String(info.total_frames)}`);
  rows.forEach((r, i) => {
    if (num(r.index) !== i) { problems.push(`data: index ${String(r.index)} at row ${i} (indices must be 0…N-1)`); return; }
    const ep = episodes[num(r.episode_index)];
    if (!ep) return;
    if (num(r.frame_index) !== i - num(ep.dataset_from_index)) problems.push(`data: row ${i} has frame_index ${String(r.frame_index)}`);
    if (Math.abs(num(r.timestamp) - num(r.frame_index) / fps) > 1e-4) problems.push(`data: row ${i} timestamp ${String(r.timestamp)} ≠ frame_index / fps`);
  });

  const statsBlob = files.get('meta/stats.json');
  let stats: Record<string, unknown> | null = null;
  if (!statsBlob) problems.push('meta/stats.json is missing');
  else {
    try {
      stats = JSON.parse(await statsBlob.text());
    } catch (e) {
      problems.push(`meta/stats.json is not valid JSON: ${errorMessage(e)}`);
    }
  }
  problems.push(...formatProblems(checkFeatureRules(features as Record<string, FeatureSpec>, stats, { fps, requireStateAndAction })));
  return problems.slice(0, 50);
}
