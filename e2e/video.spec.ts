import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { sharedFixture } from '../src/testing/sharedFixtures';
import { makeSyntheticVideo } from '../src/testing/syntheticVideo';
import { createDataset, dropFiles, settled, type TestFile } from './helpers';

// A real robot video from another project; the tests that use it skip, naming the folder, without ../shared.
const tabletop = sharedFixture('video-robot-tabletop');
const FIXTURE = tabletop.path('two_obj_compressed.mp4');
const fileOf = (path: string, name: string, mime = 'video/mp4'): TestFile => ({ name, mime, data: readFileSync(path) });

/** Counts in the studio's database, videos included. */
async function storeCounts(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const count = (store: string) => new Promise<number>((res) => { const r = db.transaction(store).objectStore(store).count(); r.onsuccess = () => res(r.result); });
    const out = { videos: await count('videos'), assets: await count('assets'), samples: await count('samples') };
    db.close();
    return out;
  });
}

async function readSamples(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = await new Promise<unknown[]>((res) => { const r = db.transaction('samples').objectStore('samples').getAll(); r.onsuccess = () => res(r.result); });
    db.close();
    return all as { instruction: string; source: string; path: { initialGripper: string; points: { x: number; y: number; gripper: string }[] } | null; provenance: Record<string, unknown>; assetId: string }[];
  });
}

/** The canvas's current pixels as RGBA. */
async function canvasPixels(page: Page) {
  const url = await page.getByTestId('video-frame').evaluate((c: HTMLCanvasElement) => c.toDataURL('image/png'));
  return PNG.sync.read(Buffer.from(url.split(',')[1], 'base64'));
}

/** ffmpeg's own decode of frame `n` (the reference for frame accuracy). */
function ffmpegFrame(file: string, n: number): PNG {
  const out = join(mkdtempSync(join(tmpdir(), 'frame-')), 'f.png');
  execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-y', out]);
  return PNG.sync.read(readFileSync(out));
}

function meanAbsDiff(a: PNG, b: PNG): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) sum += Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
  return sum / (a.width * a.height * 3);
}

async function goToFrame(page: Page, n: number) {
  await page.getByLabel('Scrub frames').fill(String(n));
  await expect(page.getByTestId('frame-counter')).toContainText(`Frame ${n} /`);
}

/** Opens video import and waits until a target dataset is chosen (a drop before that is refused). */
async function openVideoImport(page: Page): Promise<void> {
  await page.goto('/import/video');
  await expect(page).toHaveURL(/[?&]dataset=/);
}

test('imports the fixture and a synthetic video, tracks a point, marks a grasp and makes a sample on the known trajectory', async ({ page }) => {
  test.skip(!tabletop.present, tabletop.skipReason);
  test.setTimeout(120_000);
  const synthetic = makeSyntheticVideo({ width: 320, height: 240, frames: 60, speed: 3, codec: 'h264' });
  await createDataset(page, 'Videos');
  await openVideoImport(page);
  await expect(page.getByTestId('no-videos')).toBeVisible();
  await dropFiles(page, '[data-testid=video-dropzone]', [fileOf(FIXTURE, 'two_obj_compressed.mp4'), fileOf(synthetic.file, 'moving-patch.mp4')]);
  const list = page.getByRole('table', { name: 'Imported videos' });
  await expect(list.getByRole('row')).toHaveCount(3);
  await expect(list).toContainText('800×450');
  await expect(list).toContainText('160 @ 30 fps');
  await expect(list).toContainText('60 @ 30 fps');

  // The fixture (one keyframe, index at the end): a frame in the middle is exactly ffmpeg's.
  await page.getByRole('link', { name: 'Open two_obj_compressed.mp4' }).click();
  await expect(page.getByTestId('frame-counter')).toHaveText('Frame 0 / 159');
  await goToFrame(page, 100);
  await expect.poll(async () => meanAbsDiff(await canvasPixels(page), ffmpegFrame(FIXTURE, 100)), { timeout: 10_000 }).toBeLessThan(3);
  const shown = await canvasPixels(page);
  expect(meanAbsDiff(shown, ffmpegFrame(FIXTURE, 100))).toBeLessThan(meanAbsDiff(shown, ffmpegFrame(FIXTURE, 97)));
  // Stepping with the keyboard: Alt+→ one frame, Shift+Alt+← ten back.
  await page.keyboard.press('Alt+ArrowRight');
  await expect(page.getByTestId('frame-counter')).toHaveText('Frame 101 / 159');
  await page.keyboard.press('Shift+Alt+ArrowLeft');
  await expect(page.getByTestId('frame-counter')).toHaveText('Frame 91 / 159');
  await page.getByRole('button', { name: '← Videos' }).click();

  // The synthetic clip: click the patch centre on frame 0; the worker tracks it to the end.
  await page.getByRole('link', { name: 'Open moving-patch.mp4' }).click();
  await expect(page.getByTestId('frame-counter')).toHaveText('Frame 0 / 59');
  const canvas = page.getByTestId('video-frame');
  // The click is scaled by the canvas's size: take it once it has settled (under load it was
  // measured mid-layout once, and the click landed 60 px off the patch).
  const box = (await settled(page, () => canvas.boundingBox()))!;
  const start = synthetic.truth[0];
  await canvas.click({ position: { x: (start.x / 320) * box.width, y: (start.y / 240) * box.height } });
  await expect(page.getByTestId('segment-1')).toContainText('60/60 tracked', { timeout: 60_000 });
  await page.getByLabel('Instruction for segment 1').fill('push the patch to the right');

  // A grasp at frame 20: Shift+Alt+→ twice from 0, then C.
  await page.getByLabel('Instruction for segment 1').press('Escape');
  await page.keyboard.press('Shift+Alt+ArrowRight');
  await page.keyboard.press('Shift+Alt+ArrowRight');
  await expect(page.getByTestId('frame-counter')).toHaveText('Frame 20 / 59');
  await page.keyboard.press('c');
  await expect(page.getByTestId('gripper-closed-20')).toBeVisible();

  await page.getByRole('button', { name: 'Make sample' }).click();
  await expect(page.getByRole('link', { name: 'Open the new sample in Annotate' })).toBeVisible();
  // Clicked again, the segment's sample (still a draft) is made anew in place, never twice.
  await page.getByRole('button', { name: 'Make sample' }).click();
  await expect(page.getByText(/Updated the sample of frames 0–59/)).toBeVisible();
  const samples = await readSamples(page);
  expect(samples).toHaveLength(1);
  const [sample] = samples;
  expect(sample.source).toBe('video');
  expect(sample.instruction).toBe('push the patch to the right');
  expect(sample.provenance).toMatchObject({ frameStart: 0, frameEnd: 59 });
  const path = sample.path!;
  expect(path.points.length).toBeGreaterThanOrEqual(2);
  // Every waypoint lies on the true trajectory, from the first to the last frame. Tolerance 3 px:
  // the tracker's < 2 px (unit-tested) plus up to 1 px where a click lands on a CSS-pixel grid.
  const truthPx = synthetic.truth;
  for (const p of path.points) {
    const d = Math.min(...truthPx.map((t) => Math.hypot(p.x * 320 - t.x, p.y * 240 - t.y)));
    expect(d).toBeLessThan(3);
  }
  expect(Math.hypot(path.points[0].x * 320 - truthPx[0].x, path.points[0].y * 240 - truthPx[0].y)).toBeLessThan(1.5);
  const end = path.points[path.points.length - 1];
  expect(Math.hypot(end.x * 320 - truthPx[59].x, end.y * 240 - truthPx[59].y)).toBeLessThan(3);
  // The grasp: the gripper closes at the waypoint of frame 20.
  const closeAt = path.points.findIndex((p) => p.gripper === 'closed');
  expect(closeAt).toBeGreaterThan(0);
  expect(Math.hypot(path.points[closeAt].x * 320 - truthPx[20].x, path.points[closeAt].y * 240 - truthPx[20].y)).toBeLessThan(3);
  expect(path.initialGripper).toBe('open');

  // The sample shows in the Library like any image.
  await page.getByRole('link', { name: 'Open the new sample in Annotate' }).click();
  await expect(page).toHaveURL(/\/annotate\//);
});

test('bad videos get a clear message naming the file, and nothing is stored', async ({ page }) => {
  test.skip(!tabletop.present, tabletop.skipReason);
  test.setTimeout(90_000);
  const dir = mkdtempSync(join(tmpdir(), 'bad-video-'));
  const make = (name: string, args: string[]) => { execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, join(dir, name)]); return join(dir, name); };
  const hevc = make('hevc.mp4', ['-f', 'lavfi', '-i', 'testsrc=s=160x120:d=1', '-c:v', 'libx265', '-tag:v', 'hvc1', '-pix_fmt', 'yuv420p']);
  const mpeg4 = make('xvid.mp4', ['-f', 'lavfi', '-i', 'testsrc=s=160x120:d=1', '-c:v', 'mpeg4']);
  const audio = make('audio.m4a', ['-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'aac']);
  const whole = readFileSync(FIXTURE);
  writeFileSync(join(dir, 'truncated.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
  writeFileSync(join(dir, 'garbage.mp4'), Buffer.from('this is not a video at all, just some text '.repeat(50)));
  // Indexes fine, fails in the decoder: the second half of the media data overwritten.
  const good = readFileSync(make('overwritten-src.mp4', ['-f', 'lavfi', '-i', 'testsrc=s=160x120:d=2:r=10', '-c:v', 'libx264', '-g', '5', '-pix_fmt', 'yuv420p']));
  const mdat = good.indexOf(Buffer.from('mdat')) + 4, end = mdat + good.readUInt32BE(mdat - 8) - 8;
  const overwritten = Buffer.from(good);
  for (let i = Math.floor((mdat + end) / 2); i < end; i++) overwritten[i] = (i * 7919) & 0xff;
  writeFileSync(join(dir, 'overwritten.mp4'), overwritten);

  await createDataset(page, 'Bad videos');
  await openVideoImport(page);
  const cases: [TestFile, RegExp][] = [
    [{ name: 'empty.mp4', mime: 'video/mp4', data: Buffer.alloc(0) }, /empty\.mp4: the file is empty/],
    [fileOf(audio, 'audio.m4a', 'audio/mp4'), /audio\.m4a: the file has only audio/],
    [fileOf(hevc, 'hevc.mp4'), /hevc\.mp4: the video codec H\.265 \(HEVC\) is not supported/],
    [fileOf(mpeg4, 'xvid.mp4'), /xvid\.mp4: the video codec MPEG-4 Part 2 is not supported/],
    [fileOf(join(dir, 'truncated.mp4'), 'truncated.mp4'), /truncated\.mp4: .*(damaged|truncated)/],
    [fileOf(join(dir, 'garbage.mp4'), 'garbage.mp4'), /garbage\.mp4: .*(not a video|damaged)/],
    [fileOf(join(dir, 'overwritten.mp4'), 'overwritten.mp4'), /overwritten\.mp4: frame \d+ of 20 cannot be decoded .*the file is damaged/],
  ];
  for (const [file, message] of cases) {
    await dropFiles(page, '[data-testid=video-dropzone]', [file]);
    await expect(page.getByText(message)).toBeVisible();
  }
  expect(await storeCounts(page)).toEqual({ videos: 0, assets: 0, samples: 0 });
  await expect(page.getByTestId('no-videos')).toBeVisible();
});

test('occlusion is flagged, a correction resumes tracking, R/E jump between keyframes, Space plays, every-N makes images', async ({ page }) => {
  test.setTimeout(120_000);
  const video = makeSyntheticVideo({ width: 400, height: 240, frames: 70, speed: 4, occluderX: 150, codec: 'h264' });
  await createDataset(page, 'Occluded');
  await openVideoImport(page);
  await dropFiles(page, '[data-testid=video-dropzone]', [fileOf(video.file, 'occluded.mp4')]);
  await page.getByRole('link', { name: 'Open occluded.mp4' }).click();
  const canvas = page.getByTestId('video-frame');
  const clickTruth = async (n: number) => {
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: (video.truth[n].x / 400) * box.width, y: (video.truth[n].y / 240) * box.height } });
  };
  await clickTruth(0);
  // OpenCV.js loads on the first track: the job tray says so instead of sitting at 0 / 70.
  await expect(page.getByRole('progressbar', { name: /^Tracking occluded\.mp4/ }).getByRole('status')).toHaveText('Loading the tracker (OpenCV.js, first use only)…');
  const card = page.getByTestId('segment-1');
  await expect(card).toContainText('70/70 tracked', { timeout: 60_000 });
  await expect(card).toContainText(/\d+ unreliable frames?/);
  await goToFrame(page, video.occludedFrames[2]);
  await expect(page.getByTestId('point-status')).toHaveText(/unreliable/);
  // Lost after the occlusion, most of the track is unreliable: no sample from it yet, and why.
  await expect(card.getByRole('button', { name: 'Make sample' })).toBeDisabled();
  await expect(card.getByTestId('track-problem')).toContainText('click the right point');

  // Correct the point once the patch is out again: tracking resumes from there.
  await goToFrame(page, 60);
  await clickTruth(60);
  await expect(card).not.toContainText('Tracking…', { timeout: 60_000 });
  await goToFrame(page, 69);
  await expect(page.getByTestId('point-status')).toHaveText('tracked');
  await page.keyboard.press('e');
  await expect(page.getByTestId('frame-counter')).toHaveText('Frame 60 / 69');
  await page.keyboard.press('e');
  await expect(page.getByTestId('frame-counter')).toHaveText('Frame 0 / 69');
  await page.keyboard.press('r');
  await expect(page.getByTestId('frame-counter')).toHaveText('Frame 60 / 69');

  await expect(card.getByTestId('track-problem')).toHaveCount(0);
  await page.getByRole('button', { name: 'Make sample' }).click();
  await expect(page.getByRole('link', { name: 'Open the new sample in Annotate' })).toBeVisible();
  const [sample] = await readSamples(page);
  const end = sample.path!.points.at(-1)!;
  expect(Math.hypot(end.x * 400 - video.truth[69].x, end.y * 240 - video.truth[69].y)).toBeLessThan(3);

  // Space plays from frame 0 and pauses.
  await goToFrame(page, 0);
  await page.getByTestId('frame-counter').click();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('frame-counter')).not.toHaveText('Frame 0 / 69');
  await page.keyboard.press('Space');
  const paused = await page.getByTestId('frame-counter').textContent();
  await page.waitForTimeout(300);
  await expect(page.getByTestId('frame-counter')).toHaveText(paused!);

  // Plain images for sketching: one every 10 frames.
  await page.getByLabel('Frames between samples').fill('10');
  await page.getByRole('button', { name: 'Add 7 images' }).click();
  await expect.poll(async () => (await storeCounts(page)).samples, { timeout: 30_000 }).toBe(8);
  const plain = (await readSamples(page)).filter((s) => s.path === null);
  expect(plain.map((s) => s.provenance.frameStart).sort((a, b) => Number(a) - Number(b))).toEqual([0, 10, 20, 30, 40, 50, 60]);
  expect(plain.every((s) => s.source === 'video')).toBe(true);
});

test('imports WebM (VP8, VP9) and AV1 MP4 and shows the exact frame asked for', async ({ page }) => {
  test.setTimeout(120_000);
  const clips = (['vp8', 'vp9', 'av1'] as const).map((codec) => ({ codec, video: makeSyntheticVideo({ width: 192, height: 128, frames: 24, speed: 2, wobble: 6, patchSize: 32, codec }) }));
  await createDataset(page, 'Codecs');
  await openVideoImport(page);
  await dropFiles(page, '[data-testid=video-dropzone]', clips.map(({ codec, video }) => fileOf(video.file, `${codec}.${video.file.split('.').pop()}`, video.file.endsWith('webm') ? 'video/webm' : 'video/mp4')));
  const list = page.getByRole('table', { name: 'Imported videos' });
  await expect(list.getByRole('row')).toHaveCount(4);
  for (const { codec, video } of clips) {
    const name = `${codec}.${video.file.split('.').pop()}`;
    await expect(list.getByRole('row', { name: new RegExp(name) })).toContainText('24 @ 30 fps');
    await page.getByRole('link', { name: `Open ${name}` }).click();
    await goToFrame(page, 15);
    const reference = ffmpegFrame(video.file, 15);
    await expect.poll(async () => meanAbsDiff(await canvasPixels(page), reference), { timeout: 10_000 }).toBeLessThan(4);
    expect(meanAbsDiff(await canvasPixels(page), reference)).toBeLessThan(meanAbsDiff(await canvasPixels(page), ffmpegFrame(video.file, 14)));
    await page.getByRole('button', { name: '← Videos' }).click();
  }
});

test('a video that does not fit in storage gives the storage message and leaves nothing behind', async ({ page, baseURL }) => {
  test.skip(!tabletop.present, tabletop.skipReason);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 200 * 1024 });
  await createDataset(page, 'Tiny disk');
  await openVideoImport(page);
  await dropFiles(page, '[data-testid=video-dropzone]', [fileOf(FIXTURE, 'two_obj_compressed.mp4')]);
  await expect(page.getByRole('alert').filter({ hasText: 'no more storage space' })).toBeVisible({ timeout: 30_000 });
  expect(await storeCounts(page)).toEqual({ videos: 0, assets: 0, samples: 0 });
  await expect(page.getByTestId('no-videos')).toBeVisible();
});
