import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dbCounts } from './helpers';
import { SIM_CAMERA, copyDataset, editInfo, generateSimDataset, removeTemp } from './episodesFixtures';

const VIDEO = `videos/${SIM_CAMERA}/chunk-000/file-000.mp4`;
let sim: string;
const made: string[] = [];
test.beforeAll(() => { sim = generateSimDataset(2, 3); });
test.afterAll(() => { removeTemp(sim); made.forEach(removeTemp); });

function broken(name: string, breakIt: (dir: string) => void): string {
  const dir = copyDataset(sim, name);
  made.push(dir);
  breakIt(dir);
  return dir;
}

function ffmpeg(dir: string, args: string[]) {
  const src = join(dir, VIDEO), tmp = join(dir, 'tmp.mp4');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, ...args, tmp]);
  renameSync(tmp, src);
}

async function openFails(page: Page, dir: string, message: RegExp) {
  await page.goto('/import/episodes');
  const before = await dbCounts(page);
  await page.getByLabel('Dataset folder').setInputFiles(dir);
  await expect(page.getByRole('alert')).toContainText(message);
  expect(await dbCounts(page)).toEqual(before);
}

test('an unknown codebase_version is refused, naming the version and the supported ones', async ({ page }) => {
  const dir = broken('future-version', (d) => editInfo(d, (info) => { info.codebase_version = 'v4.0'; }));
  await openFails(page, dir, /codebase_version "v4\.0" is not supported; Path Studio reads LeRobot v2\.0, v2\.1 and v3\.0/);
});

test('a folder that is not a dataset, and a dataset without its data file, get clear messages', async ({ page }) => {
  const notDataset = broken('just-videos', (d) => { rmSync(join(d, 'meta'), { recursive: true }); rmSync(join(d, 'data'), { recursive: true }); });
  await openFails(page, notDataset, /neither a LeRobot dataset \(no meta\/info\.json\) nor a robomimic\/LIBERO HDF5 file/);
  const noData = broken('no-data', (d) => rmSync(join(d, 'data'), { recursive: true }));
  await openFails(page, noData, /None of the 2 episodes listed in meta\/ has its data file in this folder \(1 data file missing: data\/chunk-000\/file-000\.parquet\)\. Download the data\/ folder too/);
});

test('a video codec the browser cannot decode (HEVC) is named with its file', async ({ page }) => {
  const dir = broken('hevc', (d) => ffmpeg(d, ['-c:v', 'libx265', '-x265-params', 'log-level=error', '-pix_fmt', 'yuv420p']));
  await openFails(page, dir, new RegExp(`${VIDEO.replace(/[.]/g, '\\.')}: the video codec H\\.265 \\(HEVC\\) is not supported\\. Re-encode it`));
});

test('a video shorter than the parquet data says the lengths disagree', async ({ page }) => {
  const dir = broken('short-video', (d) => ffmpeg(d, ['-frames:v', '20', '-c', 'copy']));
  await openFails(page, dir, /file-000\.mp4 is [\d.]+ s long but episode \d+ needs frames up to [\d.]+ s \(parquet and video lengths disagree\)/);
});

test('a calibration that projects behind the camera is shown in the browser and refused on import, leaving the database as it was', async ({ page }) => {
  // An OpenGL-style camera (looking along −z) left unconverted: flip the camera's y and z rows.
  const dir = broken('opengl-camera', (d) => editInfo(d, (info) => {
    const cam = (info.path_studio as { cameras: Record<string, { world_to_camera_per_episode: number[][][] }> }).cameras[SIM_CAMERA];
    cam.world_to_camera_per_episode = cam.world_to_camera_per_episode.map((t) => t.map((row, r) => (r === 1 || r === 2 ? row.map((x) => -x) : row)));
  }));
  await page.goto('/import/episodes');
  const before = await dbCounts(page);
  await page.getByLabel('Dataset folder').setInputFiles(dir);
  await expect(page.getByTestId('episode-detail').getByRole('alert')).toContainText(/Episode 0: \d+ of \d+ end-effector points project behind the camera/);
  await page.getByRole('button', { name: 'Import 2 episodes as samples' }).click();
  const error = page.locator('.ep-import').getByRole('alert');
  await expect(error).toContainText(/project behind the camera.*Nothing from this import was saved/, { timeout: 30_000 });
  // No dataset, episode, sample or asset is left behind.
  expect(await dbCounts(page)).toEqual(before);
});
