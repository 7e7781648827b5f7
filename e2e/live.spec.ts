import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { openLeRobotDataset } from '../src/importers/lerobot/dataset';
import { validateLeRobotLayout } from '../src/formats/lerobot/validateLayout';
import { readZippedFolder, sketchPath, OPFS_SAVE_PICKER } from './helpers';
import { startHostilePeer } from '../src/testing/hostilePeerProcess';
import { sharedFixture } from '../src/testing/sharedFixtures';
import { startSim, type SimProcess } from '../src/testing/simProcess';

/**
 * The Live console against the real simulator, driven like an operator: connect, watch the
 * camera and the 3D view, teleoperate with the keyboard, e-stop with Space, kill the robot and
 * reconnect, run the model on a sketched path, and find the recordings in the Library.
 */
test.describe.configure({ mode: 'serial' });

// Ports follow the run's E2E_PORT (4173 → 9191), so two runs of this spec on one machine never share a sim.
const PORT = Number(process.env.E2E_PORT ?? 4173) + 5018;
let sim: SimProcess;

test.beforeAll(async () => {
  sim = await startSim(PORT);
});
test.afterAll(async () => {
  await sim?.kill();
});

interface Counters { sentTwists: number; refusedCommands: number; received: number; malformed: number; oversized: number; withheldMotion: number; maxSilenceAtMotionMs: number }
const counters = (page: Page) => page.evaluate(() => ({ ...(window.__pathStudioLive!.link!.counters) })) as Promise<Counters>;

async function connect(page: Page) {
  await page.goto('/live');
  await page.getByLabel('rosbridge URL').fill(`ws://localhost:${PORT}`);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(page.getByTestId('camera-info')).toContainText('fps', { timeout: 20_000 });
}


test('connect, camera + 3D, teleop, e-stop, kill the robot mid-run and reconnect; the episode is kept', async ({ page }) => {
  test.setTimeout(120_000);
  await connect(page);
  await expect(page.getByTestId('urdf-status')).toContainText('joints', { timeout: 20_000 });
  await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'stopped');

  // Teleop with the keyboard: W moves the gripper forward.
  await page.getByTestId('start-teleop').click();
  await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'running');
  const x0 = await page.evaluate(() => window.__pathStudioLive!.state.ee![0]);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.down('KeyW');
  await page.waitForTimeout(2000);
  await page.keyboard.up('KeyW');
  await expect.poll(() => page.evaluate(() => window.__pathStudioLive!.state.ee![0])).toBeGreaterThan(x0 + 0.01);
  await expect(page.getByTestId('recording-status')).toContainText('Recording');

  // Space = e-stop: zero goes out, then nothing more.
  await page.keyboard.press('Space');
  await expect(page.getByTestId('safety-status')).toHaveAttribute('data-kind', 'estop');
  const afterStop = (await counters(page)).sentTwists;
  await page.keyboard.down('KeyW'); // keys do nothing after a stop
  await page.waitForTimeout(600);
  await page.keyboard.up('KeyW');
  expect((await counters(page)).sentTwists).toBe(afterStop);

  // Teleop again, then kill the robot mid-run.
  await page.getByTestId('start-teleop').click();
  await page.keyboard.down('KeyA');
  await page.waitForTimeout(800);
  const killedAt = Date.now();
  await sim.kill('SIGKILL');
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'reconnecting', { timeout: 5000 });
  const shownAfterMs = await page.evaluate((t) => performance.timeOrigin + window.__pathStudioLive!.link!.status.lostAt! - t, killedAt);
  console.log(`kill → console shows the drop after ${shownAfterMs.toFixed(0)} ms`);
  // How fast is a figure for `npm run bench live` (live.kill.*), not a timed assertion here: on the
  // loaded CI machine this once took 1,002 ms. Here: the link recorded when it lost the robot.
  expect(Number.isFinite(shownAfterMs)).toBe(true);
  // The link-watch worker saw the loss on its own socket and painted it off the main thread.
  await expect(page.getByTestId('link-status-overlay')).toHaveAttribute('data-lost-at', /^\d/);
  await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'stopped');
  const sentAtDrop = (await counters(page)).sentTwists;
  await page.waitForTimeout(700);
  await page.keyboard.up('KeyA');
  expect((await counters(page)).sentTwists).toBe(sentAtDrop);

  // The robot comes back: the console reconnects by itself.
  sim = await startSim(PORT, 2);
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await expect(page.getByTestId('camera-info')).toContainText('fps');

  // Both teleop sessions were saved (the second one up to the drop), complete.
  await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'Teleop' })).toHaveCount(2, { timeout: 15_000 });
  await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'incomplete' })).toHaveCount(0);
});

test('run the model on a sketched path, stop it, and find the recordings in the Library', async ({ page }) => {
  test.setTimeout(120_000);
  await connect(page);
  await sketchPath(page);
  // A camera pause over 1.5 s, or a second with nothing from the robot, stops a run, as it must; on
  // the loaded CI machine the sim sometimes pauses that long (seen with the WebGPU test beside it,
  // and in the player's test). Then run again.
  let runs = 0;
  for (;;) {
    await page.getByTestId('run-model').click();
    runs++;
    await expect(page.getByTestId('path-status')).toContainText('from the operator');
    await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'running');
    await expect.poll(async () => Number(await page.locator('[data-metric=steps]').textContent()), { timeout: 30_000 }).toBeGreaterThan(3);
    // Take over and hand back: an intervention segment. On the loaded CI machine the click can land
    // after Playwright stopped waiting for it (seen: "taken over" while the click had timed out), so
    // the console's own status says what happened.
    await page.getByTestId('intervene').click({ timeout: 5000 }).catch(() => undefined);
    await expect(page.getByTestId('safety-status')).toContainText(/taken over|camera stalled|sent nothing for/, { timeout: 15_000 });
    if ((await page.getByTestId('safety-status').textContent())?.includes('taken over')) break;
    expect(runs, 'the run keeps stopping').toBeLessThan(3);
  }
  await page.waitForTimeout(500);
  await page.getByTestId('intervene').click();
  await page.waitForTimeout(500);
  // A damaged camera frame (truncated JPEG) reaches the policy: the step says why it sent nothing,
  // and the run goes on with the next good frame.
  const stepsBefore = Number(await page.locator('[data-metric=steps]').textContent());
  await page.evaluate(async () => {
    const session = window.__pathStudioLive!;
    const good = session.latestFrame!;
    for (let i = 1; i <= 15; i++) {
      session.loop.onFrame({ ...good, data: good.data.slice(0, good.data.length >> 1), seq: good.seq + 1e6 + i, receivedAt: performance.now() });
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  await expect(page.getByRole('alert').filter({ hasText: 'Could not prepare the camera frame (jpeg) for the policy: the JPEG is truncated' })).toBeVisible();
  await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'running');
  // Steps come slowly when the CI machine runs a heavy test beside this one (policy p50 > 100 ms seen).
  await expect.poll(async () => Number(await page.locator('[data-metric=steps]').textContent()), { timeout: 30_000 }).toBeGreaterThan(stepsBefore + 3);
  await page.getByTestId('estop').click();
  await expect(page.getByTestId('safety-status')).toHaveAttribute('data-kind', 'estop');

  const stored = await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = await new Promise<{ data: Record<string, unknown> }[]>((res) => { const r = db.transaction('episodes').objectStore('episodes').getAll(); r.onsuccess = () => res(r.result); });
    db.close();
    return all.map((e) => ({ mode: e.data.mode, status: e.data.status, steps: (e.data.states as unknown[]).length, frames: (e.data.frames as string[]).filter(Boolean).length, paths: (e.data.paths as unknown[]).length, policySteps: ((e.data.sources ?? []) as string[]).filter((x) => x === 'policy').length, interventions: e.data.interventions }));
  });
  const model = stored.find((e) => e.mode === 'model' && (e.interventions as unknown[]).length);
  await expect.poll(async () => (await page.getByTestId('live-episodes').locator('li', { hasText: 'Model' }).count())).toBe(runs);
  expect(model).toBeDefined();
  expect(model!.paths).toBeGreaterThanOrEqual(1);
  expect(model!.frames).toBeGreaterThan(5);
  expect(model!.policySteps).toBeGreaterThan(3); // commands computed by the policy (frame → worker → model)
  expect((model!.interventions as { start: number; end: number }[])[0].end).toBeGreaterThan((model!.interventions as { start: number }[])[0].start);

  // The Library lists the recordings as samples of the "Live recordings" dataset.
  await page.getByTestId('live-episodes').getByRole('link', { name: 'Library' }).first().click();
  await expect(page.getByRole('heading', { name: /Live recordings/ })).toBeVisible();
  await expect(page.getByTestId('count-all')).not.toHaveText('0');
});

test('the robot freezes (SIGSTOP) mid-teleop and mid-run: motion stops within 250 ms of its last message, nothing moves when it resumes, every recording is kept', async ({ page }) => {
  test.setTimeout(180_000);
  await connect(page);
  const ee = () => page.evaluate(() => [...window.__pathStudioLive!.state.ee!]);
  const received = async () => (await counters(page)).received;
  /** Freezes the sim for 1.6 s, checks the stop, resumes it, and returns the arm's motion after the resume (m). */
  async function freezeAndResume(label: string): Promise<number> {
    sim.signal('SIGSTOP');
    await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'stopped', { timeout: 5000 });
    await expect(page.getByTestId('safety-status')).toContainText('sent nothing');
    await page.waitForTimeout(600);
    const c = await page.evaluate(() => ({ ...window.__pathStudioLive!.link!.counters }));
    const before = await received();
    sim.signal('SIGCONT');
    await expect.poll(received).toBeGreaterThan(before + 5);
    const p1 = await ee();
    await page.waitForTimeout(1000);
    const p2 = await ee();
    const moved = Math.hypot(p2[0] - p1[0], p2[1] - p1[1], p2[2] - p1[2]);
    console.log(`${label}: motion sent at most ${c.maxSilenceAtMotionMs.toFixed(0)} ms after the robot's last message, ${c.withheldMotion} commands withheld, arm moved ${(moved * 1000).toFixed(2)} mm after the resume`);
    expect(c.maxSilenceAtMotionMs).toBeLessThanOrEqual(250);
    expect(c.withheldMotion).toBeGreaterThan(0);
    await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected');
    return moved;
  }

  const cycles = 3;
  for (let i = 0; i < cycles; i++) {
    await page.getByTestId('start-teleop').click();
    await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'running');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.down(i % 2 ? 'KeyS' : 'KeyW');
    await page.waitForTimeout(600);
    const moved = await freezeAndResume(`teleop freeze ${i + 1}`);
    await page.keyboard.up(i % 2 ? 'KeyS' : 'KeyW');
    expect(moved).toBeLessThanOrEqual(0.001);
  }

  await sketchPath(page);
  await page.getByTestId('run-model').click();
  await expect(page.getByTestId('safety-status')).toHaveAttribute('data-state', 'running');
  await expect.poll(async () => Number(await page.locator('[data-metric=steps]').textContent()), { timeout: 30_000 }).toBeGreaterThan(3);
  expect(await freezeAndResume('model-run freeze')).toBeLessThanOrEqual(0.001);

  // Every run was recorded and closed properly.
  await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'Teleop' })).toHaveCount(cycles, { timeout: 15_000 });
  await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'Model' })).toHaveCount(1);
  await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'incomplete' })).toHaveCount(0);
});

test('a recorded teleop episode exports to LeRobot like any other episode', async ({ page, context }) => {
  test.setTimeout(120_000);
  await context.addInitScript(OPFS_SAVE_PICKER);
  await connect(page);
  await page.getByTestId('start-teleop').click();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.down('KeyW');
  // The run being recorded is listed with its steps so far (it read "Teleop · 0 steps · incomplete").
  await expect(page.getByTestId('live-episodes').locator('li').first()).toHaveText(/^Teleop · [1-9]\d* steps · recording$/);
  await page.waitForTimeout(1500);
  await page.keyboard.up('KeyW');
  await page.keyboard.down('KeyG'); // close the gripper: a gripper change in the recorded actions
  await page.keyboard.up('KeyG');
  await page.waitForTimeout(500);
  await page.getByTestId('estop').click();
  await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'Teleop' })).toHaveCount(1, { timeout: 15_000 });
  await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'incomplete' })).toHaveCount(0);
  const recorded = await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const get = <T,>(store: string) => new Promise<T[]>((res) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => res(r.result as T[]); });
    const [datasets, episodes] = [await get<{ id: string; name: string }>('datasets'), await get<{ data: { states: number[][]; actions: number[][] } }>('episodes')];
    db.close();
    return { datasetId: datasets.find((d) => d.name === 'Live recordings')!.id, steps: episodes[0].data.states.length, state0: episodes[0].data.states[0], lastAction: episodes[0].data.actions.at(-1)! };
  });
  expect(recorded.steps).toBeGreaterThan(10);

  await page.goto(`/export?dataset=${recorded.datasetId}&format=lerobot`);
  await expect(page.getByTestId('lerobot-episodes')).toHaveText('1');
  await page.getByRole('button', { name: 'Export LeRobot dataset' }).click();
  await expect(page.getByRole('region', { name: 'Export a dataset' }).getByRole('status')).toContainText(`Exported 1 episodes, ${recorded.steps} frames`, { timeout: 60_000 });
  const folder = await readZippedFolder(page, 'Live_recordings-lerobot.zip');
  expect(await validateLeRobotLayout(folder)).toEqual([]);
  const info = JSON.parse(await folder.get('meta/info.json')!.text());
  expect(info.features['observation.images.front'].info['video.codec']).toBe('h264');
  expect(info.features['observation.state'].shape).toEqual([recorded.state0.length]);
  expect(info.path_studio_export.episodes[0]).toMatchObject({ source: 'live', mode: 'teleop', complete: true });
  const source = await openLeRobotDataset(folder);
  expect(source.episodes).toEqual([expect.objectContaining({ length: recorded.steps })]);
  const table = await source.readEpisode(0);
  expect(table.states[0].map((v) => +v.toFixed(4))).toEqual(recorded.state0.map((v) => +Math.fround(v).toFixed(4)));
  expect(table.actions.at(-1)![3]).toBe(recorded.lastAction[3]);
  expect(recorded.lastAction[3]).toBe(1); // the gripper key was recorded
  // One H.264 frame per recorded step, in both videos.
  for (const key of ['observation.images.front', 'observation.images.front_path_overlay']) {
    const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=codec_name,nb_read_frames', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: Buffer.from(await folder.get(`videos/${key}/chunk-000/file-000.mp4`)!.arrayBuffer()) });
    expect(probe.toString().trim()).toBe(`h264,${recorded.steps}`);
  }
});

test('a hostile rosbridge peer (its own process): malformed, oversized, png, fragment and pixel-bomb messages are dropped and counted, and the page keeps working', async ({ page }) => {
  // Three hostile rounds, then only valid states: a sustained 10 MB/s of oversized frames (each
  // one must reach the renderer before its size is known) stalled Chromium for seconds on the
  // loaded 2-core CI machine and made this test time out.
  const peer = await startHostilePeer({ rounds: 3 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto('/live');
    await page.getByLabel('rosbridge URL').fill(peer.url);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected');
    // Per round: 8 malformed or refused (not JSON, bad joint state, bad image, not CBOR, png, 3 fragments), 2 oversized (5 MiB, 3600 MP).
    await expect.poll(() => counters(page).then((c) => [c.malformed >= 24, c.oversized >= 6]), { timeout: 20_000 }).toEqual([true, true]);
    await expect(page.getByTestId('link-counters')).toContainText(/[1-9]\d* oversized/);
    await expect(page.getByTestId('camera-info')).toHaveText('no frames yet'); // the pixel bomb never reached the view
    await expect.poll(() => page.evaluate(() => window.__pathStudioLive!.state.joints.get('shoulder_pan'))).toBe(0.5);
    // Still responsive: the e-stop works and the console disconnects cleanly.
    await page.getByTestId('estop').click();
    await expect(page.getByTestId('safety-status')).toHaveAttribute('data-kind', 'estop');
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'closed');
    expect(errors).toEqual([]);
  } finally {
    await peer.stop();
  }
});

test('teleop keys as seen in the camera: D moves the gripper right in the image', async ({ page }) => {
  test.setTimeout(120_000);
  await connect(page);
  await page.getByRole('radiogroup', { name: 'Keys move the gripper' }).getByLabel('as seen in the camera').check();
  await page.getByTestId('start-teleop').click();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.down('KeyD');
  await page.waitForTimeout(2500);
  await page.keyboard.up('KeyD');
  await page.getByTestId('estop').click();
  await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'Teleop' })).toHaveCount(1, { timeout: 15_000 });
  // The recording holds the camera (K, world → camera), the end effector and the commanded motion
  // of every step: project the start, and the start moved by everything D commanded. (Where the arm
  // itself ended up also depends on how it settled after the stop, which a loaded machine stretches.)
  const moved = await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const episodes: { data: { states: number[][]; actions: number[][]; camera: { K: number[][]; worldToCamera: number[][] } } }[] = await new Promise((res) => {
      const r = db.transaction('episodes').objectStore('episodes').getAll();
      r.onsuccess = () => res(r.result);
    });
    db.close();
    const { states, actions, camera } = episodes[0].data;
    const project = (p: number[]) => {
      const m = camera.worldToCamera;
      const c = [0, 1, 2].map((i) => m[i][0] * p[0] + m[i][1] * p[1] + m[i][2] * p[2] + m[i][3]);
      return { u: camera.K[0][0] * (c[0] / c[2]) + camera.K[0][2], v: camera.K[1][1] * (c[1] / c[2]) + camera.K[1][2], depth: c[2] };
    };
    const start = states[0].slice(0, 3);
    const commanded = actions.reduce((sum, a) => sum.map((v, i) => v + a[i]), [0, 0, 0]);
    const a = project(start), b = project(start.map((v, i) => v + commanded[i]));
    return { du: b.u - a.u, dv: b.v - a.v };
  });
  // Right in the image, and mostly sideways (in the robot's axes D is −y, which this camera sees
  // otherwise). How far depends on how many control steps a loaded machine ran: the direction is the test.
  expect(moved.du).toBeGreaterThan(5);
  expect(Math.abs(moved.dv)).toBeLessThan(moved.du);
});

test('the robot profile is a form: topics and limits by name, problems listed, JSON to paste or copy', async ({ page }) => {
  await page.goto('/live');
  await page.getByRole('button', { name: 'Edit profile…' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit robot profile' });
  await editor.getByLabel('Profile name').fill('Lab arm');
  await editor.getByLabel('Profile URL').fill('http://lab-arm:9090');
  await editor.getByText('Topics', { exact: true }).click();
  await editor.getByLabel('Topic: Camera image (compressed)').fill('/cam/front/compressed');
  await editor.getByRole('button', { name: 'Save as profile' }).click();
  await expect(editor.getByRole('alert')).toContainText('URL "http://lab-arm:9090" is not a ws:// or wss:// address');
  await editor.getByLabel('Profile URL').fill('ws://lab-arm:9090');
  await editor.getByRole('button', { name: 'Save as profile' }).click();
  await expect(editor).toHaveCount(0);
  await expect(page.getByLabel('Robot profile')).toHaveValue(/^robot-/);
  await expect(page.getByLabel('Robot profile').locator('option:checked')).toHaveText('Lab arm');
  await expect(page.getByLabel('rosbridge URL')).toHaveValue('ws://lab-arm:9090');

  // Saved in this browser, with the topic; and as JSON for another one.
  await page.reload();
  await page.getByLabel('Robot profile').selectOption({ label: 'Lab arm' });
  await page.getByRole('button', { name: 'Edit profile…' }).click();
  await editor.getByText('Topics', { exact: true }).click();
  await expect(editor.getByLabel('Topic: Camera image (compressed)')).toHaveValue('/cam/front/compressed');
  await editor.getByText('As JSON (paste one to import, or copy this one)').click();
  const json = JSON.parse(await editor.getByLabel('Profile JSON').inputValue());
  expect(json).toMatchObject({ name: 'Lab arm', url: 'ws://lab-arm:9090', topics: { image: '/cam/front/compressed' } });
  await editor.getByLabel('Profile JSON').fill(JSON.stringify({ ...json, id: '', name: 'Pasted arm' }));
  await editor.getByRole('button', { name: 'Save as profile' }).click();
  await expect(page.getByLabel('Robot profile').locator('option')).toContainText(['Simulator (localhost)', 'Lab arm', 'Pasted arm']);
});

const so101Urdf = sharedFixture('urdf-so101');

test('the 3D view draws a URDF folder\'s meshes as they arrive, with nobody touching the view', async ({ page }) => {
  test.skip(!so101Urdf.present, so101Urdf.skipReason);
  // A robot that holds perfectly still (the peer's joint states never change): nothing but the
  // meshes' arrival can ask the view to draw again.
  const peer = await startHostilePeer({ rounds: 0 });
  try {
    await page.goto('/live');
    await page.getByLabel('rosbridge URL').fill(peer.url);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('viewer3d-fps')).toContainText('fps');
    await page.locator('.live-3d-bar input[type=file]').setInputFiles(so101Urdf.path());
    await expect(page.getByTestId('urdf-status')).toContainText('from a folder');
    await expect(page.getByTestId('viewer3d-fps')).toHaveText(/ · (\d+) meshes$/, { timeout: 10_000 });
    const drawn = Number(/ · (\d+) meshes$/.exec((await page.getByTestId('viewer3d-fps').textContent()) ?? '')![1]);
    expect(drawn).toBeGreaterThanOrEqual(10);
  } finally {
    await peer.stop();
  }
});
