/**
 * The project's one LeRobot v3.0 writer, laid out as the `lerobot` library writes it (compare
 * ../shared/fixtures/lerobot-so101-v3): meta/info.json, meta/stats.json, meta/tasks.parquet (task
 * string as the pandas index), meta/episodes/chunk-XXX/file-XXX.parquet (with stats/* columns),
 * data/chunk-XXX/file-XXX.parquet (with lerobot's `huggingface` metadata) and
 * videos/<key>/chunk-XXX/file-XXX.mp4. The studio's export (layout.ts) and the simulator's
 * generator (sim/src/lerobot/dataset.ts) both write through it; each adds its own per-frame
 * features, video keys and info.json extension key.
 *
 * Pure (no DOM, no storage, no file system): callers feed it episodes and video facts and get file
 * bytes back. Episodes are grouped into "file groups": group g is data file g and video file g of
 * every video key, so a caller can close a group (write its parquet and videos) and free its memory.
 */
import { episodeStatsColumns, listOf, tasksParquet, writeParquet, type Column, type SchemaElement } from './parquetSchema';
import { aggregateStats, computeStats, nestImageStats, type FeatureStats } from './stats';

export const CHUNKS_SIZE = 1000;

export const groupLocation = (group: number) => ({ chunk: Math.floor(group / CHUNKS_SIZE), file: group % CHUNKS_SIZE });
const pad3 = (n: number) => String(n).padStart(3, '0');
export const dataPath = (group: number) => { const { chunk, file } = groupLocation(group); return `data/chunk-${pad3(chunk)}/file-${pad3(file)}.parquet`; };
export const videoPath = (key: string, group: number) => { const { chunk, file } = groupLocation(group); return `videos/${key}/chunk-${pad3(chunk)}/file-${pad3(file)}.mp4`; };
export const EPISODES_PATH = 'meta/episodes/chunk-000/file-000.parquet';

/**
 * A per-frame feature beyond `action`, `observation.state` and lerobot's index columns. Shape [1]
 * is a scalar column, [n] a list column. `observation.*` features sit after observation.state;
 * the others (`next.success`) after the index columns, where lerobot's own datasets have them.
 */
export interface FrameFeature {
  key: string;
  dtype: 'float32' | 'bool';
  shape: [number];
  names: string[] | null;
}

export interface LeRobotV3Config {
  fps: number;
  robotType: string;
  stateNames: string[];
  actionNames: string[];
  width: number;
  height: number;
  /** The video features, in info.json's order. */
  videoKeys: string[];
  /** `h264` normally (info.json's `video.codec`). */
  videoCodec: string;
  frameFeatures: FrameFeature[];
  /** The parquet files' `created_by`. */
  createdBy: string;
}

/** A frame's value of a FrameFeature: a vector for a list column, a number (float32) or boolean (bool) for a scalar. */
export type FrameValue = ArrayLike<number> | number | boolean;

export interface LeRobotV3Episode {
  task: string;
  states: ArrayLike<number>[];
  actions: ArrayLike<number>[];
  /** Per frame feature key, one value per frame. */
  features: Record<string, readonly FrameValue[]>;
  /** Image stats of each video key (stats.ts imageStats). */
  videoStats: Record<string, FeatureStats>;
  /** Start time of the episode inside its video files, seconds. */
  videoFrom: number;
  /** What the caller's info.json extension lists for the episode (`episodeProvenance`). */
  provenance: Record<string, unknown>;
}

interface EpisodeMeta {
  index: number;
  task: string;
  taskIndex: number;
  group: number;
  from: number;
  to: number;
  videoFrom: number;
  stats: Record<string, FeatureStats>;
  provenance: Record<string, unknown>;
}

interface Row {
  state: ArrayLike<number>;
  action: ArrayLike<number>;
  features: FrameValue[];
  frame: number;
  episode: number;
  index: number;
  task: number;
}

type Entry = { path: string; data: Uint8Array };

const f32 = Math.fround;
const INDEX_COLUMNS = ['frame_index', 'episode_index', 'index', 'task_index'] as const;
const isObservation = (f: FrameFeature) => f.key.startsWith('observation.');
const isScalar = (f: FrameFeature) => f.shape[0] === 1;
/** A frame value as a stats row (bools as 0/1, as lerobot computes them). */
const statsRow = (v: FrameValue): ArrayLike<number> => (typeof v === 'boolean' ? [v ? 1 : 0] : typeof v === 'number' ? [f32(v)] : Array.from(v, f32));
/** The `datasets` feature lerobot stores in the data parquet's `huggingface` metadata. */
const hfFeature = (dtype: string, length?: number) => (length ? { feature: { dtype, _type: 'Value' }, length, _type: 'List' } : { dtype, _type: 'Value' });

export class LeRobotV3Writer {
  private readonly episodes: EpisodeMeta[] = [];
  private readonly tasks = new Map<string, number>();
  private group = 0;
  private rows: Row[] = [];
  private totalFrames = 0;
  /** Pixel format of each video key, read from the written streams (info.json's video.pix_fmt). */
  private readonly pixFmt = new Map<string, string>();
  /** Frame features in column order: observations, then the others. */
  private readonly leading: FrameFeature[];
  private readonly trailing: FrameFeature[];

  constructor(readonly config: LeRobotV3Config) {
    this.leading = config.frameFeatures.filter(isObservation);
    this.trailing = config.frameFeatures.filter((f) => !isObservation(f));
  }

  /**
   * Records the pixel format found in a written video file of `key` (as ffprobe names it). Every
   * file of a key must agree: info.json has one `video.pix_fmt` per feature.
   */
  recordVideo(key: string, pixFmt: string): void {
    const known = this.pixFmt.get(key);
    if (known && known !== pixFmt) throw new Error(`The video files of ${key} came out in two pixel formats (${known}, ${pixFmt}); a LeRobot feature has one. Export again, or export fewer episodes at a time.`);
    this.pixFmt.set(key, pixFmt);
  }

  get currentGroup(): number { return this.group; }
  get episodeCount(): number { return this.episodes.length; }
  get frameCount(): number { return this.totalFrames; }

  addEpisode(ep: LeRobotV3Episode): void {
    const length = ep.states.length;
    if (!length) throw new Error('an episode needs at least one frame');
    for (const f of this.config.frameFeatures) if (ep.features[f.key]?.length !== length) throw new Error(`feature ${f.key} needs one value per frame`);
    for (const key of this.config.videoKeys) if (!ep.videoStats[key]) throw new Error(`no image stats for ${key}`);
    let taskIndex = this.tasks.get(ep.task);
    if (taskIndex === undefined) { taskIndex = this.tasks.size; this.tasks.set(ep.task, taskIndex); }
    const index = this.episodes.length;
    const from = this.totalFrames;
    const features = this.config.frameFeatures;
    for (let i = 0; i < length; i++) {
      this.rows.push({ state: ep.states[i], action: ep.actions[i], features: features.map((f) => ep.features[f.key][i]), frame: i, episode: index, index: from + i, task: taskIndex });
    }
    this.totalFrames += length;
    const frames = Array.from({ length }, (_, i) => i);
    const { fps, videoKeys } = this.config;
    const featureStats = (list: FrameFeature[]) => Object.fromEntries(list.map((f) => [f.key, computeStats(ep.features[f.key].map(statsRow))]));
    this.episodes.push({
      index, task: ep.task, taskIndex, group: this.group, from, to: from + length, videoFrom: ep.videoFrom, provenance: ep.provenance,
      // Keys in info.json's feature order.
      stats: {
        action: computeStats(ep.actions.map((a) => Array.from(a, f32))),
        'observation.state': computeStats(ep.states.map((s) => Array.from(s, f32))),
        ...featureStats(this.leading),
        ...Object.fromEntries(videoKeys.map((key) => [key, ep.videoStats[key]])),
        timestamp: computeStats(frames.map((i) => [f32(i / fps)])),
        frame_index: computeStats(frames.map((i) => [i])),
        episode_index: computeStats(frames.map(() => [index])),
        index: computeStats(frames.map((i) => [from + i])),
        task_index: computeStats(frames.map(() => [taskIndex!])),
        ...featureStats(this.trailing),
      },
    });
  }

  /** Writes the current group's data parquet and starts the next group. Null when it is empty. */
  closeGroup(): Entry | null {
    if (!this.rows.length) return null;
    const rows = this.rows;
    const { fps, frameFeatures } = this.config;
    const featureColumn = (f: FrameFeature): Column => {
      const k = frameFeatures.indexOf(f);
      const value = f.dtype === 'bool' ? (v: FrameValue) => Boolean(v) : isScalar(f) ? (v: FrameValue) => f32(Number(v)) : (v: FrameValue) => Array.from(v as ArrayLike<number>, f32);
      return { name: f.key, data: rows.map((r) => value(r.features[k])) };
    };
    const featureSchema = (f: FrameFeature): SchemaElement[] =>
      isScalar(f) ? [{ name: f.key, type: f.dtype === 'bool' ? 'BOOLEAN' : 'FLOAT', repetition_type: 'OPTIONAL' }] : listOf(f.key, 'FLOAT');
    const featureHf = (f: FrameFeature) => [f.key, hfFeature(f.dtype, isScalar(f) ? undefined : f.shape[0])];
    const columns: Column[] = [
      { name: 'action', data: rows.map((r) => Array.from(r.action, f32)) },
      { name: 'observation.state', data: rows.map((r) => Array.from(r.state, f32)) },
      ...this.leading.map(featureColumn),
      { name: 'timestamp', data: rows.map((r) => f32(r.frame / fps)) },
      { name: 'frame_index', data: rows.map((r) => BigInt(r.frame)) },
      { name: 'episode_index', data: rows.map((r) => BigInt(r.episode)) },
      { name: 'index', data: rows.map((r) => BigInt(r.index)) },
      { name: 'task_index', data: rows.map((r) => BigInt(r.task)) },
      ...this.trailing.map(featureColumn),
    ];
    const schema: SchemaElement[] = [
      { name: 'schema', num_children: columns.length },
      ...listOf('action', 'FLOAT'),
      ...listOf('observation.state', 'FLOAT'),
      ...this.leading.flatMap(featureSchema),
      { name: 'timestamp', type: 'FLOAT', repetition_type: 'OPTIONAL' },
      ...INDEX_COLUMNS.map((name) => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' })),
      ...this.trailing.flatMap(featureSchema),
    ];
    const huggingface = {
      info: {
        features: {
          action: hfFeature('float32', this.config.actionNames.length),
          'observation.state': hfFeature('float32', this.config.stateNames.length),
          ...Object.fromEntries(this.leading.map(featureHf)),
          timestamp: hfFeature('float32'), frame_index: hfFeature('int64'), episode_index: hfFeature('int64'), index: hfFeature('int64'), task_index: hfFeature('int64'),
          ...Object.fromEntries(this.trailing.map(featureHf)),
        },
      },
    };
    const entry = { path: dataPath(this.group), data: writeParquet(columns, schema, this.config.createdBy, [{ key: 'huggingface', value: JSON.stringify(huggingface) }]) };
    this.rows = [];
    this.group++;
    return entry;
  }

  /** Each episode as the callers' info.json extensions list it: `{episode_index, task, ...provenance}`. */
  episodeProvenance(): Record<string, unknown>[] {
    return this.episodes.map((e) => ({ episode_index: e.index, task: e.task, ...e.provenance }));
  }

  /**
   * meta/info.json (with `extensions`, the caller's own top-level keys, which lerobot ignores),
   * meta/stats.json, meta/tasks.parquet and meta/episodes. Call after the last group is closed.
   */
  metaEntries(extensions: Record<string, unknown>): Entry[] {
    if (this.rows.length) throw new Error('close the last group first');
    if (!this.episodes.length) throw new Error('no episodes to write');
    const enc = new TextEncoder();
    const keys = Object.keys(this.episodes[0].stats);
    const stats: Record<string, unknown> = {};
    for (const key of keys) {
      const agg = aggregateStats(this.episodes.map((e) => e.stats[key]));
      stats[key] = this.isVideo(key) ? nestImageStats(agg) : agg;
    }
    return [
      { path: 'meta/info.json', data: enc.encode(JSON.stringify(this.info(extensions), null, 4)) },
      { path: 'meta/stats.json', data: enc.encode(JSON.stringify(stats, null, 4)) },
      { path: 'meta/tasks.parquet', data: tasksParquet(this.tasks, this.config.createdBy) },
      { path: EPISODES_PATH, data: this.episodesParquet() },
    ];
  }

  private isVideo(key: string): boolean {
    return this.config.videoKeys.includes(key);
  }

  features(): Record<string, unknown> {
    const { width, height, fps, stateNames, actionNames, videoKeys, videoCodec } = this.config;
    const scalar = (dtype: string) => ({ dtype, shape: [1], names: null });
    const feature = (f: FrameFeature) => [f.key, isScalar(f) ? { dtype: f.dtype, shape: f.shape, names: f.names } : { dtype: f.dtype, names: f.names, shape: f.shape }];
    const video = (key: string) => {
      const pixFmt = this.pixFmt.get(key);
      if (!pixFmt) throw new Error(`no video file of ${key} was recorded (recordVideo) before the metadata`);
      return [key, {
        dtype: 'video', shape: [height, width, 3], names: ['height', 'width', 'channels'],
        info: { 'video.height': height, 'video.width': width, 'video.codec': videoCodec, 'video.pix_fmt': pixFmt, 'video.is_depth_map': false, 'video.fps': fps, 'video.channels': 3, has_audio: false },
      }];
    };
    return {
      action: { dtype: 'float32', names: actionNames, shape: [actionNames.length] },
      'observation.state': { dtype: 'float32', names: stateNames, shape: [stateNames.length] },
      ...Object.fromEntries(this.leading.map(feature)),
      ...Object.fromEntries(videoKeys.map(video)),
      timestamp: scalar('float32'),
      frame_index: scalar('int64'),
      episode_index: scalar('int64'),
      index: scalar('int64'),
      task_index: scalar('int64'),
      ...Object.fromEntries(this.trailing.map(feature)),
    };
  }

  info(extensions: Record<string, unknown>): Record<string, unknown> {
    const n = this.episodes.length;
    return {
      codebase_version: 'v3.0',
      robot_type: this.config.robotType,
      total_episodes: n,
      total_frames: this.totalFrames,
      total_tasks: this.tasks.size,
      chunks_size: CHUNKS_SIZE,
      data_files_size_in_mb: 100,
      video_files_size_in_mb: 500,
      fps: this.config.fps,
      splits: { train: `0:${n}` },
      data_path: 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet',
      video_path: 'videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4',
      features: this.features(),
      ...extensions,
    };
  }

  private episodesParquet(): Uint8Array {
    const eps = this.episodes;
    const fps = this.config.fps;
    const int = (name: string) => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' });
    const columns: Column[] = [
      { name: 'episode_index', data: eps.map((e) => BigInt(e.index)) },
      { name: 'tasks', data: eps.map((e) => [e.task]) },
      { name: 'length', data: eps.map((e) => BigInt(e.to - e.from)) },
      { name: 'data/chunk_index', data: eps.map((e) => BigInt(groupLocation(e.group).chunk)) },
      { name: 'data/file_index', data: eps.map((e) => BigInt(groupLocation(e.group).file)) },
      { name: 'dataset_from_index', data: eps.map((e) => BigInt(e.from)) },
      { name: 'dataset_to_index', data: eps.map((e) => BigInt(e.to)) },
    ];
    const schema: SchemaElement[] = [int('episode_index'), ...listOf('tasks', 'STRING'), ...['length', 'data/chunk_index', 'data/file_index', 'dataset_from_index', 'dataset_to_index'].map(int)];
    for (const key of this.config.videoKeys) {
      columns.push(
        { name: `videos/${key}/chunk_index`, data: eps.map((e) => BigInt(groupLocation(e.group).chunk)) },
        { name: `videos/${key}/file_index`, data: eps.map((e) => BigInt(groupLocation(e.group).file)) },
        { name: `videos/${key}/from_timestamp`, data: eps.map((e) => e.videoFrom) },
        // The start plus the episode's duration, as lerobot computes it.
        { name: `videos/${key}/to_timestamp`, data: eps.map((e) => e.videoFrom + (e.to - e.from) / fps) },
      );
      schema.push(int(`videos/${key}/chunk_index`), int(`videos/${key}/file_index`),
        { name: `videos/${key}/from_timestamp`, type: 'DOUBLE', repetition_type: 'OPTIONAL' },
        { name: `videos/${key}/to_timestamp`, type: 'DOUBLE', repetition_type: 'OPTIONAL' });
    }
    const stats = episodeStatsColumns(eps.map((e) => e.stats), (key) => this.isVideo(key), (key) => (INDEX_COLUMNS as readonly string[]).includes(key));
    columns.push(...stats.columns);
    schema.push(...stats.schema);
    columns.push({ name: 'meta/episodes/chunk_index', data: eps.map(() => 0n) }, { name: 'meta/episodes/file_index', data: eps.map(() => 0n) });
    schema.push(int('meta/episodes/chunk_index'), int('meta/episodes/file_index'));
    return writeParquet(columns, [{ name: 'schema', num_children: columns.length }, ...schema], this.config.createdBy);
  }
}
