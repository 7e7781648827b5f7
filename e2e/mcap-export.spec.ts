import { expect, test, type Page } from '@playwright/test';
import { normalizeProjection, projectionFromIntrinsics } from '../src/core/camera/projection';
import { inspectBag } from '../src/formats/rosbag2/inspect';
import { openBag, type BagFiles } from '../src/formats/rosbag2/open';
import { describeRobot, readRobotSeries } from '../src/formats/rosbag2/robot';
import { EE_FRAME, pathFromMarker, STUDIO_TOPICS } from '../src/formats/mcap/writer';
import { generateSimDataset, readSimCalibration, removeTemp, simStates } from './episodesFixtures';
import { readOpfs, OPFS_SAVE_PICKER } from './helpers';
import { startSim } from '../src/testing/simProcess';

/**
 * Library → "Save as MCAP": an imported simulator episode is written with the studio's MCAP
 * writer and saved through the export sink (the file picker answered into OPFS), then read back
 * in Node by the studio's bag readers (src/formats): same frames, joint states, end effector,
 * calibration and paths. The same for a teleop run recorded from the simulated robot.
 */
let sim: string;
test.beforeAll(() => { sim = generateSimDataset(1, 5); });
test.afterAll(() => removeTemp(sim));

const oneFile = (name: string, bytes: Uint8Array): BagFiles => ({ name, paths: () => [name], get: (p) => (p === name ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : undefined) });

/** Stored samples of the episode, by first frame: path, instruction and the frame's image bytes (base64). */
async function storedSamples(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = <T,>(store: string) => new Promise<T[]>((res, rej) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => res(r.result as T[]); r.onerror = () => rej(r.error); });
    type S = { assetId: string; instruction: string; path: unknown; provenance: { frameStart: number } };
    const assets = new Map((await all<{ id: string; blob: Blob }>('assets')).map((a) => [a.id, a.blob]));
    const out = [];
    for (const s of await all<S>('samples')) {
      const bytes = new Uint8Array(await assets.get(s.assetId)!.arrayBuffer());
      let bin = '';
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push({ frameStart: s.provenance.frameStart, instruction: s.instruction, path: s.path, image: btoa(bin) });
    }
    db.close();
    return out.sort((a, b) => a.frameStart - b.frameStart);
  });
}

test('an imported simulator episode saved as MCAP reads back with the same frames, joint states, end effector, calibration and paths', async ({ page, context }) => {
  await context.addInitScript(OPFS_SAVE_PICKER);
  await page.goto('/import/episodes');
  await page.getByLabel('Dataset folder').setInputFiles(sim);
  // Two cuts on the timeline: three samples, so three frames and three paths go into the file.
  for (const f of [10, 30]) {
    await page.getByLabel('Frame', { exact: true }).fill(String(f));
    await page.getByRole('button', { name: `Cut at frame ${f}` }).click();
  }
  await expect(page.getByTestId('segments').locator('li')).toHaveCount(3);
  await page.getByLabel('Instruction for episode 0').fill('put the cube on the target');
  await page.getByRole('button', { name: 'Import 1 episode as samples' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 1 episodes as', { timeout: 60_000 });
  await page.getByRole('link', { name: 'Open in Library' }).click();

  const samples = await storedSamples(page);
  expect(samples.map((s) => s.frameStart)).toEqual([0, 10, 30]);
  const states = await simStates(sim, 0);
  await page.getByTestId('dataset-episodes').locator('summary').click();
  const row = page.getByTestId('dataset-episode');
  await expect(row).toContainText(`sim-dataset episode 0 · put the cube on the target · ${states.length} steps · ${samples.length} frames`);
  await row.getByRole('button', { name: 'Save sim-dataset episode 0 as MCAP' }).click();
  await expect(page.getByText(`Saved sim-dataset-episode_0.mcap: ${states.length} steps, ${samples.length} frames`)).toBeVisible({ timeout: 30_000 });
  const bytes = new Uint8Array((await readOpfs(page, 'sim-dataset-episode_0.mcap'))!);

  // Read back by the studio's bag readers, in Node.
  const files = oneFile('sim-dataset-episode_0.mcap', bytes);
  const info = await inspectBag(files);
  expect(info).toMatchObject({ format: 'mcap', profile: 'ros2', problems: [] });
  expect(info.topics).toEqual(expect.arrayContaining([
    { name: STUDIO_TOPICS.image, type: 'sensor_msgs/msg/CompressedImage', count: samples.length },
    { name: STUDIO_TOPICS.joints, type: 'sensor_msgs/msg/JointState', count: states.length },
    { name: STUDIO_TOPICS.tf, type: 'tf2_msgs/msg/TFMessage', count: states.length },
    { name: STUDIO_TOPICS.path, type: 'visualization_msgs/msg/Marker', count: samples.length },
  ]));
  const bag = await openBag(files);
  const frames: string[] = [], markers: ReturnType<typeof pathFromMarker>[] = [], joints: number[][] = [];
  for await (const m of bag.messages({ topics: [STUDIO_TOPICS.image, STUDIO_TOPICS.path, STUDIO_TOPICS.joints] })) {
    const msg = bag.decode(m.topic, m.data) as { data: Uint8Array; position: Float64Array };
    if (m.topic === STUDIO_TOPICS.image) frames.push(Buffer.from(msg.data).toString('base64'));
    else if (m.topic === STUDIO_TOPICS.path) markers.push(pathFromMarker(msg));
    else joints.push([...msg.position]);
  }
  // The frames are the stored images byte for byte; the joint states are the episode's states (stored as float32).
  expect(frames).toEqual(samples.map((s) => s.image));
  expect(joints).toEqual(states.map((r) => r.map((v) => Math.fround(v))));
  expect(markers.map((m) => ({ instruction: m.instruction, path: m.path }))).toEqual(samples.map((s) => ({ instruction: s.instruction, path: s.path })));

  // As the bag importer reads it: cut by the instruction topic, one episode per sample, the end
  // effector from /tf at each frame, the calibration from CameraInfo + /tf_static.
  const series = await readRobotSeries(bag, await describeRobot(bag), { camera: STUDIO_TOPICS.image, ee: { kind: 'tf', frame: EE_FRAME }, gripper: null, cut: { kind: 'topic', topic: STUDIO_TOPICS.instruction } }, 'readback');
  expect(series.episodes.map((e) => e.start)).toEqual(samples.map((_, i) => i));
  const [x, y, z] = series.eeStateIndices!;
  series.states.forEach((s, i) => expect([s[x], s[y], s[z]]).toEqual(states[samples[i].frameStart].slice(0, 3).map((v) => Math.fround(v))));
  const cal = readSimCalibration(sim);
  const want = normalizeProjection(projectionFromIntrinsics(cal.K, cal.worldToCamera[0]));
  normalizeProjection(series.calibration!.projection).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  expect(series.problems).toEqual([]);
});

test('a live teleop recording from the simulator saved as MCAP reads back with every frame, the joint states and the path', async ({ page, context }) => {
  test.setTimeout(120_000);
  const port = Number(process.env.E2E_PORT ?? 4173) + 5031;
  const robot = await startSim(port);
  try {
    await context.addInitScript(OPFS_SAVE_PICKER);
    await page.goto('/live');
    await page.getByLabel('rosbridge URL').fill(`ws://localhost:${port}`);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('camera-info')).toContainText('fps', { timeout: 20_000 });
    await page.getByTestId('start-teleop').click();
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.down('KeyW');
    await page.waitForTimeout(1500);
    await page.keyboard.up('KeyW');
    await page.getByTestId('estop').click();
    await expect(page.getByTestId('live-episodes').locator('li', { hasText: 'Teleop' })).toHaveCount(1, { timeout: 15_000 });
    // The recording is finished once its Library sample is written (after it shows in the list).
    const readRecording = () => page.evaluate(async () => {
      const open = indexedDB.open('path-studio');
      const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
      const get = <T,>(store: string) => new Promise<T[]>((res) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => res(r.result as T[]); });
      const [ep] = await get<{ datasetId: string; data: { states: number[][]; frames: string[]; stateNames: string[]; sampleId: string; camera?: { worldToCamera?: number[][] } } }>('episodes');
      const sample = (await get<{ id: string; path: unknown; instruction: string }>('samples')).find((s) => s.id === ep.data.sampleId);
      db.close();
      if (!sample) return null;
      return { datasetId: ep.datasetId, states: ep.data.states, names: ep.data.stateNames, frames: ep.data.frames.filter(Boolean).length, path: sample.path, instruction: sample.instruction, calibrated: !!ep.data.camera?.worldToCamera };
    });
    await expect.poll(readRecording, { timeout: 15_000 }).not.toBeNull();
    const rec = (await readRecording())!;
    expect(rec.frames).toBeGreaterThan(5);

    await page.goto(`/library/${rec.datasetId}`);
    await page.getByTestId('dataset-episodes').locator('summary').click();
    await page.getByTestId('dataset-episode').getByRole('button', { name: /as MCAP/ }).click();
    const toast = page.getByText(/^Saved Live_recordings-.*\.mcap:/);
    await expect(toast).toContainText(`${rec.states.length} steps, ${rec.frames} frames`, { timeout: 30_000 });
    const name = /^Saved (\S+\.mcap):/.exec((await toast.textContent())!)![1];
    const files = oneFile(name, new Uint8Array((await readOpfs(page, name))!));

    const info = await inspectBag(files);
    expect(info.topics).toEqual(expect.arrayContaining([
      { name: STUDIO_TOPICS.image, type: 'sensor_msgs/msg/CompressedImage', count: rec.frames },
      { name: STUDIO_TOPICS.joints, type: 'sensor_msgs/msg/JointState', count: rec.states.length },
      { name: STUDIO_TOPICS.path, type: 'visualization_msgs/msg/Marker', count: 1 },
    ]));
    const bag = await openBag(files);
    const joints: number[][] = [], markers: ReturnType<typeof pathFromMarker>[] = [];
    for await (const m of bag.messages({ topics: [STUDIO_TOPICS.joints, STUDIO_TOPICS.path] })) {
      const msg = bag.decode(m.topic, m.data) as { name: string[]; position: Float64Array };
      if (m.topic === STUDIO_TOPICS.path) markers.push(pathFromMarker(msg));
      else { expect(msg.name).toEqual(rec.names); joints.push([...msg.position]); }
    }
    expect(joints).toEqual(rec.states);
    expect(markers.map((m) => ({ instruction: m.instruction, path: m.path }))).toEqual([{ instruction: rec.instruction, path: rec.path }]);
    // Every recorded frame is a camera frame of the bag, with the end effector from /tf at each.
    const series = await readRobotSeries(bag, await describeRobot(bag), { camera: STUDIO_TOPICS.image, ee: { kind: 'tf', frame: EE_FRAME }, gripper: null, cut: { kind: 'whole' } }, 'live');
    expect(series.frameTimesNs).toHaveLength(rec.frames);
    expect(series.calibration !== null).toBe(rec.calibrated);
  } finally {
    await robot.kill();
  }
});
