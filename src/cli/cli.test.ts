/**
 * The CLI as a user runs it: a separate process (`tsx src/cli/main.ts`), on the shared fixtures
 * (written by lerobot and by rosbag2's own test suite; skipped without ../shared) and on a dataset
 * written by the simulator's generator. The zip is read back by Python's zipfile and the frames
 * checked against ffmpeg's own decode of the same video frame; the LeRobot folder by the layout
 * validator, lerobot's feature rules, the studio's own LeRobot importer and ffprobe.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { PATH_POINTS } from '../formats/lerobot/pathFeature';
import { checkFeatureRules, checkVideoStream, formatProblems, type FeatureSpec } from '../formats/lerobot/featureRules';
import { validateLeRobotLayout } from '../formats/lerobot/validateLayout';
import { openLeRobotDataset } from '../importers/lerobot/dataset';
import { hamsterAnswerRegion, hamsterProcessAnswer } from '../testing/hamsterProcessAnswer';
import { sharedFixture } from '../testing/sharedFixtures';
import { datasetFilesFromDisk } from './nodeFiles';

const TSX = join(process.cwd(), 'node_modules/.bin/tsx');

function cli(...args: string[]) {
  const r = spawnSync(TSX, ['src/cli/main.ts', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const json = (stdout: string) => JSON.parse(stdout) as {
  format: string | null; version: string | null; fps: number | null; refused: boolean;
  episodes: { listed: number; present: number; absent: number[] };
  columns: { key: string; role: string; names: string[] }[];
  cameras: { key: string; codec: string | null; found: string[]; missing: string[] }[];
  topics: { name: string; type: string; count: number }[];
  problems: string[];
};

const so101 = sharedFixture('lerobot-so101-v3');
describe.skipIf(!so101.present)('on lerobot-so101-v3 (written by lerobot; both videos missing)', () => {
  it('inspect --json: episodes, columns with roles and one name per dimension, the missing videos', () => {
    const r = cli('inspect', so101.path(), '--json');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ format: 'lerobot', version: 'v3.0', fps: 30, refused: false, episodes: { listed: 4, present: 4, absent: [] }, topics: [] });
    const state = out.columns.find((c) => c.key === 'observation.state')!;
    expect(state.role).toBe('state');
    expect(state.names).toEqual(['shoulder_pan.pos', 'shoulder_lift.pos', 'elbow_flex.pos', 'wrist_flex.pos', 'wrist_roll.pos', 'gripper.pos']);
    expect(out.columns.find((c) => c.key === 'action')!.role).toBe('action');
    for (const cam of out.cameras) {
      expect(cam).toMatchObject({ codec: null, found: [], missing: [`videos/${cam.key}/chunk-000/file-000.mp4`] });
    }
    expect(out.problems).toContain('Camera observation.images.front: video file missing (videos/observation.images.front/chunk-000/file-000.mp4); its frames cannot be shown or imported.');
  }, 60_000);

  it('inspect without --json prints the same findings for a person', () => {
    const r = cli('inspect', so101.path());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/lerobot v3\.0, 30 fps/);
    expect(r.stdout).toMatch(/missing: videos\/observation\.images\.top\/chunk-000\/file-000\.mp4/);
  }, 60_000);

  it.each(['hamster', 'lerobot'])('convert --to %s refuses with the studio\'s message (no camera has frames) and a non-zero exit, writing nothing', (to) => {
    const out = mkdtempSync(join(tmpdir(), 'cli-so101-'));
    try {
      const r = cli('convert', so101.path(), '--to', to, '--out', out);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('Camera observation.images.front has no frames in this folder (missing: videos/observation.images.front/chunk-000/file-000.mp4). Pick another camera or add the video files.');
      expect(spawnSync('ls', [out], { encoding: 'utf8' }).stdout).toBe('');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});

const bags = sharedFixture('rosbag2-mcap');
describe.skipIf(!bags.present)('on rosbag2-mcap (rosbag2\'s own test bags; no camera)', () => {
  it.each(['talker', 'cdr_test'])('inspect --json %s: topics with types and counts, refused for want of a camera', (name) => {
    const r = cli('inspect', bags.path(name), '--json');
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out).toMatchObject({ format: 'rosbag2', refused: true, cameras: [] });
    expect(out.version).toMatch(/^rosbag2 v\d+ \(profile ros2\)$/);
    expect(out.topics.length).toBeGreaterThan(0);
    if (name === 'talker') expect(out.topics).toContainEqual({ name: '/topic', type: 'std_msgs/msg/String', count: 10 });
    expect(out.problems.at(-1)).toMatch(new RegExp(`^${name} has no camera topic \\(sensor_msgs/Image or sensor_msgs/CompressedImage\\), so there are no frames to make paths on\\. Its topics: /`));
  }, 60_000);

  it.each(['hamster', 'lerobot'])('convert --to %s of a bag without a camera: the studio\'s message, exit 1, nothing written', (to) => {
    const out = join(tmpdir(), `cli-never-written-${process.pid}`);
    const r = cli('convert', bags.path('talker'), '--to', to, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^talker has no camera topic .* Its topics: \/parameter_events \(rcl_interfaces\/msg\/ParameterEvent, 0\), \/rosout/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});

describe('on a simulator dataset (written by sim/src/generate.ts)', () => {
  let dir: string;
  const ds = () => join(dir, 'sim');
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-sim-'));
    const g = spawnSync(TSX, ['sim/src/generate.ts', '--episodes', '3', '--seed', '7', '--out', ds()], { encoding: 'utf8' });
    if (g.status !== 0) throw new Error(g.stderr);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Each record's image (decoded by ffmpeg from the PNG) equals ffmpeg's decode of its episode's first video frame. */
  async function expectFirstFrames(extracted: string, records: { id: string; image: string }[]) {
    const video = join(ds(), 'videos/observation.images.front/chunk-000/file-000.mp4');
    // Where each episode starts in the concatenated video, as the simulator's writer recorded it.
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(ds(), 'meta/episodes/chunk-000/file-000.parquet')), columns: ['episode_index', 'dataset_from_index'] });
    const firstFrame = new Map(rows.map((row) => [Number(row.episode_index), Number(row.dataset_from_index)]));
    const raw = (args: string[]) => spawnSync('ffmpeg', ['-v', 'error', ...args, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 16 << 20 }).stdout;
    for (const rec of records) {
      const episode = Number(/-ep(\d+)-s0$/.exec(rec.id)![1]);
      const png = raw(['-i', join(extracted, rec.image)]);
      const ref = raw(['-i', video, '-vf', `select=eq(n\\,${firstFrame.get(episode)})`, '-frames:v', '1']);
      expect(png.length).toBe(256 * 256 * 3);
      expect(Buffer.compare(png, ref), rec.id).toBe(0);
    }
  }

  it('inspect --json: three episodes, the H.264 file found, the calibration block read without a problem', () => {
    const r = cli('inspect', ds(), '--json');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ format: 'lerobot', version: 'v3.0', fps: 10, refused: false, episodes: { listed: 3, present: 3, absent: [] }, problems: [] });
    expect(out.cameras).toEqual([expect.objectContaining({ key: 'observation.images.front', codec: 'h264', found: ['videos/observation.images.front/chunk-000/file-000.mp4'], missing: [] })]);
    expect(out.columns.find((c) => c.key === 'observation.state')!.names.slice(0, 4)).toEqual(['ee.x', 'ee.y', 'ee.z', 'gripper']);
  }, 60_000);

  it('convert --to hamster: a zip Python reads, one record per episode, HAMSTER\'s parser takes every answer, each image is its episode\'s first frame as ffmpeg decodes it', async () => {
    const out = join(dir, 'out');
    const r = cli('convert', ds(), '--to', 'hamster', '--out', out, '--json', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { file: string; episodes: number; samples: number };
    expect(report).toMatchObject({ file: join(out, 'sim-hamster-sft.zip'), episodes: 3, samples: 3 });
    // Python's zipfile (another program) lists and extracts the archive.
    const extracted = join(dir, 'x');
    const py = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2]); print("\\n".join(z.namelist()))', report.file, extracted], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const names = py.stdout.trim().split('\n');
    expect(names).toContain('data.json');
    expect(names).toContain('export_info.json');
    const records = JSON.parse(readFileSync(join(extracted, 'data.json'), 'utf8')) as { id: string; image: string; conversations: { from: string; value: string }[] }[];
    expect(records).toHaveLength(3);
    const info = JSON.parse(readFileSync(join(extracted, 'export_info.json'), 'utf8')) as { format: string; counts: { train: { samples: number } } };
    expect(info).toMatchObject({ format: 'path-studio/hamster-vila-sft', counts: { train: { samples: 3 } } });
    records.forEach((rec) => {
      expect(rec.conversations[0].value).toContain('<quest>');
      const parsed = hamsterProcessAnswer(hamsterAnswerRegion(rec.conversations[1].value));
      expect(parsed.points.length).toBeGreaterThan(1);
      for (const [x, y] of parsed.points) for (const v of [x, y]) expect(v >= 0 && v <= 1).toBe(true);
    });
    await expectFirstFrames(extracted, records);
  }, 120_000);

  it('episodes in any order (a jump back makes ffmpeg seek) give the same frames', async () => {
    const out = join(dir, 'out-reordered');
    const r = cli('convert', ds(), '--to', 'hamster', '--out', out, '--episodes', '2,0,1', '--quiet');
    expect(r.code).toBe(0);
    const extracted = join(dir, 'x-reordered');
    spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', join(out, 'sim-hamster-sft.zip'), extracted]);
    const records = JSON.parse(readFileSync(join(extracted, 'data.json'), 'utf8')) as { id: string; image: string }[];
    expect(records.map((x) => x.id)).toEqual(['sim-ep2-s0', 'sim-ep0-s0', 'sim-ep1-s0']);
    await expectFirstFrames(extracted, records);
  }, 60_000);

  it('a calibration file that is not one: what is wrong and what to give, exit 1', () => {
    const bad = join(dir, 'cal.json');
    writeFileSync(bad, JSON.stringify({ width: 256, height: 256, projection: [1, 2, 3] }));
    const r = cli('convert', ds(), '--to', 'hamster', '--out', join(dir, 'never'), '--calibration', bad);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`--calibration ${bad}: "projection" must be 12 finite numbers (3×4, row-major), got 3. Give {"width", "height", "projection": [12 numbers]} or {"width", "height", "K": [[3×3]], "worldToCamera": [[4×4]]} (docs/CLI.md).`);
  }, 60_000);

  describe('convert --to lerobot', () => {
    const folder = () => join(dir, 'lr', 'sim-lerobot');
    let report: { folder: string; episodes: number; frames: number; framesWithPath: number; bytes: number; problems: string[] };
    const ffprobe = (file: string) => JSON.parse(spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=codec_name,pix_fmt,width,height,nb_read_frames', '-of', 'json', file], { encoding: 'utf8' }).stdout).streams[0] as { codec_name: string; pix_fmt: string; width: number; height: number; nb_read_frames: string };
    const rgb = (file: string, frame: number) => spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${frame})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 16 << 20 }).stdout;
    const meanAbsDiff = (a: Buffer, b: Buffer) => { let d = 0; for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]); return d / a.length; };

    beforeAll(() => {
      // --framesPerFile is not an option: two file groups come from a dataset over 3,000 frames (the benchmark's).
      const r = cli('convert', ds(), '--to', 'lerobot', '--out', join(dir, 'lr'), '--json', '--quiet');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      report = JSON.parse(r.stdout);
    }, 120_000);

    it('writes <out>/<name>-lerobot/ that the layout validator and lerobot\'s feature rules accept: float32 path features, state and action, stats shapes', async () => {
      expect(report).toMatchObject({ folder: folder(), episodes: 3, problems: [] });
      expect(report.framesWithPath).toBe(report.frames);
      expect(existsSync(`${folder()}.partial`)).toBe(false);
      const files = await datasetFilesFromDisk(folder());
      expect(await validateLeRobotLayout(files)).toEqual([]);
      const info = JSON.parse(readFileSync(join(folder(), 'meta/info.json'), 'utf8'));
      const stats = JSON.parse(readFileSync(join(folder(), 'meta/stats.json'), 'utf8'));
      expect(formatProblems(checkFeatureRules(info.features, stats, { fps: info.fps }))).toEqual([]);
      expect(info).toMatchObject({ codebase_version: 'v3.0', fps: 10, total_episodes: 3, total_frames: report.frames, robot_type: 'path_studio_sim_arm' });
      expect(info.features['observation.path']).toMatchObject({ dtype: 'float32', shape: [PATH_POINTS * 3] });
      expect(info.features['observation.path_valid']).toEqual({ dtype: 'float32', shape: [1], names: ['path_valid'] });
      expect(info.features['observation.state']).toMatchObject({ dtype: 'float32', shape: [10] });
      expect(info.features['observation.state'].names.slice(0, 4)).toEqual(['ee.x', 'ee.y', 'ee.z', 'gripper']);
      expect(info.features.action).toMatchObject({ dtype: 'float32', shape: [4] });
      expect(stats['observation.path'].mean).toHaveLength(PATH_POINTS * 3);
      expect(stats['observation.state'].std).toHaveLength(10);
      expect(stats['observation.path_valid'].mean).toEqual([1]);
      expect(stats['observation.images.front'].mean).toEqual([[[expect.any(Number)]], [[expect.any(Number)]], [[expect.any(Number)]]]);
    }, 60_000);

    it('ffprobe: both videos H.264, one frame per step, the pixel format info.json names; the camera video is the source\'s frames, the overlay one has the path drawn', () => {
      const info = JSON.parse(readFileSync(join(folder(), 'meta/info.json'), 'utf8')) as { features: Record<string, FeatureSpec> };
      for (const key of ['observation.images.front', 'observation.images.front_path_overlay']) {
        const stream = ffprobe(join(folder(), `videos/${key}/chunk-000/file-000.mp4`));
        expect(stream.codec_name).toBe('h264');
        expect(Number(stream.nb_read_frames)).toBe(report.frames);
        expect(formatProblems(checkVideoStream(key, info.features[key], stream))).toEqual([]);
      }
      const source = join(ds(), 'videos/observation.images.front/chunk-000/file-000.mp4');
      const camera = join(folder(), 'videos/observation.images.front/chunk-000/file-000.mp4');
      const overlay = join(folder(), 'videos/observation.images.front_path_overlay/chunk-000/file-000.mp4');
      for (const frame of [0, 17, report.frames - 1]) {
        // Re-encoded (crf 20): close to the source frame, not equal.
        expect(meanAbsDiff(rgb(camera, frame), rgb(source, frame)), `frame ${frame}`).toBeLessThan(3);
        expect(meanAbsDiff(rgb(overlay, frame), rgb(camera, frame)), `frame ${frame}`).toBeGreaterThan(0.2);
      }
    }, 120_000);

    it('the studio\'s LeRobot importer reads it back: episodes, tasks, states, and each frame\'s path starts where HAMSTER\'s answer does', async () => {
      const files = await datasetFilesFromDisk(folder());
      const back = await openLeRobotDataset(files);
      const orig = await openLeRobotDataset(await datasetFilesFromDisk(ds()));
      try {
        expect(back.episodes.map((e) => [e.task, e.length])).toEqual(orig.episodes.map((e) => [e.task, e.length]));
        expect(back.cameras.map((c) => c.key).sort()).toEqual(['observation.images.front', 'observation.images.front_path_overlay']);
        expect(back.stateNames).toEqual(orig.stateNames);
        expect(back.eeStateIndices).toEqual(orig.eeStateIndices);
        for (const e of orig.episodes) {
          const [a, b] = [await orig.readEpisode(e.index), await back.readEpisode(e.index)];
          expect(b.states.map((r) => r.map(Math.fround))).toEqual(a.states.map((r) => r.map(Math.fround)));
          expect(b.actions.map((r) => r.map(Math.fround))).toEqual(a.actions.map((r) => r.map(Math.fround)));
        }
      } finally {
        back.close();
        orig.close();
      }
      // Every frame of an episode (one whole segment) carries its path: the first waypoint is the HAMSTER answer's first point.
      const zip = join(dir, 'out', 'sim-hamster-sft.zip');
      const x = join(dir, 'x-lerobot');
      if (!existsSync(zip)) expect(cli('convert', ds(), '--to', 'hamster', '--out', join(dir, 'out'), '--quiet').code).toBe(0);
      spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, x]);
      const records = JSON.parse(readFileSync(join(x, 'data.json'), 'utf8')) as { id: string; conversations: { value: string }[] }[];
      const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(folder(), 'data/chunk-000/file-000.parquet')), columns: ['episode_index', 'frame_index', 'observation.path', 'observation.path_valid'] });
      expect(rows.every((r) => r['observation.path_valid'] === 1)).toBe(true);
      for (const rec of records) {
        const episode = Number(/-ep(\d+)-s0$/.exec(rec.id)![1]);
        const [x0, y0] = hamsterProcessAnswer(hamsterAnswerRegion(rec.conversations[1].value)).points[0];
        const mine = rows.filter((r) => Number(r.episode_index) === episode);
        for (const r of mine) {
          const p = r['observation.path'] as number[];
          expect(p).toHaveLength(PATH_POINTS * 3);
          expect(Math.abs(p[0] - x0)).toBeLessThanOrEqual(0.006);
          expect(Math.abs(p[1] - y0)).toBeLessThanOrEqual(0.006);
        }
      }
    }, 120_000);

    it('refuses to overwrite an existing folder (exit 1, the folder untouched); --val is a usage error', () => {
      mkdirSync(join(dir, 'lr2', 'sim-lerobot'), { recursive: true });
      writeFileSync(join(dir, 'lr2', 'sim-lerobot', 'keep.txt'), 'mine');
      const r = cli('convert', ds(), '--to', 'lerobot', '--out', join(dir, 'lr2'));
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`${join(dir, 'lr2', 'sim-lerobot')} already exists. Remove it or pick another --out.`);
      expect(readFileSync(join(dir, 'lr2', 'sim-lerobot', 'keep.txt'), 'utf8')).toBe('mine');
      const u = cli('convert', ds(), '--to', 'lerobot', '--out', join(dir, 'lr3'), '--val', '0.1');
      expect(u.code).toBe(2);
      expect(u.stderr).toMatch(/^--val and --seed split a HAMSTER zip/);
    }, 60_000);

    it('a calibration file that is not one: the same message and exit 1 as --to hamster, nothing written', () => {
      const bad = join(dir, 'cal-lr.json');
      writeFileSync(bad, JSON.stringify({ width: 256, height: 256, projection: [1, 2, 3] }));
      const r = cli('convert', ds(), '--to', 'lerobot', '--out', join(dir, 'never-lr'), '--calibration', bad);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(/^--calibration .*: "projection" must be 12 finite numbers \(3×4, row-major\), got 3\./);
      expect(existsSync(join(dir, 'never-lr'))).toBe(false);
    }, 60_000);
  });
});

describe('bad input and bad arguments', () => {
  it('a path that does not exist: the JSON object with the refusal, exit 1', () => {
    const r = cli('inspect', '/nonexistent/dataset', '--json');
    expect(r.code).toBe(1);
    expect(json(r.stdout)).toMatchObject({ format: null, refused: true, problems: ['“/nonexistent/dataset” does not exist. Give the dataset\'s root folder (the one holding meta/), an .hdf5 file, or a ROS bag folder or .mcap file.'] });
  }, 60_000);

  it('a folder that is no dataset: the studio\'s message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-notds-'));
    try {
      writeFileSync(join(dir, 'notes.txt'), 'hello');
      const r = cli('inspect', dir, '--json');
      expect(r.code).toBe(1);
      const name = dir.split('/').pop();
      expect(json(r.stdout).problems).toEqual([`“${name}” is neither a LeRobot dataset (no meta/info.json) nor a robomimic/LIBERO HDF5 file (.hdf5), nor a ROS bag (metadata.yaml, .mcap or .db3).`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('usage errors exit 2 and print the usage', () => {
    for (const args of [[], ['frobnicate', '.'], ['convert', '.', '--to', 'parquet', '--out', '/tmp/x'], ['inspect', '.', '--bogus']]) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr + r.stdout).toMatch(/Usage:/);
    }
  }, 60_000);
});
