/**
 * The CLI as a user runs it: a separate process (`tsx src/cli/main.ts`), on the shared fixtures
 * (written by lerobot and by rosbag2's own test suite; skipped without ../shared) and on a dataset
 * written by the simulator's generator. The zip is read back by Python's zipfile and the frames
 * checked against ffmpeg's own decode of the same video frame.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { hamsterAnswerRegion, hamsterProcessAnswer } from '../testing/hamsterProcessAnswer';
import { sharedFixture } from '../testing/sharedFixtures';

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

  it('convert refuses with the studio\'s message (no camera has frames) and a non-zero exit, writing nothing', () => {
    const out = mkdtempSync(join(tmpdir(), 'cli-so101-'));
    try {
      const r = cli('convert', so101.path(), '--to', 'hamster', '--out', out);
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

  it('convert of a bag without a camera: the studio\'s message, exit 1', () => {
    const r = cli('convert', bags.path('talker'), '--to', 'hamster', '--out', join(tmpdir(), 'cli-never-written'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^talker has no camera topic .* Its topics: \/parameter_events \(rcl_interfaces\/msg\/ParameterEvent, 0\), \/rosout/);
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
