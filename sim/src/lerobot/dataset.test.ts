import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFeatureRules, checkVideoStream, formatProblems } from '../../../src/formats/lerobot/featureRules.ts';
import { validateLeRobotLayout } from '../../../src/formats/lerobot/validateLayout.ts';
import { sharedFixture } from '../../../src/testing/sharedFixtures.ts';
import { generate, type GenerateSummary } from '../generate.ts';
import { FFMPEG } from './video.ts';
import { VIDEO_KEY } from './dataset.ts';
import { SIM_CALIBRATION_KEY } from '../../../src/formats/lerobot/info.ts';

const so101 = sharedFixture('lerobot-so101-v3');
const FIXTURE = so101.path();
type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const read = (path: string) => { const b = readFileSync(path); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength); };
const rows = async (path: string): Promise<Row[]> => parquetReadObjects({ file: read(path) });
/** Parquet schema as "name:type:repetition:converted" lines, with the nesting flattened by path. */
function schemaOf(path: string): Map<string, string> {
  const elements = parquetMetadata(read(path)).schema;
  const out = new Map<string, string>();
  const walk = (i: number, prefix: string): number => {
    const el = elements[i];
    const name = prefix ? `${prefix}.${el.name}` : el.name;
    out.set(name, `${el.type ?? 'group'}:${el.repetition_type}:${el.converted_type ?? ''}`);
    let next = i + 1;
    for (let c = 0; c < (el.num_children ?? 0); c++) next = walk(next, name);
    return next;
  };
  let i = 1;
  while (i < elements.length) i = walk(i, '');
  return out;
}
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile()).sort();
}

let dirA: string, dirB: string;
let summary: GenerateSummary;
beforeAll(async () => {
  dirA = mkdtempSync(join(tmpdir(), 'sim-ds-a-'));
  dirB = mkdtempSync(join(tmpdir(), 'sim-ds-b-'));
  summary = await generate({ episodes: 3, seed: 7, tasks: ['pick_place', 'press_button', 'knock_down'], out: dirA });
  await generate({ episodes: 3, seed: 7, tasks: ['pick_place', 'press_button', 'knock_down'], out: dirB });
}, 120_000);
afterAll(() => { rmSync(dirA, { recursive: true, force: true }); rmSync(dirB, { recursive: true, force: true }); });

describe('generated LeRobot v3.0 dataset', () => {
  it('has the file layout of the lerobot library', () => {
    expect(files(dirA)).toEqual([
      'data/chunk-000/file-000.parquet', 'meta/episodes/chunk-000/file-000.parquet', 'meta/info.json', 'meta/stats.json',
      'meta/tasks.parquet', `videos/${VIDEO_KEY}/chunk-000/file-000.mp4`,
    ]);
  });

  it('is byte-identical for the same seed', () => {
    for (const f of files(dirA)) expect(readFileSync(join(dirB, f)).equals(readFileSync(join(dirA, f))), f).toBe(true);
  });

  it('follows lerobot\'s feature and stats rules, and the layout validator accepts it', async () => {
    const info = JSON.parse(readFileSync(join(dirA, 'meta/info.json'), 'utf8'));
    const stats = JSON.parse(readFileSync(join(dirA, 'meta/stats.json'), 'utf8'));
    expect(formatProblems(checkFeatureRules(info.features, stats, { fps: info.fps }))).toEqual([]);
    const blobs = new Map(files(dirA).map((f) => [f.split('\\').join('/'), new Blob([readFileSync(join(dirA, f))])]));
    expect(await validateLeRobotLayout({ get: (p) => blobs.get(p), paths: () => [...blobs.keys()] })).toEqual([]);
  });

  it.skipIf(!so101.present)('uses the same parquet schemas as a dataset written by lerobot', () => {
    const pairs: [string, string[]][] = [
      ['data/chunk-000/file-000.parquet', ['action', 'observation.state', 'timestamp', 'frame_index', 'episode_index', 'index', 'task_index']],
      ['meta/tasks.parquet', ['task_index', '__index_level_0__']],
      ['meta/episodes/chunk-000/file-000.parquet', ['episode_index', 'tasks', 'length', 'data/chunk_index', 'dataset_from_index', 'dataset_to_index', 'stats/action/min', 'stats/action/count', 'stats/frame_index/min', 'meta/episodes/file_index']],
    ];
    for (const [file, columns] of pairs) {
      const ours = schemaOf(join(dirA, file)), theirs = schemaOf(join(FIXTURE, file));
      for (const col of columns) {
        const nested = [...theirs.keys()].filter((k) => k === col || k.startsWith(`${col}.`));
        expect(nested.length, `${file} ${col}`).toBeGreaterThan(0);
        for (const key of nested) expect(ours.get(key), `${file} ${key}`).toBe(theirs.get(key));
      }
    }
    // Image stats nest like lerobot's ([3][1][1]), under our video key.
    const eps = schemaOf(join(dirA, 'meta/episodes/chunk-000/file-000.parquet'));
    const fixtureEps = schemaOf(join(FIXTURE, 'meta/episodes/chunk-000/file-000.parquet'));
    expect(eps.get(`stats/${VIDEO_KEY}/mean.list.element.list.element.list.element`)).toBe(fixtureEps.get('stats/observation.images.front/mean.list.element.list.element.list.element'));
  });

  it('writes consistent metadata, tasks with a pandas index, and the calibration extension', async () => {
    const info = JSON.parse(readFileSync(join(dirA, 'meta/info.json'), 'utf8'));
    if (so101.present) {
      const fixture = JSON.parse(readFileSync(join(FIXTURE, 'meta/info.json'), 'utf8'));
      expect(Object.keys(info).filter((k) => k !== SIM_CALIBRATION_KEY)).toEqual(Object.keys(fixture));
      for (const k of ['timestamp', 'frame_index', 'episode_index', 'index', 'task_index']) expect(info.features[k]).toEqual(fixture.features[k]);
    }
    const data = await rows(join(dirA, 'data/chunk-000/file-000.parquet'));
    expect(info.total_frames).toBe(data.length);
    expect(info.total_episodes).toBe(3);
    expect(data[0]['observation.state']).toHaveLength(info.features['observation.state'].shape[0]);
    expect(data[0].action).toHaveLength(4);
    const tasks = await rows(join(dirA, 'meta/tasks.parquet'));
    expect(tasks).toHaveLength(info.total_tasks);
    const pandas = JSON.parse(parquetMetadata(read(join(dirA, 'meta/tasks.parquet'))).key_value_metadata!.find((kv) => kv.key === 'pandas')!.value!);
    expect(pandas.index_columns).toEqual(['__index_level_0__']);
    const episodes = await rows(join(dirA, 'meta/episodes/chunk-000/file-000.parquet'));
    expect(episodes.map((e) => Number(e.length)).reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(episodes[1][`videos/${VIDEO_KEY}/from_timestamp`]).toBeCloseTo(Number(episodes[0].length) / info.fps, 9);
    const calib = info[SIM_CALIBRATION_KEY].cameras[VIDEO_KEY];
    expect(calib.world_to_camera_per_episode).toHaveLength(3);
    expect(calib.K[2][2]).toBe(1);
    // Every episode of this seed range is solved, and the flag is in the data.
    expect(summary.successes).toBe(3);
    expect(data.filter((r) => Number(r.episode_index) === 0).at(-1)!['next.success']).toBe(true);
  });

  it('encodes H.264 yuv420p video with one frame per data row, as info.json says (ffprobe)', () => {
    const probe = spawnSync(FFMPEG.replace(/ffmpeg$/, 'ffprobe'), ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=codec_name,pix_fmt,width,height,nb_read_frames', '-of', 'json', join(dirA, `videos/${VIDEO_KEY}/chunk-000/file-000.mp4`)]);
    const stream = JSON.parse(probe.stdout.toString()).streams[0];
    expect(stream).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 256, height: 256 });
    const info = JSON.parse(readFileSync(join(dirA, 'meta/info.json'), 'utf8'));
    expect(formatProblems(checkVideoStream(VIDEO_KEY, info.features[VIDEO_KEY], stream))).toEqual([]);
    expect(Number(stream.nb_read_frames)).toBe(summary.frames);
  });

  it('puts the projected end-effector track on the gripper in every frame', async () => {
    expect(summary.eeOnGripper).toBe(1); // segmentation check done while rendering
    // Independent check from the files alone: calibration + state -> pixel; the decoded video shows
    // the (near-black) gripper there.
    const info = JSON.parse(readFileSync(join(dirA, 'meta/info.json'), 'utf8'));
    const calib = info[SIM_CALIBRATION_KEY].cameras[VIDEO_KEY];
    const data = await rows(join(dirA, 'data/chunk-000/file-000.parquet'));
    const video = spawnSync(FFMPEG, ['-v', 'error', '-i', join(dirA, `videos/${VIDEO_KEY}/chunk-000/file-000.mp4`), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 28 }).stdout;
    const W = calib.width, H = calib.height, K = calib.K;
    let dark = 0;
    data.forEach((row, i) => {
      const T = calib.world_to_camera_per_episode[Number(row.episode_index)];
      const p = row['observation.state'].slice(0, 3);
      const c = [0, 1, 2].map((r) => T[r][0] * p[0] + T[r][1] * p[1] + T[r][2] * p[2] + T[r][3]);
      expect(c[2]).toBeGreaterThan(0);
      const u = (K[0][0] * c[0]) / c[2] + K[0][2], v = (K[1][1] * c[1]) / c[2] + K[1][2];
      let found = false;
      for (let y = Math.round(v) - 2; y <= Math.round(v) + 2 && !found; y++) {
        for (let x = Math.round(u) - 2; x <= Math.round(u) + 2 && !found; x++) {
          const o = (i * W * H + y * W + x) * 3;
          if (Math.max(video[o], video[o + 1], video[o + 2]) < 60) found = true;
        }
      }
      if (found) dark++;
    });
    expect(dark).toBe(data.length);
  });
});
