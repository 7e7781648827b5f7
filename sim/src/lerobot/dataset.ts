/**
 * Writes a LeRobot v3.0 dataset the way the `lerobot` library lays it out (compare
 * ../shared/fixtures/lerobot-so101-v3): meta/info.json, meta/stats.json, meta/tasks.parquet (with the
 * pandas index), meta/episodes/chunk-000/file-000.parquet, data/chunk-000/file-000.parquet and one
 * concatenated H.264 video per camera. Camera calibration goes into info.json under PATH_STUDIO_KEY.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { episodeStatsColumns, listOf, tasksParquet, writeParquet, type Column, type SchemaElement } from '../../../src/formats/lerobot/parquetSchema.ts';
import { aggregateStats, computeStats, imageStats, nestImageStats, type FeatureStats } from './stats.ts';
import { Mp4Writer } from './video.ts';

/** Extension key in meta/info.json holding the calibration and per-episode provenance. */
export const PATH_STUDIO_KEY = 'path_studio';
const CREATED_BY = 'path-studio sim';
export const VIDEO_KEY = 'observation.images.front';
const DATA_FILE = 'data/chunk-000/file-000.parquet';
const EPISODES_FILE = 'meta/episodes/chunk-000/file-000.parquet';
const VIDEO_FILE = `videos/${VIDEO_KEY}/chunk-000/file-000.mp4`;

export interface DatasetConfig {
  fps: number;
  width: number;
  height: number;
  robotType: string;
  stateNames: string[];
  actionNames: string[];
  /** Intrinsics K (row-major 3×3), fixed for the dataset. */
  intrinsics: number[];
}

export interface EpisodeMeta {
  task: string;
  /** World (base_link) to camera (OpenCV optical frame) 4×4, row-major nested. */
  worldToCamera: number[][];
  /** Free-form provenance: seed, task kind, split, ... */
  info: Record<string, unknown>;
}

interface Frame { state: number[]; action: number[]; success: boolean }


const f32 = (v: number) => Math.fround(v);

export class LeRobotDatasetWriter {
  private readonly video: Mp4Writer;
  private readonly frames: (Frame & { episode: number; frameIndex: number; taskIndex: number })[] = [];
  private readonly episodes: { meta: EpisodeMeta; from: number; to: number; taskIndex: number; stats: Record<string, FeatureStats> }[] = [];
  private readonly tasks = new Map<string, number>();
  private current: { frames: Frame[]; rgb: Uint8Array[] } | null = null;

  constructor(readonly root: string, readonly config: DatasetConfig) {
    for (const dir of [DATA_FILE, EPISODES_FILE, VIDEO_FILE]) mkdirSync(dirname(join(root, dir)), { recursive: true });
    this.video = new Mp4Writer(join(root, VIDEO_FILE), config.width, config.height, config.fps);
  }

  beginEpisode(): void {
    this.current = { frames: [], rgb: [] };
  }

  async addFrame(rgb: Uint8Array, frame: Frame): Promise<void> {
    if (!this.current) throw new Error('addFrame before beginEpisode');
    this.current.frames.push(frame);
    // Keep a thinned copy for image stats; the video gets every frame.
    if (this.current.frames.length % 5 === 1) this.current.rgb.push(Uint8Array.from(rgb));
    await this.video.write(rgb);
  }

  endEpisode(meta: EpisodeMeta): void {
    const ep = this.current;
    if (!ep || ep.frames.length === 0) throw new Error('episode without frames');
    this.current = null;
    let taskIndex = this.tasks.get(meta.task);
    if (taskIndex === undefined) { taskIndex = this.tasks.size; this.tasks.set(meta.task, taskIndex); }
    const episode = this.episodes.length;
    const from = this.frames.length;
    ep.frames.forEach((fr, i) => this.frames.push({ ...fr, episode, frameIndex: i, taskIndex: taskIndex! }));
    const to = this.frames.length;
    const rows = this.frames.slice(from, to);
    const stats: Record<string, FeatureStats> = {
      action: computeStats(rows.map((r) => r.action.map(f32))),
      'observation.state': computeStats(rows.map((r) => r.state.map(f32))),
      [VIDEO_KEY]: imageStats(ep.rgb),
      timestamp: computeStats(rows.map((r) => [f32(r.frameIndex / this.config.fps)])),
      frame_index: computeStats(rows.map((r) => [r.frameIndex])),
      episode_index: computeStats(rows.map(() => [episode])),
      index: computeStats(rows.map((_, i) => [from + i])),
      task_index: computeStats(rows.map(() => [taskIndex!])),
      'next.success': computeStats(rows.map((r) => [r.success ? 1 : 0])),
    };
    this.episodes.push({ meta, from, to, taskIndex, stats });
  }

  get episodeCount(): number { return this.episodes.length; }

  async finish(): Promise<void> {
    await this.video.finish();
    this.writeData();
    this.writeEpisodes();
    this.writeTasks();
    const keys = Object.keys(this.episodes[0].stats);
    const stats: Record<string, unknown> = {};
    for (const key of keys) {
      const agg = aggregateStats(this.episodes.map((e) => e.stats[key]));
      stats[key] = key === VIDEO_KEY ? nestImageStats(agg) : agg;
    }
    writeFileSync(join(this.root, 'meta/stats.json'), JSON.stringify(stats, null, 4));
    writeFileSync(join(this.root, 'meta/info.json'), JSON.stringify(this.info(), null, 4));
  }

  private features(): Record<string, unknown> {
    const { width, height, fps, stateNames, actionNames } = this.config;
    const scalar = (dtype: string) => ({ dtype, shape: [1], names: null });
    return {
      action: { dtype: 'float32', names: actionNames, shape: [actionNames.length] },
      'observation.state': { dtype: 'float32', names: stateNames, shape: [stateNames.length] },
      [VIDEO_KEY]: {
        dtype: 'video', shape: [height, width, 3], names: ['height', 'width', 'channels'],
        info: {
          'video.height': height, 'video.width': width, 'video.codec': 'h264', 'video.pix_fmt': 'yuv420p',
          'video.is_depth_map': false, 'video.fps': fps, 'video.channels': 3, has_audio: false,
        },
      },
      timestamp: scalar('float32'),
      frame_index: scalar('int64'),
      episode_index: scalar('int64'),
      index: scalar('int64'),
      task_index: scalar('int64'),
      'next.success': scalar('bool'),
    };
  }

  private info(): Record<string, unknown> {
    const { fps, width, height, intrinsics: k } = this.config;
    const n = this.episodes.length;
    return {
      codebase_version: 'v3.0',
      robot_type: this.config.robotType,
      total_episodes: n,
      total_frames: this.frames.length,
      total_tasks: this.tasks.size,
      chunks_size: 1000,
      data_files_size_in_mb: 100,
      video_files_size_in_mb: 500,
      fps,
      splits: { train: `0:${n}` },
      data_path: 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet',
      video_path: 'videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4',
      features: this.features(),
      [PATH_STUDIO_KEY]: {
        version: 1,
        world_frame: 'base_link (robot base; z up; table top at z = 0)',
        state_ee_position: { feature: 'observation.state', indices: [0, 1, 2], frame: 'base_link', point: 'ee_link (gripper palm centre)' },
        cameras: {
          [VIDEO_KEY]: {
            model: 'pinhole', distortion: 'none', width, height,
            K: [[k[0], k[1], k[2]], [k[3], k[4], k[5]], [k[6], k[7], k[8]]],
            pixel_convention: 'OpenCV: u right, v down, pixel centres at integer coordinates ((0, 0) = centre of the top-left pixel)',
            camera_frame: 'OpenCV optical frame: x right, y down, z forward',
            extrinsics: 'world_to_camera: x_cam = T[:3,:3] @ x_world + T[:3,3]; row-major 4x4; world = base_link',
            world_to_camera_per_episode: this.episodes.map((e) => e.meta.worldToCamera),
          },
        },
        episodes: this.episodes.map((e, i) => ({ episode_index: i, task: e.meta.task, ...e.meta.info })),
      },
    };
  }

  private writeData(): void {
    const rows = this.frames;
    const fps = this.config.fps;
    const columns: Column[] = [
      { name: 'action', data: rows.map((r) => r.action.map(f32)) },
      { name: 'observation.state', data: rows.map((r) => r.state.map(f32)) },
      { name: 'timestamp', data: rows.map((r) => f32(r.frameIndex / fps)) },
      { name: 'frame_index', data: rows.map((r) => BigInt(r.frameIndex)) },
      { name: 'episode_index', data: rows.map((r) => BigInt(r.episode)) },
      { name: 'index', data: rows.map((_, i) => BigInt(i)) },
      { name: 'task_index', data: rows.map((r) => BigInt(r.taskIndex)) },
      { name: 'next.success', data: rows.map((r) => r.success) },
    ];
    const schema: SchemaElement[] = [
      { name: 'schema', num_children: columns.length },
      ...listOf('action', 'FLOAT'),
      ...listOf('observation.state', 'FLOAT'),
      { name: 'timestamp', type: 'FLOAT', repetition_type: 'OPTIONAL' },
      ...['frame_index', 'episode_index', 'index', 'task_index'].map((name) => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' })),
      { name: 'next.success', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
    ];
    const hfFeature = (dtype: string, length?: number) => (length ? { feature: { dtype, _type: 'Value' }, length, _type: 'List' } : { dtype, _type: 'Value' });
    const huggingface = {
      info: {
        features: {
          action: hfFeature('float32', this.config.actionNames.length),
          'observation.state': hfFeature('float32', this.config.stateNames.length),
          timestamp: hfFeature('float32'), frame_index: hfFeature('int64'), episode_index: hfFeature('int64'),
          index: hfFeature('int64'), task_index: hfFeature('int64'), 'next.success': hfFeature('bool'),
        },
      },
    };
    this.writeParquet(DATA_FILE, columns, schema, [{ key: 'huggingface', value: JSON.stringify(huggingface) }]);
  }

  private writeEpisodes(): void {
    const eps = this.episodes;
    const columns: Column[] = [
      { name: 'episode_index', data: eps.map((_, i) => BigInt(i)) },
      { name: 'tasks', data: eps.map((e) => [e.meta.task]) },
      { name: 'length', data: eps.map((e) => BigInt(e.to - e.from)) },
      { name: 'data/chunk_index', data: eps.map(() => 0n) },
      { name: 'data/file_index', data: eps.map(() => 0n) },
      { name: 'dataset_from_index', data: eps.map((e) => BigInt(e.from)) },
      { name: 'dataset_to_index', data: eps.map((e) => BigInt(e.to)) },
      { name: `videos/${VIDEO_KEY}/chunk_index`, data: eps.map(() => 0n) },
      { name: `videos/${VIDEO_KEY}/file_index`, data: eps.map(() => 0n) },
      { name: `videos/${VIDEO_KEY}/from_timestamp`, data: eps.map((e) => e.from / this.config.fps) },
      { name: `videos/${VIDEO_KEY}/to_timestamp`, data: eps.map((e) => e.to / this.config.fps) },
    ];
    const schema: SchemaElement[] = [
      { name: 'episode_index', type: 'INT64', repetition_type: 'OPTIONAL' },
      ...listOf('tasks', 'STRING'),
      ...['length', 'data/chunk_index', 'data/file_index', 'dataset_from_index', 'dataset_to_index', `videos/${VIDEO_KEY}/chunk_index`, `videos/${VIDEO_KEY}/file_index`]
        .map((name) => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' })),
      { name: `videos/${VIDEO_KEY}/from_timestamp`, type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: `videos/${VIDEO_KEY}/to_timestamp`, type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    ];
    // stats/<feature>/<stat> columns, as lerobot writes them.
    const stats = episodeStatsColumns(eps.map((e) => e.stats), (key) => key === VIDEO_KEY, (key) => ['frame_index', 'episode_index', 'index', 'task_index'].includes(key));
    columns.push(...stats.columns);
    schema.push(...stats.schema);
    columns.push({ name: 'meta/episodes/chunk_index', data: eps.map(() => 0n) }, { name: 'meta/episodes/file_index', data: eps.map(() => 0n) });
    schema.push({ name: 'meta/episodes/chunk_index', type: 'INT64', repetition_type: 'OPTIONAL' }, { name: 'meta/episodes/file_index', type: 'INT64', repetition_type: 'OPTIONAL' });
    this.writeParquet(EPISODES_FILE, columns, [{ name: 'schema', num_children: columns.length }, ...schema]);
  }

  private writeTasks(): void {
    this.writeFile('meta/tasks.parquet', tasksParquet(this.tasks, CREATED_BY));
  }

  private writeParquet(path: string, columnData: Column[], schema: SchemaElement[], kvMetadata?: { key: string; value: string }[]): void {
    this.writeFile(path, writeParquet(columnData, schema, CREATED_BY, kvMetadata));
  }

  private writeFile(path: string, bytes: Uint8Array): void {
    writeFileSync(join(this.root, path), bytes);
  }
}
