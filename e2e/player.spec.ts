import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIM_CAMERA, episodeFirstIndex, ffmpegFrame, generateSimDataset, projectSim, readSimCalibration, removeTemp, simStates } from './episodesFixtures';

/**
 * The episode player: a simulator episode imported as in episodes.spec.ts, opened from the Library,
 * scrubbed (frame, time, image and every plot's cursor agree), played, stepped with the keys, and
 * a sample made from a chosen frame, which opens in Annotate with that very frame's image.
 */
let sim: string;
test.beforeAll(() => { sim = generateSimDataset(2, 1); });
test.afterAll(() => removeTemp(sim));

const INSTRUCTION = 'push the orange button firmly';

/** The stored sample: instruction, path, provenance and its image decoded to RGB (base64). */
async function storedSample(page: Page, sampleId: string) {
  return page.evaluate(async (id) => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const get = <T,>(store: string, key: string) => new Promise<T>((res, rej) => { const r = db.transaction(store).objectStore(store).get(key); r.onsuccess = () => res(r.result as T); r.onerror = () => rej(r.error); });
    const s = await get<{ assetId: string; instruction: string; source: string; path: { points: { x: number; y: number }[] } | null; provenance: { episodeId: string; frameStart: number } }>('samples', id);
    const asset = await get<{ blob: Blob }>('assets', s.assetId);
    db.close();
    const bmp = await createImageBitmap(asset.blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const rgba = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let bin = '';
    for (let i = 0; i < rgba.length; i += 4) bin += String.fromCharCode(rgba[i], rgba[i + 1], rgba[i + 2]);
    return { instruction: s.instruction, source: s.source, path: s.path, provenance: s.provenance, width: bmp.width, height: bmp.height, rgb: btoa(bin) };
  }, sampleId);
}

const meanDiff = (a: Buffer, b: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;

async function shownFrame(page: Page): Promise<number> {
  return Number(/^Frame (\d+) \//.exec((await page.getByTestId('player-frame').textContent())!)![1]);
}

/** Frame, time, image and the cursor of every plot (its index and the time its legend reads) all say `frame`. */
async function expectInSync(page: Page, frame: number, fps: number) {
  const time = `${(frame / fps).toFixed(2)}`;
  await expect(page.getByTestId('player-time')).toHaveText(`${time} s`);
  await expect(page.getByTestId('player-canvas')).toHaveAttribute('data-image-step', String(frame));
  for (const plot of ['plot-state', 'plot-action', 'plot-gripper']) {
    await expect(page.getByTestId(plot)).toHaveAttribute('data-cursor-frame', String(frame));
    await expect(page.getByTestId(plot).locator('.u-legend .u-series').first().locator('.u-value')).toHaveText(time);
  }
}

test('the episode player replays an imported simulator episode in sync and makes a sample from a chosen frame', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/import/episodes');
  await page.getByLabel('Dataset folder').setInputFiles(sim);
  // Episode 1 starts part-way into the concatenated video: frames must be picked by its own timeline.
  await page.getByRole('button', { name: 'None' }).click();
  await page.getByLabel('Import episode 1').check();
  await page.getByLabel('Instruction for episode 1').fill(INSTRUCTION);
  await page.getByRole('button', { name: 'Import 1 episode as samples' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 1 episodes as', { timeout: 60_000 });
  await page.getByRole('link', { name: 'Open in Library' }).click();
  await page.getByTestId('dataset-episodes').locator('summary').click();
  await page.getByRole('link', { name: 'Open sim-dataset episode 1 in the player' }).click();
  await expect(page).toHaveURL(/\/player\/[^/]+$/);

  const states = await simStates(sim, 1);
  const last = states.length - 1;
  const fps = JSON.parse(readFileSync(join(sim, 'meta/info.json'), 'utf8')).fps as number;
  await expect(page.getByRole('heading', { name: 'sim-dataset episode 1' })).toBeVisible();
  await expect(page.getByTestId('player-frame')).toHaveText(`Frame 0 / ${last}`);
  await expectInSync(page, 0, fps);
  await expect(page.getByTestId('outcome-mark')).toHaveText('✓ success');

  // Scrub: drag the slider's thumb and stop at three places.
  const slider = page.getByTestId('player-scrubber');
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 6, y);
  await page.mouse.down();
  const seen: number[] = [];
  for (const fraction of [0.2, 0.55, 0.9]) {
    await page.mouse.move(box.x + 6 + fraction * (box.width - 12), y, { steps: 4 });
    await expect.poll(() => shownFrame(page)).toBeGreaterThan(seen.at(-1) ?? 0);
    const frame = await shownFrame(page);
    expect(Math.abs(frame - fraction * last), `stopped at ${fraction}`).toBeLessThanOrEqual(2);
    await expectInSync(page, frame, fps);
    seen.push(frame);
  }
  await page.mouse.up();

  // Play (slowly) and pause: it moves on by itself.
  await page.getByLabel('Playback speed').selectOption('0.25');
  await page.getByRole('button', { name: 'First frame' }).click();
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play / pause' })).toHaveText('❚❚');
  await expect.poll(() => shownFrame(page)).toBeGreaterThan(0);
  await page.keyboard.press('Space');
  await expect(page.getByRole('button', { name: 'Play / pause' })).toHaveText('▶');

  // Choose a frame with the keys: Home, two tens and three ones on.
  const chosen = 23;
  expect(last).toBeGreaterThan(chosen + 2);
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('player-frame')).toHaveText(`Frame ${chosen} / ${last}`);
  await expectInSync(page, chosen, fps);
  await expect(page.getByTestId('player-path-note')).toContainText(`Path from frame ${chosen}:`);

  await page.keyboard.press('m');
  await expect(page).toHaveURL(/\/annotate\/[^/]+\/[^/]+$/);
  const sampleId = page.url().split('/').at(-1)!;
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', sampleId);
  await expect(page.getByTestId('instruction')).toHaveValue(INSTRUCTION);

  const s = await storedSample(page, sampleId);
  expect(s).toMatchObject({ instruction: INSTRUCTION, source: 'episode', provenance: { frameStart: chosen } });
  // The path starts at the end effector of that frame (the sim's own projection, computed here).
  const cal = readSimCalibration(sim);
  const ee = projectSim(cal, 1, states[chosen].slice(0, 3));
  expect(s.path!.points.length).toBeGreaterThanOrEqual(2);
  expect(Math.hypot(s.path!.points[0].x * cal.width - 0.5 - ee.u, s.path!.points[0].y * cal.height - 0.5 - ee.v)).toBeLessThan(0.05);
  // The image is that very frame: closer to ffmpeg's decode of it than to its neighbours'.
  const video = join(sim, `videos/${SIM_CAMERA}/chunk-000/file-000.mp4`);
  const first = await episodeFirstIndex(sim, 1);
  const rgb = Buffer.from(s.rgb, 'base64');
  const [before, exact, after] = [-1, 0, 1].map((d) => meanDiff(rgb, ffmpegFrame(video, first + chosen + d, s.width, s.height)));
  expect(exact, `diff ${exact.toFixed(2)} vs neighbours ${before.toFixed(2)} / ${after.toFixed(2)}`).toBeLessThan(Math.min(before, after));
});

test('the episode player says so when the episode does not exist', async ({ page }) => {
  await page.goto('/player/no-such-episode');
  await expect(page.getByTestId('player-empty')).toContainText('No such episode');
  await page.getByRole('link', { name: 'Go to the Library' }).click();
  await expect(page).toHaveURL(/\/library$/);
});
