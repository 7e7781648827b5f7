// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectTrack } from '../../core/camera/projection';
import { datasetFilesFromEntries, type DatasetFiles } from '../episodes/source';
import { DatasetError, eeIndicesFromNames, openLeRobotDataset } from './dataset';
import { episodesFromV21, episodesFromV3Rows } from '../../formats/lerobot/episodesIndex';
import { featureNames, formatTemplate, parseLeRobotInfo } from '../../formats/lerobot/info';
import { detectRole } from './columns';
import { inspectDataset } from '../episodes/openSource';
import { formatIndexRanges } from '../episodes/inspection';
import { sharedFixture } from '../../testing/sharedFixtures';
import { HUB_CAMERA, writeHubDataset, type HubDatasetOptions } from '../../testing/lerobotHubDataset';

const so101 = sharedFixture('lerobot-so101-v3');
const SO101 = so101.path();

/** A folder on disk as the browser's picked-folder view (Blobs by relative path). */
export function folderFiles(root: string, name = 'dataset', drop: string[] = []): DatasetFiles {
  const entries: { path: string; file: Blob }[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const full = join(dir, f);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const path = relative(root, full).split('\\').join('/');
        if (!drop.includes(path)) entries.push({ path: `${name}/${path}`, file: new Blob([readFileSync(full)]) });
      }
    }
  };
  walk(root);
  return datasetFilesFromEntries(entries);
}

describe('info.json', () => {
  it('rejects unknown and old codebase versions with a message naming the version', () => {
    const bad = parseLeRobotInfo(JSON.stringify({ codebase_version: 'v9.9', fps: 30, features: {}, data_path: 'x' }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/"v9.9" is not supported.*v2.0, v2.1 and v3.0/);
    const old = parseLeRobotInfo(JSON.stringify({ codebase_version: 'v1.6', fps: 30, features: {}, data_path: 'x' }));
    expect(!old.ok && old.error).toMatch(/convert/i);
    expect(parseLeRobotInfo(JSON.stringify({ codebase_version: 'v2.0', fps: 30, features: {}, data_path: 'x' })).ok).toBe(true);
    const notJson = parseLeRobotInfo('{');
    expect(!notJson.ok && notJson.error).toMatch(/not valid JSON/);
    const none = parseLeRobotInfo('{"fps": 3}');
    expect(!none.ok && none.error).toMatch(/no "codebase_version"/);
  });

  it('fills LeRobot path templates', () => {
    expect(formatTemplate('videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4', { episode_chunk: 0, video_key: 'cam', episode_index: 12 }))
      .toBe('videos/chunk-000/cam/episode_000012.mp4');
  });

  it('finds end-effector columns by name', () => {
    expect(eeIndicesFromNames(['gripper', 'ee.x', 'ee.y', 'ee.z'])).toEqual([1, 2, 3]);
    expect(eeIndicesFromNames(['shoulder_pan.pos', 'gripper.pos'])).toBeNull();
  });
});

describe('v2.1 episode index', () => {
  it('maps episodes to per-episode data and video files', () => {
    const info = parseLeRobotInfo(JSON.stringify({
      codebase_version: 'v2.1', fps: 10, chunks_size: 2, features: { 'observation.images.top': { dtype: 'video', shape: [96, 128, 3], names: ['height', 'width', 'channel'] } },
      data_path: 'data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet',
      video_path: 'videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4',
    }));
    if (!info.ok) throw new Error(info.error);
    expect(info.value.cameras[0]).toMatchObject({ width: 128, height: 96 });
    const eps = episodesFromV21(info.value, '{"episode_index": 2, "tasks": ["stack"], "length": 50}\n{"episode_index": 0, "tasks": ["pick"], "length": 40}\n', null);
    if (!eps.ok) throw new Error(eps.error);
    expect(eps.value.map((e) => e.index)).toEqual([0, 2]);
    expect(eps.value[1]).toMatchObject({ task: 'stack', dataPath: 'data/chunk-001/episode_000002.parquet' });
    expect(eps.value[1].videos['observation.images.top']).toEqual({ path: 'videos/chunk-001/observation.images.top/episode_000002.mp4', fromTimestamp: 0, toTimestamp: 5 });
    const broken = episodesFromV21(info.value, '{"episode_index": 0\n', null);
    expect(!broken.ok && broken.error).toMatch(/line 1/);
    // Inconsistent metadata is refused, naming the inconsistency (it imported episode 0 twice).
    const twice = episodesFromV21(info.value, '{"episode_index": 0, "length": 40}\n{"episode_index": 1, "length": 40}\n{"episode_index": 0, "length": 40}\n', null);
    expect(!twice.ok && twice.error).toBe('meta/episodes.jsonl lists episode 0 twice: the metadata is inconsistent. Download meta/ again (or remove the duplicate row).');
    const v3 = episodesFromV3Rows({ ...info.value, dataPath: 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet', cameras: [] }, [
      { episode_index: 0, dataset_from_index: 0, dataset_to_index: 50 },
      { episode_index: 1, dataset_from_index: 40, dataset_to_index: 100 },
    ], new Map());
    expect(!v3.ok && v3.error).toBe('meta/episodes: episodes 0 and 1 both claim rows 40–49 of the data: the metadata is inconsistent. Download meta/ again.');
  });
});

describe.skipIf(!so101.present)('LeRobot v3.0: the real SO-101 dataset (videos missing)', () => {
  it('imports episodes and tables, and reports the missing videos by name', async () => {
    const source = await openLeRobotDataset(folderFiles(SO101, 'lerobot-so101-v3'));
    expect(source.format).toBe('lerobot-v3.0');
    expect(source.name).toBe('lerobot-so101-v3');
    expect(source.episodes.map((e) => e.length)).toEqual([373, 374, 372, 373]);
    expect(source.episodes[0].task).toBe('Pick the orange cube and place it in the box');
    expect(source.problems.join('\n')).toContain('videos/observation.images.front/chunk-000/file-000.mp4');
    expect(source.problems.join('\n')).toContain('videos/observation.images.top/chunk-000/file-000.mp4');
    expect(source.cameras.every((c) => c.missingFiles.length === 1)).toBe(true);
    expect(source.eeStateIndices).toBeNull();
    expect(await source.frameReader(0, 'observation.images.front')).toBeNull();
    const t = await source.readEpisode(3);
    expect(t.states.length).toBe(373);
    expect(t.states[0].length).toBe(6);
    expect(t.timestamps[1]).toBeCloseTo(1 / 30, 5);
  });

  it('fails with a clear message when no episode has its data file', async () => {
    await expect(openLeRobotDataset(folderFiles(SO101, 'x', ['data/chunk-000/file-000.parquet']))).rejects.toThrow(/None of the 4 episodes listed in meta\/ has its data file in this folder \(1 data file missing: data\/chunk-000\/file-000.parquet\)/);
    await expect(openLeRobotDataset(folderFiles(SO101, 'x', ['meta/info.json']))).rejects.toThrow(DatasetError);
  });
});

describe('LeRobot v3.0: a simulator dataset', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ps-sim-'));
    execFileSync('npx', ['tsx', 'sim/src/generate.ts', '--episodes', '2', '--seed', '5', '--out', dir, '--max-steps', '60'], { stdio: 'pipe' });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the calibration block and projects every end-effector position in front of the camera, inside the image', async () => {
    const source = await openLeRobotDataset(folderFiles(dir, 'sim'));
    expect(source.eeStateIndices).toEqual([0, 1, 2]);
    expect(source.gripperIsClosure01).toBe(true);
    expect(source.problems).toEqual([]);
    for (const ep of source.episodes) {
      const cal = source.calibration('observation.images.front', ep.index);
      expect(cal).not.toBeNull();
      const t = await source.readEpisode(ep.index);
      const track = projectTrack(cal!.projection, t.states.map((s) => [s[0], s[1], s[2]] as const), cal!.width, cal!.height);
      expect(track.behind).toEqual([]);
      expect(track.outside).toEqual([]);
      expect(t.success?.length).toBe(ep.length);
    }
  });
});

describe('LeRobot v2.1: per-episode files', () => {
  let dir: string;
  beforeAll(async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    dir = mkdtempSync(join(tmpdir(), 'ps-v21-'));
    mkdirSync(join(dir, 'meta'), { recursive: true });
    mkdirSync(join(dir, 'data/chunk-000'), { recursive: true });
    const lengths = [4, 6];
    writeFileSync(join(dir, 'meta/info.json'), JSON.stringify({
      codebase_version: 'v2.1', robot_type: 'koch', fps: 15, total_episodes: 2, total_frames: 10, chunks_size: 1000,
      data_path: 'data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet',
      video_path: 'videos/chunk-{episode_chunk:03d}/{video_key}/episode_{episode_index:06d}.mp4',
      features: {
        'observation.state': { dtype: 'float32', shape: [2], names: { motors: ['shoulder.pos', 'gripper.pos'] } },
        action: { dtype: 'float32', shape: [2], names: ['shoulder.pos', 'gripper.pos'] },
        'observation.images.laptop': { dtype: 'video', shape: [48, 64, 3], names: ['height', 'width', 'channels'], info: { 'video.codec': 'av1' } },
      },
    }));
    writeFileSync(join(dir, 'meta/episodes.jsonl'), lengths.map((length, i) => JSON.stringify({ episode_index: i, tasks: [i ? 'stack the cups' : 'open the drawer'], length })).join('\n'));
    writeFileSync(join(dir, 'meta/tasks.jsonl'), '{"task_index": 0, "task": "open the drawer"}\n{"task_index": 1, "task": "stack the cups"}\n');
    const list = (name: string) => [{ name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 }, { name: 'list', repetition_type: 'REPEATED', num_children: 1 }, { name: 'element', type: 'FLOAT', repetition_type: 'OPTIONAL' }];
    lengths.forEach((n, ep) => {
      const frames = Array.from({ length: n }, (_, i) => i);
      const buf = parquetWriteBuffer({
        columnData: [
          { name: 'observation.state', data: frames.map((i) => [ep + i * 0.1, i]) },
          { name: 'action', data: frames.map((i) => [i, 0]) },
          { name: 'timestamp', data: frames.map((i) => i / 15) },
          { name: 'frame_index', data: frames.map((i) => BigInt(i)) },
          { name: 'episode_index', data: frames.map(() => BigInt(ep)) },
        ],
        schema: [
          { name: 'schema', num_children: 5 }, ...list('observation.state'), ...list('action'),
          { name: 'timestamp', type: 'FLOAT', repetition_type: 'OPTIONAL' },
          { name: 'frame_index', type: 'INT64', repetition_type: 'OPTIONAL' },
          { name: 'episode_index', type: 'INT64', repetition_type: 'OPTIONAL' },
        ],
      } as never);
      writeFileSync(join(dir, `data/chunk-000/episode_${String(ep).padStart(6, '0')}.parquet`), new Uint8Array(buf));
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads episodes, tasks and per-episode tables, and names every missing per-episode video', async () => {
    const source = await openLeRobotDataset(folderFiles(dir, 'koch-v21'));
    expect(source.format).toBe('lerobot-v2.1');
    expect(source.stateNames).toEqual(['shoulder.pos', 'gripper.pos']);
    expect(source.episodes.map((e) => [e.index, e.task, e.length])).toEqual([[0, 'open the drawer', 4], [1, 'stack the cups', 6]]);
    const t = await source.readEpisode(1);
    expect(t.states.map((s) => s[1])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(t.states[2][0]).toBeCloseTo(1.2, 5);
    expect(source.problems[0]).toMatch(/observation.images.laptop: all 2 video files missing \(videos\/chunk-000\/observation.images.laptop\/episode_000000.mp4/);
  });
});

describe('feature names and column roles', () => {
  const f = (names: unknown, shape = [3]) => ({ dtype: 'float32', shape, names });
  it('gives one name per dimension for every shape LeRobot has written', () => {
    expect(featureNames('observation.state', f(['j1', 'j2', 'j3']))).toEqual(['j1', 'j2', 'j3']);
    expect(featureNames('observation.state', f([['j1', 'j2', 'j3']]))).toEqual(['j1', 'j2', 'j3']);
    expect(featureNames('observation.state', f({ motors: ['j1', 'j2', 'j3'] }))).toEqual(['j1', 'j2', 'j3']);
    expect(featureNames('observation.state', f({ axes: ['x', 'y'], gripper: ['g'] }))).toEqual(['x', 'y', 'g']);
    expect(featureNames('observation.state', f(null))).toEqual(['observation.state.0', 'observation.state.1', 'observation.state.2']);
    expect(featureNames('observation.state', f(['only', 'two']))).toEqual(['observation.state.0', 'observation.state.1', 'observation.state.2']);
    expect(featureNames('observation.state.gripper', f(null, [1]))).toEqual(['observation.state.gripper']);
  });

  it('detects roles from standard keys and the variants other projects write', () => {
    const roles = Object.fromEntries(['observation.state', 'state', 'observation.state.joint_position', 'observation.state.gripper', 'observation.state.eef_pos',
      'observation.eef_pos', 'observation.eef_quat', 'action', 'actions', 'action.joints', 'timestamp', 'next.done', 'observation.velocity'].map((k) => [k, detectRole(k, f(null))]));
    expect(roles).toEqual({
      'observation.state': 'state', state: 'state', 'observation.state.joint_position': 'state', 'observation.state.gripper': 'gripper', 'observation.state.eef_pos': 'ee',
      'observation.eef_pos': 'ee', 'observation.eef_quat': 'state', action: 'action', actions: 'action', 'action.joints': 'action', timestamp: 'index', 'next.done': 'index',
      'observation.velocity': 'ignore',
    });
    expect(detectRole('observation.images.top', { dtype: 'video', shape: [48, 64, 3], names: null })).toBe('camera');
  });

  it('writes index lists as ranges', () => {
    expect(formatIndexRanges([31, 0, 1, 2, 99, 98, 97, 5, 6])).toBe('0–2, 5, 6, 31, 97–99');
  });
});

describe('LeRobot v2.x as downloaded from the hub', () => {
  const dirs: string[] = [];
  async function hub(opts: HubDatasetOptions): Promise<DatasetFiles> {
    const dir = mkdtempSync(join(tmpdir(), 'ps-hub-'));
    dirs.push(dir);
    await writeHubDataset(dir, opts);
    return folderFiles(dir, 'hub');
  }
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('a partial download: imports the episodes on disk and names the absent ones in one line', async () => {
    const files = await hub({ listed: 10, present: [3, 4], calibration: false });
    const source = await openLeRobotDataset(files);
    expect(source.episodes.map((e) => e.index)).toEqual([3, 4]);
    expect(source.problems).toContain('8 of 10 episodes listed in meta/ are not in this folder: 0–2, 5–9. The 2 episodes on disk can be imported.');
    expect((await source.readEpisode(4)).states).toHaveLength(12);
    await expect(source.readEpisode(0)).rejects.toThrow(/Episode 0 is not in this folder/);
  });

  it('the inspection object: format, version, fps, episodes, columns with roles and names, cameras with codec from the file', async () => {
    const files = await hub({ version: 'v2.0', listed: 4, present: [0, 1, 2], withVideo: [0, 2], stateKey: 'state', actionKey: 'actions', names: 'nested', extraColumn: 'observation.velocity', calibration: false });
    const inspection = await inspectDataset(files);
    // Plain data: what a CLI prints with JSON.stringify.
    expect(JSON.parse(JSON.stringify(inspection))).toEqual(inspection);
    expect(inspection).toMatchObject({ format: 'lerobot', version: 'v2.0', fps: 10, episodes: { listed: 4, present: 3, absent: [3] } });
    const col = (k: string) => inspection.columns.find((c) => c.key === k)!;
    expect(col('state')).toMatchObject({ role: 'state', names: ['ee_x', 'ee_y', 'ee_z', 'gripper'] });
    expect(col('actions')).toMatchObject({ role: 'action', names: ['vx', 'vy', 'vz', 'grip'] });
    expect(col('observation.velocity')).toMatchObject({ role: 'ignore', names: ['a', 'b'] });
    expect(col('timestamp').role).toBe('index');
    expect(inspection.cameras).toEqual([{
      key: HUB_CAMERA, codec: 'h264', width: 64, height: 48, episodesWithout: [1],
      found: [`videos/chunk-000/${HUB_CAMERA}/episode_000000.mp4`, `videos/chunk-000/${HUB_CAMERA}/episode_000002.mp4`],
      missing: [`videos/chunk-000/${HUB_CAMERA}/episode_000001.mp4`],
    }]);
    expect(inspection.problems.join('\n')).toMatch(/1 column not used \(unknown name\): observation.velocity \(2 values\)\. Set a role in the column table/);
    expect(inspection.problems.join('\n')).toMatch(/1 of 3 video files missing .*; episode 1 has no frames from it; the others do\./);
  });

  it('`state` / `actions` with nested names: every joint named, end effector and gripper found; a role changed by the user is read', async () => {
    const files = await hub({ listed: 2, stateKey: 'state', actionKey: 'actions', names: 'nested', extraColumn: 'observation.velocity', calibration: false });
    const source = await openLeRobotDataset(files);
    expect(source.stateNames).toEqual(['ee_x', 'ee_y', 'ee_z', 'gripper']);
    expect(source.actionNames).toEqual(['vx', 'vy', 'vz', 'grip']);
    expect(source.eeStateIndices).toEqual([0, 1, 2]);
    const t = await source.readEpisode(1);
    expect(t.states[11]).toEqual([expect.closeTo(0.3, 5), expect.closeTo(0.1, 5), 1, 1]);
    expect(t.actions[0]).toEqual([expect.closeTo(0.1, 5), expect.closeTo(0.05, 5), 0, 0]);
    const withVelocity = await openLeRobotDataset(files, { roles: { 'observation.velocity': 'state' } });
    expect(withVelocity.stateNames).toEqual(['ee_x', 'ee_y', 'ee_z', 'gripper', 'a', 'b']);
    expect((await withVelocity.readEpisode(0)).states[3].slice(4)).toEqual([3, -3]);
    // A dict of lists ({"motors": [...]}) too.
    const dict = await openLeRobotDataset(await hub({ listed: 1, names: 'dict', calibration: false }));
    expect(dict.stateNames).toEqual(['ee_x', 'ee_y', 'ee_z', 'gripper']);
  });

  it('videos under video/ while video_path says videos/: found by name, and said where', async () => {
    const source = await openLeRobotDataset(await hub({ listed: 2, videoFolder: 'video' }));
    expect(source.cameras[0]).toMatchObject({ missingFiles: [], episodesWithoutFrames: [], codec: 'h264' });
    expect(source.problems.join('\n')).toContain(`Camera ${HUB_CAMERA}: video files are not where meta/info.json's video_path puts them; found by name: videos/chunk-000/${HUB_CAMERA}/episode_000000.mp4 → video/chunk-000/${HUB_CAMERA}/episode_000000.mp4 (and 1 more).`);
    expect(source.inspection!.cameras[0].found).toEqual([`video/chunk-000/${HUB_CAMERA}/episode_000000.mp4`, `video/chunk-000/${HUB_CAMERA}/episode_000001.mp4`]);
  });

  it('no episode on disk is refused with what to download', async () => {
    await expect(openLeRobotDataset(await hub({ listed: 3, present: [] }))).rejects.toThrow(/None of the 3 episodes listed in meta\/ has its data file in this folder \(3 data files missing: data\/chunk-000\/episode_000000.parquet, .*\)\. Download the data\/ folder too/);
  });
});
