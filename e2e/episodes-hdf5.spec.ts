import { expect, test } from '@playwright/test';
import * as h5 from 'h5wasm/node';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbCounts } from './helpers';

// A camera 1 m above (0.5, 0, 0) looking straight down (MuJoCo: −z forward, y up), 90° vertical fov.
const W = 64, H = 48, N = 12, F = H / 2;
const MODEL = '<mujoco><worldbody><camera name="agentview" pos="0.5 0 1" quat="1 0 0 0" fovy="90"/></worldbody></mujoco>';
/** The pixel of a world point, written out by hand for this camera (independent of the studio's code). */
const pixel = (p: number[]) => ({ u: (F * (p[0] - 0.5)) / (1 - p[2]) + (W - 1) / 2, v: (F * -p[1]) / (1 - p[2]) + (H - 1) / 2 });

let dir: string;
test.beforeAll(async () => {
  await h5.ready;
  dir = mkdtempSync(join(tmpdir(), 'ps-e2e-h5-'));
  // robomimic layout: frames are light grey with a black 3×3 "gripper" where the end effector is.
  const f = new h5.File(join(dir, 'lift_demo.hdf5'), 'w');
  const data = f.create_group('data');
  data.create_attribute('env_args', JSON.stringify({ env_name: 'Lift' }));
  for (const demo of [0, 1]) {
    const g = data.create_group(`demo_${demo}`);
    g.create_attribute('model_file', MODEL);
    const obs = g.create_group('obs');
    const ee = Array.from({ length: N }, (_, i) => [0.4 + 0.02 * i, -0.1 + 0.015 * i + 0.05 * demo, 0.3 - 0.01 * i]);
    const img = new Uint8Array(N * H * W * 3).fill(200);
    ee.forEach((p, n) => {
      const { u, v } = pixel(p);
      for (let y = Math.round(v) - 1; y <= Math.round(v) + 1; y++)
        for (let x = Math.round(u) - 1; x <= Math.round(u) + 1; x++) img.fill(0, ((n * H + y) * W + x) * 3, ((n * H + y) * W + x) * 3 + 3);
    });
    obs.create_dataset({ name: 'agentview_image', data: img, shape: [N, H, W, 3], dtype: '<B' });
    obs.create_dataset({ name: 'robot0_eef_pos', data: Float64Array.from(ee.flat()), shape: [N, 3] });
    obs.create_dataset({ name: 'robot0_gripper_qpos', data: Float64Array.from({ length: N * 2 }, (_, i) => (i < N ? 0.04 : 0.001)), shape: [N, 2] });
    g.create_dataset({ name: 'actions', data: new Float32Array(N * 7), shape: [N, 7] });
  }
  f.close();
  const bad = new h5.File(join(dir, 'not_robomimic.hdf5'), 'w');
  bad.create_group('observations').create_dataset({ name: 'qpos', data: new Float64Array(4), shape: [2, 2] });
  bad.close();
});
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('robomimic HDF5: imports demos end to end with the MJCF camera, paths on the marked end effector', async ({ page }) => {
  await page.goto('/import/episodes');
  await page.getByLabel('HDF5 file').setInputFiles(join(dir, 'lift_demo.hdf5'));
  await expect(page.getByTestId('source-format')).toHaveText('robomimic-hdf5');
  await expect(page.getByTestId('source-facts')).toContainText('2 episodes · 24 frames');
  await expect(page.getByRole('radio', { name: /From the dataset \(camera “agentview” in the demo's model_file/ })).toBeChecked();
  await expect(page.getByTestId('gripper-events')).toContainText('close @ 6');
  await page.getByRole('button', { name: 'Import 2 episodes as samples' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 2 episodes as 2 draft samples', { timeout: 60_000 });
  const firstPoints = await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const samples: { order: number; path: { points: { x: number; y: number }[] }; instruction: string }[] = await new Promise((res) => {
      const r = db.transaction('samples').objectStore('samples').getAll();
      r.onsuccess = () => res(r.result);
    });
    db.close();
    // Queue order follows the demos (getAll returns records by random id).
    return samples.sort((a, b) => a.order - b.order).map((s) => ({ ...s.path.points[0], instruction: s.instruction }));
  });
  expect(firstPoints).toHaveLength(2);
  for (const [demo, p] of firstPoints.entries()) {
    const want = pixel([0.4, -0.1 + 0.05 * demo, 0.3]);
    expect(Math.hypot(p.x * W - 0.5 - want.u, p.y * H - 0.5 - want.v)).toBeLessThan(0.01);
    expect(p.instruction).toBe('Lift');
  }
});

test('an HDF5 file without data/demo_N groups is refused with a clear message and nothing stored', async ({ page }) => {
  await page.goto('/import/episodes');
  const before = await dbCounts(page);
  await page.getByLabel('HDF5 file').setInputFiles(join(dir, 'not_robomimic.hdf5'));
  await expect(page.getByRole('alert')).toContainText('not_robomimic.hdf5 has no /data group: this is not a robomimic, robosuite or LIBERO dataset');
  expect(await dbCounts(page)).toEqual(before);
});
