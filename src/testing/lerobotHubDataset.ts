/**
 * Writes small LeRobot v2.x datasets shaped like real downloads from the hub, for unit and browser
 * tests (Node only): parquet through hyparquet-writer, H.264 videos through ffmpeg, meta/ as
 * LeRobot writes it. Options make the shapes the importer must survive: a partial download, nested
 * or dict `names`, non-standard keys (`state`, `actions`), a video folder that does not match
 * `video_path`, a missing video.
 *
 * The end effector moves on the plane z = 1 m in front of a camera at the origin looking along +z
 * (OpenCV axes, f = 40 px), stored in the simulator's `path_studio` block so an import needs no clicks.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface HubDatasetOptions {
  version?: 'v2.0' | 'v2.1';
  /** Episodes listed in meta/episodes.jsonl. */
  listed?: number;
  /** Episodes whose data file is written (default: all). */
  present?: number[];
  /** Episodes whose video is written (default: all present). */
  withVideo?: number[];
  stateKey?: string;
  actionKey?: string;
  /** How the state names are written. */
  names?: 'flat' | 'nested' | 'dict' | 'null';
  /** Folder the videos are written to (info.json always says `videos/`). */
  videoFolder?: string;
  /** An extra numeric column with a name the importer does not know. */
  extraColumn?: string;
  frames?: number;
  fps?: number;
  /** Write path_studio calibration (needed for an import without clicks). */
  calibration?: boolean;
}

export const HUB_CAMERA = 'observation.images.cam_high';
export const HUB_WIDTH = 64;
export const HUB_HEIGHT = 48;
export const HUB_STATE_NAMES = ['ee_x', 'ee_y', 'ee_z', 'gripper'];
export const HUB_ACTION_NAMES = ['vx', 'vy', 'vz', 'grip'];
const F = 40;

/** End-effector position of frame i of an episode (metres, on z = 1). */
export function hubEe(episode: number, i: number, n: number): [number, number, number] {
  const t = i / Math.max(1, n - 1);
  return [-0.3 + 0.6 * t, -0.2 + 0.1 * episode + 0.2 * t, 1];
}

/** The pixel of a world point for this dataset's camera (written out here, independent of the studio). */
export function hubPixel(p: readonly number[]): { u: number; v: number } {
  return { u: (F * p[0]) / p[2] + (HUB_WIDTH - 1) / 2, v: (F * p[1]) / p[2] + (HUB_HEIGHT - 1) / 2 };
}

function namesValue(names: string[], shape: HubDatasetOptions['names']): unknown {
  if (shape === 'nested') return [names];
  if (shape === 'dict') return { motors: names };
  if (shape === 'null') return null;
  return names;
}

export async function writeHubDataset(dir: string, opts: HubDatasetOptions = {}): Promise<void> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const version = opts.version ?? 'v2.1';
  const listed = opts.listed ?? 3;
  const present = opts.present ?? Array.from({ length: listed }, (_, i) => i);
  const withVideo = opts.withVideo ?? present;
  const stateKey = opts.stateKey ?? 'observation.state';
  const actionKey = opts.actionKey ?? 'action';
  const n = opts.frames ?? 12;
  const fps = opts.fps ?? 10;
  const videoPath = 'videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4';
  const features: Record<string, unknown> = {
    [HUB_CAMERA]: { dtype: 'video', shape: [HUB_HEIGHT, HUB_WIDTH, 3], names: ['height', 'width', 'channel'], info: { 'video.fps': fps, 'video.codec': 'av1', 'video.pix_fmt': 'yuv420p' } },
    [stateKey]: { dtype: 'float32', shape: [4], names: namesValue(HUB_STATE_NAMES, opts.names) },
    [actionKey]: { dtype: 'float32', shape: [4], names: namesValue(HUB_ACTION_NAMES, opts.names) },
    timestamp: { dtype: 'float32', shape: [1], names: null },
    frame_index: { dtype: 'int64', shape: [1], names: null },
    episode_index: { dtype: 'int64', shape: [1], names: null },
    index: { dtype: 'int64', shape: [1], names: null },
    task_index: { dtype: 'int64', shape: [1], names: null },
  };
  if (opts.extraColumn) features[opts.extraColumn] = { dtype: 'float32', shape: [2], names: ['a', 'b'] };
  const info: Record<string, unknown> = {
    codebase_version: version, robot_type: 'aloha', total_episodes: listed, total_frames: listed * n, total_tasks: 1, total_videos: listed,
    total_chunks: 1, chunks_size: 1000, fps, splits: { train: `0:${listed}` },
    data_path: 'data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet', video_path: videoPath, features,
  };
  if (opts.calibration !== false) {
    const T = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]];
    info.path_studio = {
      version: 1,
      state_ee_position: { feature: stateKey, indices: [0, 1, 2] },
      cameras: { [HUB_CAMERA]: { model: 'pinhole', width: HUB_WIDTH, height: HUB_HEIGHT, K: [[F, 0, (HUB_WIDTH - 1) / 2], [0, F, (HUB_HEIGHT - 1) / 2], [0, 0, 1]], world_to_camera_per_episode: Array.from({ length: listed }, () => T) } },
    };
  }
  mkdirSync(join(dir, 'meta'), { recursive: true });
  writeFileSync(join(dir, 'meta/info.json'), JSON.stringify(info, null, 4));
  writeFileSync(join(dir, 'meta/episodes.jsonl'), Array.from({ length: listed }, (_, i) => JSON.stringify({ episode_index: i, tasks: ['fold the towel'], length: n })).join('\n') + '\n');
  writeFileSync(join(dir, 'meta/tasks.jsonl'), '{"task_index": 0, "task": "fold the towel"}\n');

  const list = (name: string) => [{ name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 }, { name: 'element', type: 'FLOAT', repetition_type: 'OPTIONAL' }];
  for (const ep of present) {
    const frames = Array.from({ length: n }, (_, i) => i);
    const columns: { name: string; data: unknown[] }[] = [
      { name: stateKey, data: frames.map((i) => [...hubEe(ep, i, n), i >= n / 2 ? 1 : 0]) },
      { name: actionKey, data: frames.map(() => [0.1, 0.05, 0, 0]) },
      { name: 'timestamp', data: frames.map((i) => i / fps) },
      { name: 'frame_index', data: frames.map((i) => BigInt(i)) },
      { name: 'episode_index', data: frames.map(() => BigInt(ep)) },
      { name: 'index', data: frames.map((i) => BigInt(ep * n + i)) },
      { name: 'task_index', data: frames.map(() => 0n) },
    ];
    const schema: Record<string, unknown>[] = [...list(stateKey), ...list(actionKey),
      { name: 'timestamp', type: 'FLOAT', repetition_type: 'OPTIONAL' },
      ...['frame_index', 'episode_index', 'index', 'task_index'].map((name) => ({ name, type: 'INT64', repetition_type: 'OPTIONAL' }))];
    if (opts.extraColumn) {
      columns.push({ name: opts.extraColumn, data: frames.map((i) => [i, -i]) });
      schema.push(...list(opts.extraColumn));
    }
    const buf = parquetWriteBuffer({ columnData: columns, schema: [{ name: 'schema', num_children: columns.length }, ...schema] } as never);
    const p = join(dir, `data/chunk-000/episode_${String(ep).padStart(6, '0')}.parquet`);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, new Uint8Array(buf));
  }
  for (const ep of withVideo) {
    const p = join(dir, opts.videoFolder ?? 'videos', 'chunk-000', HUB_CAMERA, `episode_${String(ep).padStart(6, '0')}.mp4`);
    mkdirSync(dirname(p), { recursive: true });
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${HUB_WIDTH}x${HUB_HEIGHT}:rate=${fps}`, '-frames:v', String(n), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-g', '1', p]);
  }
}
