/**
 * Checks a LeRobot v3.0 folder against the layout the `lerobot` library reads: info.json fields,
 * every parquet file and column it promises, contiguous indices, episode ranges, video files and
 * stats. Parquet is read with hyparquet (pyarrow is not available on this machine). Used by the
 * tests on both our exports and the real fixture in ../shared/fixtures/lerobot-so101-v3.
 */
import { parquetReadObjects } from 'hyparquet';

export interface LayoutFiles {
  get(path: string): Blob | undefined;
  paths(): string[];
}

const num = (v: unknown) => Number(v);

async function read(files: LayoutFiles, path: string, problems: string[]): Promise<Record<string, unknown>[] | null> {
  const blob = files.get(path);
  if (!blob) { problems.push(`${path} is missing`); return null; }
  try {
    return await parquetReadObjects({ file: { byteLength: blob.size, slice: (s, e) => blob.slice(s, e).arrayBuffer() } });
  } catch (e) {
    problems.push(`${path} is not readable parquet: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

const fill = (template: string, v: Record<string, string | number>) =>
  template.replace(/\{(\w+)(?::0?(\d+)d)?\}/g, (_, k: string, w?: string) => (w ? String(v[k]).padStart(Number(w), '0') : String(v[k])));

/** Returns the problems found; an empty list means the layout is valid. */
export async function validateLeRobotLayout(files: LayoutFiles, { requireVideos = true } = {}): Promise<string[]> {
  const problems: string[] = [];
  const infoBlob = files.get('meta/info.json');
  if (!infoBlob) return ['meta/info.json is missing'];
  const info = JSON.parse(await infoBlob.text()) as Record<string, unknown> & { features: Record<string, { dtype: string; shape: number[] }> };
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
    for (const k of dataKeys) {
      const len = features[k].shape?.[0] ?? 1;
      if (len > 1 && r.some((row) => !Array.isArray(row[k]) || (row[k] as unknown[]).length !== len)) problems.push(`${p}: ${k} is not a list of ${len} values in every row`);
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
  if (!statsBlob) problems.push('meta/stats.json is missing');
  else {
    const stats = JSON.parse(await statsBlob.text()) as Record<string, Record<string, unknown>>;
    for (const k of Object.keys(features)) {
      if (!stats[k]) problems.push(`meta/stats.json has no stats for ${k}`);
      else for (const s of ['min', 'max', 'mean', 'std', 'count']) if (stats[k][s] === undefined) problems.push(`meta/stats.json: ${k} lacks ${s}`);
    }
  }
  return problems.slice(0, 50);
}
