/**
 * LeRobot v3.0 layout and metadata, as the `lerobot` library writes it (compare
 * ../shared/fixtures/lerobot-so101-v3 and the simulator's writer, sim/src/lerobot/dataset.ts, whose
 * conventions this follows): meta/info.json, meta/stats.json, meta/tasks.parquet (task string as
 * the pandas index), meta/episodes/chunk-XXX/file-XXX.parquet (with stats/* columns),
 * data/chunk-XXX/file-XXX.parquet and videos/<key>/chunk-XXX/file-XXX.mp4.
 *
 * Pure (no DOM, no storage): the exporter feeds it frame rows and video facts and gets file bytes
 * back. Episodes are grouped into "file groups": group g is data file g and video file g of every
 * camera, so the exporter can close a group (write its parquet and videos) and free its memory.
 */
import { PATH_FEATURE, PATH_POINTS, PATH_VALID_FEATURE, PATH_VALID_NAME, pathFeatureNames } from './pathFeature';
import { episodeStatsColumns, listOf, tasksParquet, writeParquet, type Column, type SchemaElement } from './parquetSchema';
import { aggregateStats, computeStats, nestImageStats, type FeatureStats } from './stats';

const CREATED_BY = 'path-studio exporter';

export const CHUNKS_SIZE = 1000;
/**
 * Extension key in info.json (lerobot ignores unknown keys). Not the simulator's `path_studio` key:
 * that one promises a camera calibration (K + per-episode extrinsics) which exported episodes
 * carry only as a 3×4 projection, if at all.
 */
export const EXPORT_KEY = 'path_studio_export';

export const groupLocation = (group: number) => ({ chunk: Math.floor(group / CHUNKS_SIZE), file: group % CHUNKS_SIZE });
const pad3 = (n: number) => String(n).padStart(3, '0');
export const dataPath = (group: number) => { const { chunk, file } = groupLocation(group); return `data/chunk-${pad3(chunk)}/file-${pad3(file)}.parquet`; };
export const videoPath = (key: string, group: number) => { const { chunk, file } = groupLocation(group); return `videos/${key}/chunk-${pad3(chunk)}/file-${pad3(file)}.mp4`; };
export const EPISODES_PATH = 'meta/episodes/chunk-000/file-000.parquet';

export interface LeRobotConfig {
  fps: number;
  robotType: string;
  stateNames: string[];
  actionNames: string[];
  width: number;
  height: number;
  /** The camera video and the path-overlay video keys, e.g. observation.images.front and observation.images.front_path_overlay. */
  cameraKey: string;
  overlayKey: string;
  /** `h264` (`avc1`) normally; another codec only where the browser cannot encode H.264. */
  videoCodec: string;
  source: Record<string, unknown>;
}

export interface EpisodeRows {
  task: string;
  states: ArrayLike<number>[];
  actions: ArrayLike<number>[];
  paths: Float32Array[];
  pathValid: boolean[];
  /** A few RGBA frames of each video for image stats. */
  cameraSample: Uint8Array[];
  overlaySample: Uint8Array[];
  /** Start time of the episode inside its video file, seconds. */
  videoFrom: number;
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

type Entry = { path: string; data: Uint8Array };

const f32 = Math.fround;
const INDEX_COLUMNS = ['frame_index', 'episode_index', 'index', 'task_index'] as const;

export class LeRobotLayout {
  private readonly episodes: EpisodeMeta[] = [];
  private readonly tasks = new Map<string, number>();
  private group = 0;
  private rows: { state: ArrayLike<number>; action: ArrayLike<number>; path: Float32Array; valid: boolean; frame: number; episode: number; index: number; task: number }[] = [];
  private totalFrames = 0;
  /** Pixel format of each video key, read from the written streams (info.json's video.pix_fmt). */
  private readonly pixFmt = new Map<string, string>();

  constructor(readonly config: LeRobotConfig) {}

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

  addEpisode(ep: EpisodeRows): void {
    const length = ep.states.length;
    if (!length) throw new Error('an episode needs at least one frame');
    let taskIndex = this.tasks.get(ep.task);
    if (taskIndex === undefined) { taskIndex = this.tasks.size; this.tasks.set(ep.task, taskIndex); }
    const index = this.episodes.length;
    const from = this.totalFrames;
    for (let i = 0; i < length; i++) {
      this.rows.push({ state: ep.states[i], action: ep.actions[i], path: ep.paths[i], valid: ep.pathValid[i], frame: i, episode: index, index: from + i, task: taskIndex });
    }
    this.totalFrames += length;
    const frames = Array.from({ length }, (_, i) => i);
    const { fps, cameraKey, overlayKey } = this.config;
    this.episodes.push({
      index, task: ep.task, taskIndex, group: this.group, from, to: from + length, videoFrom: ep.videoFrom, provenance: ep.provenance,
      stats: {
        action: computeStats(ep.actions.map((a) => Array.from(a, f32))),
        'observation.state': computeStats(ep.states.map((s) => Array.from(s, f32))),
        [PATH_FEATURE]: computeStats(ep.paths),
        [PATH_VALID_FEATURE]: computeStats(ep.pathValid.map((v) => [v ? 1 : 0])),
        [cameraKey]: imageStatsOf(ep.cameraSample, length),
        [overlayKey]: imageStatsOf(ep.overlaySample, length),
        timestamp: computeStats(frames.map((i) => [f32(i / fps)])),
        frame_index: computeStats(frames.map((i) => [i])),
        episode_index: computeStats(frames.map(() => [index])),
        index: computeStats(frames.map((i) => [from + i])),
        task_index: computeStats(frames.map(() => [taskIndex!])),
      },
    });
  }

  /** Writes the current group's data parquet and starts the next group. Null when it is empty. */
  closeGroup(): Entry | null {
    if (!this.rows.length) return null;
    const rows = this.rows;
    const fps = this.config.fps;
    const columns: Column[] = [
      { name: 'action', data: rows.map((r) => Array.from(r.action, f32)) },
      { name: 'observation.state', data: rows.map((r) => Array.from(r.state, f32)) },
      { name: PATH_FEATURE, data: rows.map((r) => Array.from(r.path)) },
      { name: PATH_VALID_FEATURE, data: rows.map((r) => (r.valid ? 1 : 0)) },
      { name: 'timestamp', data: rows.map((r) => f32(r.frame / fps)) },
      { name: 'frame_index', data: rows.map((r) => BigInt(r.frame)) },
      { name: 'episode_index', data: rows.map((r) => BigInt(r.episode)) },
      { name: 'index', data: rows.map((r) => BigInt(r.index)) },
      { name: 'task_index', data: rows.map((r) => BigInt(r.task)) },
    ];
    const schema: SchemaElement[] = [
      { name: 'schema', num_children: columns.length },
      ...listOf('action', 'FLOAT'),
      ...listOf('observation.state', 'FLOAT'),
      ...listOf(PATH_FEATURE, 'FLOAT'),
      { name: PATH_VALID_FEATURE, type: 'FLOAT', repetition_type: 'OPTIONAL' },
      { name: 'timestamp', type: 'FLOAT', repetition_type: 'OPTIONAL' },
      ...INDEX_COLUMNS.map((name) => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' })),
    ];
    const hf = (dtype: string, length?: number) => (length ? { feature: { dtype, _type: 'Value' }, length, _type: 'List' } : { dtype, _type: 'Value' });
    const huggingface = {
      info: {
        features: {
          action: hf('float32', this.config.actionNames.length),
          'observation.state': hf('float32', this.config.stateNames.length),
          [PATH_FEATURE]: hf('float32', PATH_POINTS * 3),
          [PATH_VALID_FEATURE]: hf('float32'),
          timestamp: hf('float32'), frame_index: hf('int64'), episode_index: hf('int64'), index: hf('int64'), task_index: hf('int64'),
        },
      },
    };
    const entry = { path: dataPath(this.group), data: writeParquet(columns, schema, CREATED_BY, [{ key: 'huggingface', value: JSON.stringify(huggingface) }]) };
    this.rows = [];
    this.group++;
    return entry;
  }

  /** meta/info.json, meta/stats.json, meta/tasks.parquet and meta/episodes (call after the last group is closed). */
  metaEntries(): Entry[] {
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
      { path: 'meta/info.json', data: enc.encode(JSON.stringify(this.info(), null, 4)) },
      { path: 'meta/stats.json', data: enc.encode(JSON.stringify(stats, null, 4)) },
      { path: 'meta/tasks.parquet', data: this.tasksParquet() },
      { path: EPISODES_PATH, data: this.episodesParquet() },
    ];
  }

  private isVideo(key: string): boolean {
    return key === this.config.cameraKey || key === this.config.overlayKey;
  }

  features(): Record<string, unknown> {
    const { width, height, fps, stateNames, actionNames, cameraKey, overlayKey, videoCodec } = this.config;
    const scalar = (dtype: string) => ({ dtype, shape: [1], names: null });
    const video = (key: string) => {
      const pixFmt = this.pixFmt.get(key);
      if (!pixFmt) throw new Error(`no video file of ${key} was recorded (recordVideo) before the metadata`);
      return {
        dtype: 'video', shape: [height, width, 3], names: ['height', 'width', 'channels'],
        info: { 'video.height': height, 'video.width': width, 'video.codec': videoCodec, 'video.pix_fmt': pixFmt, 'video.is_depth_map': false, 'video.fps': fps, 'video.channels': 3, has_audio: false },
      };
    };
    return {
      action: { dtype: 'float32', names: actionNames, shape: [actionNames.length] },
      'observation.state': { dtype: 'float32', names: stateNames, shape: [stateNames.length] },
      [PATH_FEATURE]: { dtype: 'float32', names: pathFeatureNames(), shape: [PATH_POINTS * 3] },
      // float32, not bool: lerobot normalizes every observation.* feature (src/formats/lerobot/featureRules.ts).
      [PATH_VALID_FEATURE]: { dtype: 'float32', shape: [1], names: [PATH_VALID_NAME] },
      [cameraKey]: video(cameraKey),
      [overlayKey]: video(overlayKey),
      timestamp: scalar('float32'),
      frame_index: scalar('int64'),
      episode_index: scalar('int64'),
      index: scalar('int64'),
      task_index: scalar('int64'),
    };
  }

  info(): Record<string, unknown> {
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
      [EXPORT_KEY]: {
        version: 1,
        exported_by: 'Path Studio',
        source: this.config.source,
        path_feature: {
          feature: PATH_FEATURE,
          points: PATH_POINTS,
          layout: '[x0, y0, closed0, x1, y1, closed1, …]: the path of the segment the frame belongs to, resampled by arc length; x, y in [0, 1] of the image (origin top-left, y down); closed = 1 where the gripper is closed after the waypoint',
          valid_feature: PATH_VALID_FEATURE,
        },
        path_overlay_video: {
          feature: this.config.overlayKey,
          of: this.config.cameraKey,
          drawing: 'HAMSTER overlay (jet-coloured polyline, gripper-change circles) drawn on each camera frame with the frame\'s segment path; frames without a path are the plain camera frame',
        },
        episodes: this.episodes.map((e) => ({ episode_index: e.index, task: e.task, ...e.provenance })),
      },
    };
  }

  private tasksParquet(): Uint8Array {
    return tasksParquet(this.tasks, CREATED_BY);
  }

  private episodesParquet(): Uint8Array {
    const eps = this.episodes;
    const fps = this.config.fps;
    const videoKeys = [this.config.cameraKey, this.config.overlayKey];
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
    for (const key of videoKeys) {
      columns.push(
        { name: `videos/${key}/chunk_index`, data: eps.map((e) => BigInt(groupLocation(e.group).chunk)) },
        { name: `videos/${key}/file_index`, data: eps.map((e) => BigInt(groupLocation(e.group).file)) },
        { name: `videos/${key}/from_timestamp`, data: eps.map((e) => e.videoFrom) },
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
    return writeParquet(columns, [{ name: 'schema', num_children: columns.length }, ...schema], CREATED_BY);
  }
}

function imageStatsOf(sample: Uint8Array[], frames: number): FeatureStats {
  const rows: number[][] = [];
  for (const f of sample) for (let i = 0; i + 2 < f.length; i += 4 * 7) rows.push([f[i] / 255, f[i + 1] / 255, f[i + 2] / 255]);
  const s = computeStats(rows.length ? rows : [[0, 0, 0]]);
  s.count = [frames];
  return s;
}

