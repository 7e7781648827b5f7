import { expect, test, type Page } from '@playwright/test';
import { generateSimDataset, projectSim, readSimCalibration, removeTemp, simStates } from './episodesFixtures';

let sim: string;
test.beforeAll(() => { sim = generateSimDataset(3, 1); });
test.afterAll(() => removeTemp(sim));

async function openFolder(page: Page, dir: string) {
  await page.goto('/import/episodes');
  await page.getByLabel('Dataset folder').setInputFiles(dir);
}

/** Every stored episode sample with its path and the decoded first-frame pixels around its first point. */
async function storedSamples(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = <T,>(store: string) => new Promise<T[]>((res, rej) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => res(r.result as T[]);
      r.onerror = () => rej(r.error);
    });
    type S = { assetId: string; instruction: string; source: string; path: { points: { x: number; y: number; gripper: string }[] }; provenance: { episodeId: string; frameStart: number; frameEnd: number } };
    const samples = await all<S>('samples');
    const assets = new Map((await all<{ id: string; blob: Blob; width: number; height: number }>('assets')).map((a) => [a.id, a]));
    const episodes = new Map((await all<{ id: string; data: { source: { episodeIndex: number }; length: number } }>('episodes')).map((e) => [e.id, e]));
    const out = [];
    for (const s of samples) {
      const a = assets.get(s.assetId)!;
      const bmp = await createImageBitmap(a.blob);
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const p = s.path.points[0];
      const u = p.x * a.width - 0.5, v = p.y * a.height - 0.5;
      // Darkest pixel within ±2 px of the first path point (the sim's gripper is near-black).
      let darkest = 255;
      for (let y = Math.round(v) - 2; y <= Math.round(v) + 2; y++)
        for (let x = Math.round(u) - 2; x <= Math.round(u) + 2; x++) {
          const d = ctx.getImageData(x, y, 1, 1).data;
          darkest = Math.min(darkest, Math.max(d[0], d[1], d[2]));
        }
      out.push({ instruction: s.instruction, source: s.source, frameStart: s.provenance.frameStart, frameEnd: s.provenance.frameEnd, episodeIndex: episodes.get(s.provenance.episodeId)!.data.source.episodeIndex, u, v, darkest, points: s.path.points.length, width: a.width });
    }
    db.close();
    return out;
  });
}

test('imports a generated simulator dataset end to end: calibration from metadata, gripper pixel accuracy, Annotate queue', async ({ page }) => {
  await openFolder(page, sim);
  await expect(page.getByTestId('source-format')).toHaveText('lerobot-v3.0');
  await expect(page.getByTestId('source-facts')).toContainText('3 episodes');
  await expect(page.getByRole('radio', { name: /From the dataset \(simulator metadata/ })).toBeChecked();
  await expect(page.getByRole('radio', { name: /From state columns \(ee.x, ee.y, ee.z\)/ })).toBeChecked();
  // The browser shows the projected end effector on the decoded frame.
  await expect(page.getByTestId('frame-readout')).toContainText('ee at (');
  await expect(page.getByTestId('segments').locator('li')).toHaveCount(1);
  await page.getByLabel('Instruction for episode 2').fill('knock the bottle over');

  await page.getByRole('button', { name: 'Import 3 episodes as samples' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 3 episodes as 3 draft samples', { timeout: 60_000 });

  const samples = await storedSamples(page);
  expect(samples).toHaveLength(3);
  const cal = readSimCalibration(sim);
  for (const s of samples) {
    expect(s.source).toBe('episode');
    expect(s.frameStart).toBe(0);
    // The first path point is the end effector at the segment's first frame (the sim's formula, independently)…
    const state0 = (await simStates(sim, s.episodeIndex))[0];
    const want = projectSim(cal, s.episodeIndex, state0.slice(0, 3));
    expect(Math.hypot(s.u - want.u, s.v - want.v)).toBeLessThan(0.05);
    // …and lies within 2 px of the rendered (near-black) gripper in the stored first frame.
    expect(s.darkest, `episode ${s.episodeIndex}: gripper pixels near (${s.u.toFixed(1)}, ${s.v.toFixed(1)})`).toBeLessThan(60);
    expect(s.points).toBeGreaterThanOrEqual(2);
  }
  expect(samples.find((s) => s.episodeIndex === 2)!.instruction).toBe('knock the bottle over');

  await page.getByRole('link', { name: 'Review them in Annotate' }).click();
  await expect(page).toHaveURL(/\/annotate\/[^/]+/);
});

test('calibrates the camera from clicks on simulator frames (DLT) with reprojection RMS under 2 px, and imports with it', async ({ page }) => {
  await openFolder(page, sim);
  await page.getByRole('radio', { name: 'Calibrate by clicks' }).check();
  const cal = readSimCalibration(sim);
  const states = await simStates(sim, 0);
  const frames = [0, 8, 16, 24, 32, 40, 48, states.length - 1];
  const canvas = page.getByLabel(/^Frame \d+ of episode 0$/);
  for (const f of frames) {
    await page.getByLabel('Frame', { exact: true }).fill(String(f));
    await expect(page.getByTestId('frame-readout')).toContainText(`frame ${f} /`);
    const { u, v } = projectSim(cal, 0, states[f].slice(0, 3));
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: ((u + 0.5) / cal.width) * box.width, y: ((v + 0.5) / cal.height) * box.height } });
  }
  await expect(page.getByTestId('click-calibration').locator('li')).toHaveCount(frames.length);
  const rms = Number(await page.getByTestId('dlt-rms').textContent());
  const loo = Number(await page.getByTestId('dlt-loo').textContent());
  expect(rms).toBeLessThan(2);
  expect(loo).toBeLessThan(3);
  await page.getByRole('button', { name: 'Save calibration' }).click();
  await expect(page.getByRole('radio', { name: /Saved calibration/ })).toBeChecked();
  await expect(page.getByLabel('Saved calibration', { exact: true })).toContainText(`from ${frames.length} clicks`);

  // Import only episode 0 with the click calibration: its path starts on the gripper too.
  await page.getByRole('button', { name: 'None' }).click();
  await page.getByLabel('Import episode 0').check();
  await page.getByRole('button', { name: 'Import 1 episode as samples' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 1 episodes as 1 draft samples', { timeout: 60_000 });
  const [s] = await storedSamples(page);
  expect(s.darkest).toBeLessThan(60);
});

test('cancelling an import from the job tray keeps only whole episodes and says how many', async ({ page }) => {
  await openFolder(page, sim);
  await page.getByRole('radio', { name: 'Split into sub-tasks after each release' }).check();
  await page.getByRole('button', { name: 'Import 3 episodes as samples' }).click();
  await page.getByRole('progressbar', { name: /Import 3 episodes from sim-dataset/ }).getByRole('button', { name: 'Cancel' }).click();
  const result = page.getByTestId('import-result');
  await expect(result).toContainText(/Cancelled; kept \d episodes as \d+ draft samples/, { timeout: 60_000 });
  const kept = Number(/kept (\d)/.exec((await result.textContent())!)![1]);
  expect(kept).toBeLessThan(3);
  // Every kept episode is complete: its samples are there, nothing of the cancelled ones.
  const stored = await storedSamples(page);
  expect(new Set(stored.map((s) => s.episodeIndex)).size).toBe(kept);
});
