/**
 * Where each episode lives: rows of which data file, which video file and time range per camera.
 * v3.0 keeps this in meta/episodes/*.parquet; v2.1 in meta/episodes.jsonl with one file per episode.
 */
import { formatTemplate, type LeRobotInfo, type ParseResult } from './info';

export interface EpisodeVideoRef {
  path: string;
  /** Start of this episode inside the (possibly concatenated) video file, seconds. */
  fromTimestamp: number;
  toTimestamp: number;
}

export interface EpisodeEntry {
  index: number;
  task: string;
  length: number;
  dataPath: string;
  /** Global frame index range [from, to) (v3 `dataset_from_index`); null for v2.1 (whole file). */
  rows: { from: number; to: number } | null;
  videos: Record<string, EpisodeVideoRef>;
}

const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : Number(v));

/** v3.0: rows of meta/episodes/*.parquet (only the columns named here are needed). */
export function episodesFromV3Rows(info: LeRobotInfo, rows: Record<string, unknown>[], tasksByIndex: Map<number, string>): ParseResult<EpisodeEntry[]> {
  const out: EpisodeEntry[] = [];
  for (const r of rows) {
    const index = num(r.episode_index);
    if (!Number.isInteger(index)) return { ok: false, error: 'meta/episodes: a row has no episode_index.' };
    const tasks = Array.isArray(r.tasks) ? (r.tasks as unknown[]).map(String) : [];
    const from = num(r.dataset_from_index), to = num(r.dataset_to_index);
    const length = num(r.length ?? to - from);
    if (!Number.isFinite(from) || !Number.isFinite(to)) return { ok: false, error: `meta/episodes: episode ${index} has no dataset_from_index/dataset_to_index.` };
    const videos: Record<string, EpisodeVideoRef> = {};
    for (const cam of info.cameras) {
      if (cam.storage !== 'video' || !info.videoPath) continue;
      const chunk = r[`videos/${cam.key}/chunk_index`], file = r[`videos/${cam.key}/file_index`];
      if (chunk === undefined || chunk === null) continue;
      videos[cam.key] = {
        path: formatTemplate(info.videoPath, { video_key: cam.key, chunk_index: num(chunk), file_index: num(file) }),
        fromTimestamp: num(r[`videos/${cam.key}/from_timestamp`] ?? 0),
        toTimestamp: num(r[`videos/${cam.key}/to_timestamp`] ?? length / info.fps),
      };
    }
    out.push({
      index,
      task: tasks[0] ?? tasksByIndex.get(0) ?? '',
      length,
      dataPath: formatTemplate(info.dataPath, { chunk_index: num(r['data/chunk_index'] ?? 0), file_index: num(r['data/file_index'] ?? 0) }),
      rows: { from, to },
      videos,
    });
  }
  return consistent(out, 'meta/episodes');
}

/**
 * An episode listed twice, or two episodes claiming the same rows of one data file, would import
 * frames twice (an episodes table listing episode 0 twice gave 130 frames from 100 rows): refused,
 * naming the inconsistency.
 */
function consistent(entries: EpisodeEntry[], where: string): ParseResult<EpisodeEntry[]> {
  entries.sort((a, b) => a.index - b.index);
  for (let i = 1; i < entries.length; i++) {
    const a = entries[i - 1], b = entries[i];
    if (a.index === b.index) return { ok: false, error: `${where} lists episode ${a.index} twice: the metadata is inconsistent. Download meta/ again (or remove the duplicate row).` };
  }
  const byFile = new Map<string, EpisodeEntry[]>();
  for (const e of entries) if (e.rows) byFile.set(e.dataPath, [...(byFile.get(e.dataPath) ?? []), e]);
  for (const list of byFile.values()) {
    list.sort((a, b) => a.rows!.from - b.rows!.from);
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1], b = list[i];
      if (b.rows!.from < a.rows!.to) return { ok: false, error: `${where}: episodes ${a.index} and ${b.index} both claim rows ${b.rows!.from}–${Math.min(a.rows!.to, b.rows!.to) - 1} of the data: the metadata is inconsistent. Download meta/ again.` };
    }
  }
  return { ok: true, value: entries };
}

/** Columns of meta/episodes/*.parquet the importer reads (the stats/* columns are skipped). */
export function v3EpisodeColumns(info: LeRobotInfo): string[] {
  const cols = ['episode_index', 'tasks', 'length', 'data/chunk_index', 'data/file_index', 'dataset_from_index', 'dataset_to_index'];
  for (const c of info.cameras) if (c.storage === 'video') cols.push(...['chunk_index', 'file_index', 'from_timestamp', 'to_timestamp'].map((s) => `videos/${c.key}/${s}`));
  return cols;
}

/** Task strings of meta/tasks.parquet (v3: the task is the pandas index column). */
export function tasksFromV3Rows(rows: Record<string, unknown>[]): Map<number, string> {
  const map = new Map<number, string>();
  for (const r of rows) {
    const task = r.task ?? r.__index_level_0__ ?? Object.values(r).find((v) => typeof v === 'string');
    map.set(num(r.task_index), String(task ?? ''));
  }
  return map;
}

function jsonLines(text: string, where: string): ParseResult<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      return { ok: false, error: `${where}, line ${i + 1}: not valid JSON.` };
    }
  }
  return { ok: true, value: out };
}

/** v2.1: meta/episodes.jsonl (+ tasks.jsonl for datasets that only list task indices). */
export function episodesFromV21(info: LeRobotInfo, episodesJsonl: string, tasksJsonl: string | null): ParseResult<EpisodeEntry[]> {
  const eps = jsonLines(episodesJsonl, 'meta/episodes.jsonl');
  if (!eps.ok) return eps;
  const tasks = new Map<number, string>();
  if (tasksJsonl) {
    const t = jsonLines(tasksJsonl, 'meta/tasks.jsonl');
    if (!t.ok) return t;
    for (const r of t.value) tasks.set(num(r.task_index), String(r.task ?? ''));
  }
  const out: EpisodeEntry[] = eps.value.map((r) => {
    const index = num(r.episode_index);
    const chunk = Math.floor(index / info.chunksSize);
    const length = num(r.length);
    const videos: Record<string, EpisodeVideoRef> = {};
    for (const cam of info.cameras) {
      if (cam.storage !== 'video' || !info.videoPath) continue;
      videos[cam.key] = { path: formatTemplate(info.videoPath, { episode_chunk: chunk, video_key: cam.key, episode_index: index }), fromTimestamp: 0, toTimestamp: length / info.fps };
    }
    const taskList = Array.isArray(r.tasks) ? (r.tasks as unknown[]).map(String) : [];
    return {
      index,
      task: taskList[0] ?? tasks.get(0) ?? '',
      length,
      dataPath: formatTemplate(info.dataPath, { episode_chunk: chunk, episode_index: index }),
      rows: null,
      videos,
    };
  });
  if (out.some((e) => !Number.isInteger(e.index) || !(e.length >= 0))) return { ok: false, error: 'meta/episodes.jsonl: every line needs episode_index and length.' };
  return consistent(out, 'meta/episodes.jsonl');
}
