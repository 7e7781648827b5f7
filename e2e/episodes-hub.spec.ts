import { expect, test, type Page } from '@playwright/test';
import * as h5 from 'h5wasm/node';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HUB_CAMERA, HUB_HEIGHT, HUB_WIDTH, hubEe, hubPixel, writeHubDataset } from '../src/testing/lerobotHubDataset';
import { dbCounts } from './helpers';

let root: string;
test.beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'ps-e2e-hub-')); });
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Stored episodes with their state names, and each sample's first path point. */
async function stored(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = <T,>(store: string) => new Promise<T[]>((res, rej) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => res(r.result as T[]);
      r.onerror = () => rej(r.error);
    });
    const episodes = await all<{ id: string; data: { source: { episodeIndex: number }; stateNames: string[]; actionNames: string[] } }>('episodes');
    const samples = await all<{ path: { points: { x: number; y: number }[] }; provenance: { episodeId: string } }>('samples');
    return episodes.map((e) => ({
      index: e.data.source.episodeIndex,
      stateNames: e.data.stateNames,
      actionNames: e.data.actionNames,
      first: samples.find((s) => s.provenance.episodeId === e.id)!.path.points[0],
    })).sort((a, b) => a.index - b.index);
  });
}

test('a partial hub download with `state`/`actions`, nested names, videos under video/ and one video missing imports what is on disk, every joint named', async ({ page }) => {
  const dir = join(root, 'aloha-subset');
  mkdirSync(dir);
  // meta/ lists 5 episodes; 1, 2 and 4 were downloaded; episode 2's video was not.
  await writeHubDataset(dir, { listed: 5, present: [1, 2, 4], withVideo: [1, 4], stateKey: 'state', actionKey: 'actions', names: 'nested', videoFolder: 'video', extraColumn: 'observation.velocity' });
  await page.goto('/import/episodes');
  await page.getByLabel('Dataset folder').setInputFiles(dir);
  await expect(page.getByTestId('source-format')).toHaveText('lerobot-v2.1');
  const problems = page.getByTestId('source-problems');
  await expect(problems).toContainText('2 of 5 episodes listed in meta/ are not in this folder: 0, 3. The 3 episodes on disk can be imported.');
  await expect(problems).toContainText(`found by name: videos/chunk-000/${HUB_CAMERA}/episode_000001.mp4 → video/chunk-000/${HUB_CAMERA}/episode_000001.mp4`);
  await expect(problems).toContainText('episode 2 has no frames from it; the others do');
  await expect(problems).toContainText('observation.velocity (2 values)');
  await expect(page.getByTestId('episodes-found')).toHaveText('3 of 5 episodes on disk');
  await expect(page.getByTestId('column-state')).toContainText('ee_x, ee_y, ee_z, gripper');
  await expect(page.getByTestId('column-actions')).toContainText('vx, vy, vz, grip');
  await expect(page.getByLabel('Role of state')).toHaveValue('state');
  await expect(page.getByLabel('Role of actions')).toHaveValue('action');
  // The codec is the file's (H.264), not info.json's (av1).
  await expect(page.getByTestId(`camera-${HUB_CAMERA}`)).toContainText('h264');
  await expect(page.getByRole('radio', { name: /From state columns \(ee_x, ee_y, ee_z\)/ })).toBeChecked();
  await expect(page.getByLabel('Gripper column')).toHaveValue('3');
  await expect(page.getByTestId('episodes-without-frames')).toContainText('2');

  // The unknown column is listed and can be used: its two values join the state vector.
  await page.getByLabel('Role of observation.velocity').selectOption('state');
  await expect(page.getByTestId('column-observation.velocity')).toContainText('(detected: not used)');
  await expect(page.getByLabel('Gripper column').locator('option')).toHaveText(['(none: always open)', 'ee_x', 'ee_y', 'ee_z', 'gripper', 'a', 'b']);

  const before = await dbCounts(page);
  await page.getByRole('button', { name: 'Import 2 episodes as samples' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 2 episodes as 2 draft samples', { timeout: 60_000 });
  expect((await dbCounts(page)).samples).toBe(before.samples + 2);
  const eps = await stored(page);
  expect(eps.map((e) => e.index)).toEqual([1, 4]);
  for (const e of eps) {
    expect(e.stateNames).toEqual(['ee_x', 'ee_y', 'ee_z', 'gripper', 'a', 'b']);
    expect(e.actionNames).toEqual(['vx', 'vy', 'vz', 'grip']);
    // The path starts where this dataset's camera sees the end effector at frame 0 (formula in the writer).
    const { u, v } = hubPixel(hubEe(e.index, 0, 12));
    expect(Math.abs(e.first.x - (u + 0.5) / HUB_WIDTH)).toBeLessThan(1e-4);
    expect(Math.abs(e.first.y - (v + 0.5) / HUB_HEIGHT)).toBeLessThan(1e-4);
  }
});

test('a robosuite raw demo file says what it is and what to run; a plain HDF5 file lists its datasets', async ({ page }) => {
  await h5.ready;
  const raw = join(root, 'demo.hdf5');
  const f = new h5.File(raw, 'w');
  const data = f.create_group('data');
  data.create_attribute('env', 'Lift');
  const g = data.create_group('demo_1');
  g.create_attribute('model_file', '<mujoco/>');
  g.create_dataset({ name: 'states', data: new Float64Array(3 * 10), shape: [3, 10] });
  g.create_dataset({ name: 'actions', data: new Float64Array(3 * 7), shape: [3, 7] });
  f.close();
  const plain = join(root, 'episode_0.hdf5');
  const p = new h5.File(plain, 'w');
  p.create_group('observations').create_dataset({ name: 'qpos', data: new Float64Array(4 * 14), shape: [4, 14] });
  p.close();

  await page.goto('/import/episodes');
  await page.getByLabel('HDF5 file').setInputFiles(raw);
  const alert = page.getByRole('alert');
  // h5wasm is loaded on first use (a few seconds on a busy machine).
  await expect(alert).toContainText('demo.hdf5 is a robosuite raw demonstration file (data/demo_N/states, actions and model_file, no obs group)', { timeout: 30_000 });
  await expect(alert).toContainText('python robomimic/scripts/dataset_states_to_obs.py --dataset demo.hdf5 --output_name image.hdf5');
  await page.getByLabel('HDF5 file').setInputFiles(plain);
  await expect(alert).toContainText('episode_0.hdf5 has no /data group: this is not a robomimic, robosuite or LIBERO dataset');
  await expect(alert).toContainText('It holds 1 dataset: /observations/qpos [4×14].');
});
