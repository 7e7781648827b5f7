import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armUrdf } from '../sim/src/scene/arm';
import { startSim } from '../src/testing/simProcess';
import { docsScreenshot, sketchPath } from './helpers';
import { SIM_CAMERA, episodeFirstIndex, ffmpegFrame, generateSimDataset, projectSim, readSimCalibration, removeTemp, simStates } from './episodesFixtures';

/**
 * The episode player: a simulator episode imported as in episodes.spec.ts, opened from the Library,
 * scrubbed (frame, time, image, every plot's cursor and the 3D view's marker agree), played, stepped with the keys, and
 * a sample made from a chosen frame, which opens in Annotate with that very frame's image; and a
 * live model run on the simulated robot, taken over and handed back, replayed with its
 * intervention and outcome on the timeline.
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

/** Where the 3D view's marker is, once it shows `frame` (base frame, m). */
async function marker3d(page: Page, frame: number): Promise<number[]> {
  const view = page.getByTestId('player-3d');
  await expect(view).toHaveAttribute('data-marker-frame', String(frame));
  return (await view.getAttribute('data-marker'))!.split(',').map(Number);
}

/**
 * Frame, time, image and the cursor of every plot (its index and the time its legend reads) all
 * say `frame`, and the 3D marker is on the end effector (`ee`, the state's x, y, z) there.
 */
async function expectInSync(page: Page, frame: number, fps: number, ee: number[]) {
  const time = `${(frame / fps).toFixed(2)}`;
  await expect(page.getByTestId('player-time')).toHaveText(`${time} s`);
  await expect(page.getByTestId('player-canvas')).toHaveAttribute('data-image-step', String(frame));
  for (const plot of ['plot-state', 'plot-action', 'plot-gripper']) {
    await expect(page.getByTestId(plot)).toHaveAttribute('data-cursor-frame', String(frame));
    await expect(page.getByTestId(plot).locator('.u-legend .u-series').first().locator('.u-value')).toHaveText(time);
  }
  const marker = await marker3d(page, frame);
  expect(marker).toHaveLength(3);
  marker.forEach((v, i) => expect(Math.abs(v - ee[i]), `3D marker ${'xyz'[i]} at frame ${frame}`).toBeLessThan(1e-4));
}

/**
 * Imports episode 1 of the simulator dataset as samples and opens it in the player from the
 * Library. Episode 1 starts part-way into the concatenated video: frames must be picked by its
 * own timeline.
 */
async function importEpisodeOneAndOpenIt(page: Page) {
  await page.goto('/import/episodes');
  await page.getByLabel('Dataset folder').setInputFiles(sim);
  await page.getByRole('button', { name: 'None' }).click();
  await page.getByLabel('Import episode 1').check();
  await page.getByLabel('Instruction for episode 1').fill(INSTRUCTION);
  await page.getByRole('button', { name: 'Import 1 episode as samples' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 1 episodes as', { timeout: 60_000 });
  await page.getByRole('link', { name: 'Open in Library' }).click();
  await page.getByTestId('dataset-episodes').locator('summary').click();
  await page.getByRole('link', { name: 'Open sim-dataset episode 1 in the player' }).click();
  await expect(page).toHaveURL(/\/player\/[^/]+$/);
}

test('the episode player replays an imported simulator episode in sync and makes a sample from a chosen frame', { tag: '@docs' }, async ({ page }) => {
  test.setTimeout(120_000);
  await importEpisodeOneAndOpenIt(page);

  const states = await simStates(sim, 1);
  const last = states.length - 1;
  const fps = JSON.parse(readFileSync(join(sim, 'meta/info.json'), 'utf8')).fps as number;
  await expect(page.getByRole('heading', { name: 'sim-dataset episode 1' })).toBeVisible();
  await expect(page.getByTestId('player-frame')).toHaveText(`Frame 0 / ${last}`);
  await expectInSync(page, 0, fps, states[0]);
  await expect(page.getByTestId('outcome-mark')).toHaveText('✓ success');
  await expect(page.getByTestId('player-3d-note')).toContainText(`End-effector trail over ${states.length} frames, the camera`);

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
    await expectInSync(page, frame, fps, states[frame]);
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
  await docsScreenshot(page, 'player-imported');
  await expectInSync(page, chosen, fps, states[chosen]);
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

/** The episode's samples as stored: id, status and frame range, ordered by first frame. */
async function episodeSamples(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = await new Promise<{ id: string; status: string; instruction: string; provenance: { episodeId?: string; frameStart?: number; frameEnd?: number } }[]>((res) => {
      const r = db.transaction('samples').objectStore('samples').getAll();
      r.onsuccess = () => res(r.result);
    });
    db.close();
    return all.filter((s) => s.provenance.episodeId)
      .map((s) => ({ id: s.id, status: s.status, instruction: s.instruction, start: s.provenance.frameStart!, end: s.provenance.frameEnd! }))
      .sort((a, b) => a.start - b.start);
  });
}

test('the episode player poses the arm of an episode imported with forward kinematics of the simulator\'s URDF', async ({ page }) => {
  test.setTimeout(120_000);
  // The simulator's arm as a URDF folder, as someone would pick it.
  const folder = join(mkdtempSync(join(tmpdir(), 'ps-e2e-urdf-')), 'sim-arm');
  mkdirSync(folder);
  writeFileSync(join(folder, 'arm.urdf'), armUrdf());
  try {
    await page.goto('/import/episodes');
    await page.getByLabel('Dataset folder').setInputFiles(sim);
    await page.getByRole('button', { name: 'None' }).click();
    await page.getByLabel('Import episode 0').check();
    await page.getByRole('radio', { name: 'Forward kinematics of a URDF' }).check();
    await page.getByLabel('URDF folder').setInputFiles(folder);
    await expect(page.getByTestId('urdf-summary')).toContainText('6 matched to state columns');
    await page.getByRole('button', { name: 'Import 1 episode as samples' }).click();
    await expect(page.getByTestId('import-result')).toContainText('Imported 1 episodes as', { timeout: 60_000 });
    await page.getByRole('link', { name: 'Open in Library' }).click();
    await page.getByTestId('dataset-episodes').locator('summary').click();
    await page.getByRole('link', { name: 'Open sim-dataset episode 0 in the player' }).click();
    await expect(page.getByTestId('player-3d-note')).toContainText('the robot (6 joints from its URDF)');

    // urdf-loader poses the stored URDF from the stored joint values: its tip link is where the
    // import's forward kinematics put the end effector (the trail's marker), frame after frame.
    const last = Number(/\/ (\d+)$/.exec((await page.getByTestId('player-frame').textContent())!)![1]);
    for (const frame of [0, Math.round(last / 2), last]) {
      await page.getByTestId('player-scrubber').fill(String(frame));
      const marker = await marker3d(page, frame);
      const tip = (await page.getByTestId('player-3d').getAttribute('data-tip'))!.split(',').map(Number);
      expect(tip).toHaveLength(3);
      tip.forEach((v, i) => expect(Math.abs(v - marker[i]), `arm's tip ${'xyz'[i]} at frame ${frame}`).toBeLessThan(1e-3));
    }
  } finally {
    rmSync(join(folder, '..'), { recursive: true, force: true });
  }
});

test('the episode player re-cuts an imported episode\'s segments: a cut added with C, applied, and undone', async ({ page }) => {
  test.setTimeout(120_000);
  await importEpisodeOneAndOpenIt(page);

  // The timeline shows the segments the import cut, one per sample.
  const before = await episodeSamples(page);
  expect(before.length).toBeGreaterThan(0);
  const segments = page.getByTestId('player-segment');
  await expect(segments).toHaveCount(before.length);
  for (const [i, s] of before.entries()) {
    await expect(segments.nth(i)).toHaveAttribute('data-start', String(s.start));
    await expect(segments.nth(i)).toHaveAttribute('data-end', String(s.end));
  }

  // Cut the longest segment in the middle with C (C again there is refused: it is a cut already).
  const longest = before.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
  const cut = Math.round((longest.start + longest.end) / 2);
  await page.getByTestId('player-scrubber').fill(String(cut));
  await expect(page.getByTestId('player-frame')).toContainText(`Frame ${cut} /`);
  await page.keyboard.press('c');
  await expect(page.locator(`[data-testid="player-cut"][data-frame="${cut}"]`)).toHaveClass(/pending/);
  await expect(segments).toHaveCount(before.length + 1);
  await page.keyboard.press('c');
  await expect(page.getByTestId('player-cuts-note')).toHaveText(`Frame ${cut} is a cut already.`);

  await page.getByTestId('apply-cuts').click();
  const expected = [...before.filter((s) => s.id !== longest.id).map(({ start, end }) => ({ start, end })), { start: longest.start, end: cut }, { start: cut, end: longest.end }]
    .sort((a, b) => a.start - b.start);
  await expect.poll(async () => (await episodeSamples(page)).map(({ start, end }) => ({ start, end }))).toEqual(expected);
  const after = await episodeSamples(page);
  expect(after).toHaveLength(before.length + 1);
  // The new drafts keep the instruction of the sample they came from; the others are the same samples.
  for (const s of after.filter((x) => !before.some((b) => b.id === x.id))) expect(s).toMatchObject({ status: 'draft', instruction: longest.instruction });
  await expect(page.getByTestId('player-cuts-summary')).toHaveText(`${before.length + 1} segments`);
  await expect(page.locator(`[data-testid="player-cut"][data-frame="${cut}"]`)).not.toHaveClass(/pending/);

  // Undo from the toast that reported it: the samples are back as they were.
  await page.getByRole('status').filter({ hasText: 'Re-cut' }).getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await episodeSamples(page)).map((s) => s.id)).toEqual(before.map((s) => s.id));
  await expect(segments).toHaveCount(before.length);
});

test('the episode player says so when the episode does not exist', async ({ page }) => {
  await page.goto('/player/no-such-episode');
  await expect(page.getByTestId('player-empty')).toContainText('No such episode');
  await page.getByRole('link', { name: 'Go to the Library' }).click();
  await expect(page).toHaveURL(/\/library$/);
});

/** The one live recording in the studio, as stored: steps, stored frames, intervention segments and outcome. */
async function storedLiveEpisode(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = await new Promise<{ id: string; datasetId: string; data: { mode: string; status: string; states: number[][]; frames: string[]; interventions: { start: number; end: number | null }[]; success: boolean | null; sampleId?: string } }[]>((res) => {
      const r = db.transaction('episodes').objectStore('episodes').getAll();
      r.onsuccess = () => res(r.result);
    });
    db.close();
    return all.map(({ id, datasetId, data: d }) => ({ id, datasetId, mode: d.mode, status: d.status, steps: d.states.length, ee: d.states.map((x) => x.slice(0, 3)), frames: d.frames.map((f) => !!f), interventions: d.interventions, success: d.success, sampleId: d.sampleId }));
  });
}

test('the episode player replays a live model run on the simulated robot with its intervention and outcome on the timeline', { tag: '@docs' }, async ({ page }) => {
  test.setTimeout(180_000);
  // Its own port (E2E_PORT + 5044): no other spec's simulator shares it.
  const port = Number(process.env.E2E_PORT ?? 4173) + 5044;
  const robot = await startSim(port);
  try {
    await page.goto('/live');
    await page.getByLabel('rosbridge URL').fill(`ws://localhost:${port}`);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
    await expect(page.getByTestId('camera-info')).toContainText('fps', { timeout: 20_000 });

    // Sketch a path and run the model on it (as live.spec.ts does).
    await sketchPath(page);
    const steps = async () => Number(await page.locator('[data-metric=steps]').textContent());
    // A camera pause over 1.5 s, or a second with nothing from the robot, stops a run (as it must);
    // on a loaded machine that happens: run again.
    for (let runs = 1; ; runs++) {
      await page.getByTestId('run-model').click();
      await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'running');
      await expect.poll(steps, { timeout: 30_000 }).toBeGreaterThan(3);
      // T takes over: the operator drives forward for a while, then T hands back to the model.
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('t');
      await expect(page.getByTestId('safety-status')).toContainText(/taken over|camera stalled|sent nothing for/, { timeout: 15_000 });
      if ((await page.getByTestId('safety-status').textContent())?.includes('taken over')) break;
      expect(runs, 'the run keeps stopping').toBeLessThan(3);
    }
    await page.keyboard.down('KeyW');
    await page.waitForTimeout(1000);
    await page.keyboard.up('KeyW');
    await page.keyboard.press('t');
    await expect(page.getByTestId('safety-status')).not.toContainText('taken over');
    const handedBack = await steps();
    await expect.poll(steps, { timeout: 30_000 }).toBeGreaterThan(handedBack + 3);
    await page.getByTestId('estop').click();
    await expect(page.getByTestId('safety-status')).toHaveAttribute('data-kind', 'estop');

    // The operator's verdict on the run that was taken over (the newest recording).
    const model = page.getByTestId('live-episodes').locator('li', { hasText: 'Model' }).first();
    await expect(model).toContainText('no verdict', { timeout: 15_000 });
    await model.getByRole('button', { name: 'Mark success' }).click();
    await expect(model).toContainText('success');
    const stored = (await storedLiveEpisode(page)).find((e) => e.mode === 'model' && e.interventions.length);
    expect(stored).toMatchObject({ status: 'complete', success: true });
    const { steps: length, interventions } = stored!;
    const [segment] = interventions;
    expect(segment.end).not.toBeNull();
    expect(segment.end!).toBeGreaterThan(segment.start);
    expect(length).toBeGreaterThan(segment.end!);

    // Open it from the Library.
    await model.getByRole('link', { name: 'Library' }).click();
    await expect(page.getByRole('heading', { name: /Live recordings/ })).toBeVisible();
    await page.getByTestId('dataset-episodes').locator('summary').click();
    await page.getByTestId('dataset-episode').filter({ has: page.locator(`a[href="/player/${stored!.id}"]`) }).getByRole('link', { name: 'Open live model run in the player' }).click();
    await expect(page).toHaveURL(new RegExp(`/player/${stored!.id}$`));
    await expect(page.getByRole('heading', { name: 'live model run' })).toBeVisible();
    await expect(page.getByTestId('player-frame')).toHaveText(`Frame 0 / ${length - 1}`);
    await expect(page.getByTestId('player-3d-note')).toContainText('the robot (6 joints from its URDF)');

    // The intervention is marked over exactly its frames, and the outcome with who gave it.
    const marks = page.getByTestId('intervention-mark');
    await expect(marks).toHaveCount(interventions.length);
    await expect(marks.first()).toHaveAttribute('title', `Operator in control: frames ${segment.start}–${segment.end! - 1}`);
    const track = (await page.locator('.player-marks').boundingBox())!;
    const mark = (await marks.first().boundingBox())!;
    const at = (frame: number) => track.x + (frame / (length - 1)) * track.width;
    expect(Math.abs(mark.x - at(segment.start)), 'the mark starts at its first frame').toBeLessThanOrEqual(1);
    expect(Math.abs(mark.x + mark.width - 3 - at(segment.end! - 1)), 'the mark ends at its last frame').toBeLessThanOrEqual(1);
    await expect(page.getByTestId('outcome-mark')).toHaveText(/^✓ success \(by the operator/);

    // The camera frame of each recorded step shows: before, inside and after the intervention.
    const inside = Math.floor((segment.start + segment.end! - 1) / 2);
    for (const frame of [segment.start - 1, inside, segment.end!, length - 1]) {
      expect(stored!.frames[frame], `step ${frame} has a stored frame`).toBe(true);
      await page.getByTestId('player-scrubber').fill(String(frame));
      await expect(page.getByTestId('player-frame')).toHaveText(`Frame ${frame} / ${length - 1}`);
      await expect(page.getByTestId('player-canvas')).toHaveAttribute('data-image-step', String(frame));
      (await marker3d(page, frame)).forEach((v, i) => expect(Math.abs(v - stored!.ee[frame][i]), `3D marker ${'xyz'[i]} at frame ${frame}`).toBeLessThan(1e-4));
      // The arm from the robot's URDF, posed from the recorded joints, holds its end-effector link
      // where the robot reported it (its /tf) at that step.
      const tip = (await page.getByTestId('player-3d').getAttribute('data-tip'))!.split(',').map(Number);
      expect(tip).toHaveLength(3);
      tip.forEach((v, i) => expect(Math.abs(v - stored!.ee[frame][i]), `arm's ee_link ${'xyz'[i]} at frame ${frame}`).toBeLessThan(0.003));
      if (frame === inside) await docsScreenshot(page, 'player-live-run');
    }
    await expect(page.getByTestId('player-nearest-frame')).toHaveCount(0);
    await expect(page.getByTestId('player-image-error')).toHaveCount(0);
  } finally {
    await robot.kill();
  }
});
