import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitProjection } from '../src/formats/mcap/cameraPose';
import { cameraInfoMessage, stampOf, tfMessage, writeRos2Mcap, type Ros2Message } from '../src/testing/ros2Bags';
import { sharedFixture } from '../src/testing/sharedFixtures';
import { episodeRos1Mcap, mcapToDb3, simEpisodeMcap, type SimBag } from './bagFixtures';
import { generateSimDataset, projectSim, removeTemp } from './episodesFixtures';
import { dbCounts } from './helpers';

/**
 * ROS bags through the real import screen: an MCAP the studio's own writer made from a simulator
 * episode, the same messages as a rosbag2 SQLite bag written by Python's sqlite3 (sql.js WASM in
 * the page and the import worker, under the app's CSP), and ros2/rosbag2's own test bags.
 */
let sim: string;
let bag: SimBag;
let tmp: string;
test.beforeAll(async () => {
  sim = generateSimDataset(1, 3);
  bag = await simEpisodeMcap(sim, 0);
  tmp = mkdtempSync(join(tmpdir(), 'ps-e2e-bag-'));
});
test.afterAll(() => {
  removeTemp(sim);
  rmSync(tmp, { recursive: true, force: true });
});

async function openFolder(page: Page, dir: string) {
  await page.goto('/import/episodes');
  await page.getByLabel('Dataset folder').setInputFiles(dir);
}

/** Every stored sample: its first path point in pixels and the darkest pixel within ±2 px of it in the stored frame. */
async function storedSamples(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = <T,>(store: string) => new Promise<T[]>((res, rej) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => res(r.result as T[]);
      r.onerror = () => rej(r.error);
    });
    type S = { assetId: string; source: string; path: { points: { x: number; y: number }[] }; provenance: { frameStart: number; frameEnd: number } };
    const samples = await all<S>('samples');
    const assets = new Map((await all<{ id: string; blob: Blob; width: number; height: number }>('assets')).map((a) => [a.id, a]));
    const out = [];
    for (const s of samples) {
      const a = assets.get(s.assetId)!;
      const bmp = await createImageBitmap(a.blob);
      const ctx = new OffscreenCanvas(bmp.width, bmp.height).getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const p = s.path.points[0];
      const u = p.x * a.width - 0.5, v = p.y * a.height - 0.5;
      let darkest = 255;
      for (let y = Math.round(v) - 2; y <= Math.round(v) + 2; y++)
        for (let x = Math.round(u) - 2; x <= Math.round(u) + 2; x++) {
          const d = ctx.getImageData(x, y, 1, 1).data;
          darkest = Math.min(darkest, Math.max(d[0], d[1], d[2]));
        }
      out.push({ source: s.source, frameStart: s.provenance.frameStart, frameEnd: s.provenance.frameEnd, u, v, darkest, points: s.path.points.length, width: a.width, height: a.height });
    }
    db.close();
    return out;
  });
}

interface BagNames { camera: string; info: string; tfRoot: string; cameraFrame: string; msg: string; eeFrame?: string }
const STUDIO: BagNames = { camera: '/camera/image/compressed', info: '/camera/camera_info', tfRoot: 'base_link', cameraFrame: 'camera_optical', msg: '/msg/' };
const ROS1: BagNames = { camera: '/usb_cam/image_raw/compressed', info: '/usb_cam/camera_info', tfRoot: 'world', cameraFrame: 'usb_cam', msg: '/' };

/** Opens a bag made from the sim episode, checks what the screen found, imports it and checks the path on the stored frame. */
async function importSimBag(page: Page, dir: string, format: string, names = STUDIO) {
  const n = bag.states.length;
  const esc = (t: string) => t.replace(/[/.]/g, '\\$&');
  await openFolder(page, dir);
  await expect(page.getByTestId('source-format')).toHaveText(format);
  const topics = page.getByTestId('bag-topics');
  await expect(topics.getByRole('row', { name: new RegExp(esc(names.camera)) })).toContainText(`sensor_msgs${names.msg}CompressedImage${n}`);
  await expect(topics.getByRole('row', { name: /\/joint_states/ })).toContainText(`sensor_msgs${names.msg}JointState${n}`);
  await expect(topics.getByRole('row', { name: /^\/tf / })).toContainText(`tf2_msgs${names.msg}TFMessage`);
  await expect(page.getByTestId('source-facts')).toContainText(`1 episodes · ${n} frames`);
  await expect(page.getByTestId('source-facts')).toContainText(`${names.camera} ${bag.cal.width}×${bag.cal.height}`);
  await expect(page.getByRole('radio', { name: new RegExp(`From the dataset \\(${esc(names.info)} \\+ \\/tf ${names.tfRoot} → ${names.cameraFrame}\\)`) })).toBeChecked();
  await expect(page.getByRole('radio', { name: /From state columns \(ee_x, ee_y, ee_z\)/ })).toBeChecked();
  // The frame decodes in the page (CompressedImage JPEG → ImageBitmap) and shows the projected end effector.
  await expect(page.getByTestId('frame-readout')).toContainText('ee at (');

  await page.getByRole('button', { name: 'Import 1 episode as samples' }).click();
  await expect(page.getByTestId('import-result')).toContainText('Imported 1 episodes as 1 draft samples', { timeout: 60_000 });
  const [s, ...rest] = await storedSamples(page);
  expect(rest).toHaveLength(0);
  expect(s).toMatchObject({ source: 'episode', frameStart: 0, width: bag.cal.width, height: bag.cal.height });
  // The first path point is the end effector at frame 0, projected by the sim's own formula…
  const want = projectSim(bag.cal, 0, bag.states[0].slice(0, 3));
  expect(Math.hypot(s.u - want.u, s.v - want.v)).toBeLessThan(0.05);
  // …and lies on the rendered (near-black) gripper in the stored frame, decoded from the bag's JPEG.
  expect(s.darkest, `gripper pixels near (${s.u.toFixed(1)}, ${s.v.toFixed(1)})`).toBeLessThan(60);
  expect(s.points).toBeGreaterThanOrEqual(2);
}

test('an MCAP written by the studio from a simulator episode: topics listed, camera/CameraInfo/tf found, samples on the gripper', async ({ page }) => {
  const dir = join(tmp, 'sim-episode');
  mkdirSync(dir);
  writeFileSync(join(dir, 'sim-episode.mcap'), bag.bytes);
  await importSimBag(page, dir, 'mcap');
});

test('a rosbag2 SQLite bag (.db3 written by Python): sql.js loads under the CSP, in the page and the import worker', async ({ page }) => {
  const dir = await mcapToDb3(bag.bytes, tmp, 'sim_db3');
  await importSimBag(page, dir, 'rosbag2');
});

test('a ROS 1-profile MCAP (ros1msg schemas, ROS 1 serialization): decoded in the page under the CSP, imported with the paths on the gripper', async ({ page }) => {
  const dir = join(tmp, 'ros1-episode');
  mkdirSync(dir);
  writeFileSync(join(dir, 'ros1-episode.mcap'), await episodeRos1Mcap(bag.episode));
  await importSimBag(page, dir, 'mcap', ROS1);
});

/**
 * The sim episode with a second camera and a marker topic: `/camera/image/compressed` every step
 * (the default), `/wrist/image/compressed` every other step (same pixels and pose, its own
 * CameraInfo and /tf_static link), and `/task` (std_msgs/String) at step 0 and at the middle step.
 */
async function twoCameraSimBag(): Promise<{ bytes: Uint8Array; middle: number }> {
  const ep = bag.episode, cam = ep.camera!;
  const split = splitProjection(cam.projection);
  const time = (i: number) => ep.startTimeNs + BigInt(Math.round(ep.timestamps[i] * 1e9));
  const middle = Math.floor(ep.states.length / 2);
  const m: Ros2Message[] = [{ topic: '/tf_static', type: 'tf2_msgs/msg/TFMessage', timeNs: time(0), msg: tfMessage(time(0), ['camera_optical', 'wrist_optical'].map((child) => ({ parent: 'base_link', child, t: split.cameraInWorld.t, q: split.cameraInWorld.q }))) }];
  for (let i = 0; i < ep.states.length; i++) {
    const t = time(i);
    m.push({ topic: '/joint_states', type: 'sensor_msgs/msg/JointState', timeNs: t, msg: { header: { stamp: stampOf(t), frame_id: '' }, name: ep.stateNames, position: ep.states[i], velocity: [], effort: [] } });
    m.push({ topic: '/tf', type: 'tf2_msgs/msg/TFMessage', timeNs: t, msg: tfMessage(t, [{ parent: 'base_link', child: 'ee_link', t: ep.eePositions![i] }]) });
    const jpeg = ep.frames.find((f) => f.step === i)!.data;
    for (const [prefix, frame, every] of [['/camera', 'camera_optical', 1], ['/wrist', 'wrist_optical', 2]] as const) {
      if (i % every) continue;
      m.push({ topic: `${prefix}/camera_info`, type: 'sensor_msgs/msg/CameraInfo', timeNs: t + 1n, msg: cameraInfoMessage(t, frame, cam.width, cam.height, split.k) });
      m.push({ topic: `${prefix}/image/compressed`, type: 'sensor_msgs/msg/CompressedImage', timeNs: t + 2n, msg: { header: { stamp: stampOf(t), frame_id: frame }, format: 'jpeg', data: jpeg } });
    }
    if (i === 0 || i === middle) m.push({ topic: '/task', type: 'std_msgs/msg/String', timeNs: t, msg: { data: i ? 'put the cube back' : 'pick up the cube' } });
  }
  return { bytes: await writeRos2Mcap(m), middle };
}

/** Every stored episode: its camera, length and instruction-bearing samples. */
async function storedEpisodes(page: Page) {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = <T,>(store: string) => new Promise<T[]>((res, rej) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => res(r.result as T[]);
      r.onerror = () => rej(r.error);
    });
    type E = { id: string; task: string; data: { length: number; frames: { camera: string; width: number; height: number }[]; source: { episodeIndex: number } } };
    const episodes = (await all<E>('episodes')).sort((a, b) => a.data.source.episodeIndex - b.data.source.episodeIndex);
    const samples = await all<{ instruction: string; provenance: { episodeId: string } }>('samples');
    db.close();
    return episodes.map((e) => ({ task: e.task, length: e.data.length, camera: e.data.frames[0]?.camera, width: e.data.frames[0]?.width, samples: samples.filter((s) => s.provenance.episodeId === e.id).map((s) => s.instruction) }));
  });
}

test('a bag with two cameras and a marker topic: the second camera and a cut per /task message are picked on the screen, and that is what is stored', async ({ page }) => {
  const { bytes, middle } = await twoCameraSimBag();
  const dir = join(tmp, 'two-cameras');
  mkdirSync(dir);
  writeFileSync(join(dir, 'two-cameras.mcap'), bytes);
  const n = bag.states.length, wristFrames = Math.ceil(n / 2), firstOfSecond = Math.ceil(middle / 2);
  await openFolder(page, dir);
  const choices = page.getByTestId('bag-choices');
  // The automatic choices: the first camera, its CameraInfo, the /tf end effector, gaps of 1 s.
  await expect(choices.getByLabel('Camera topic')).toHaveValue('/camera/image/compressed');
  await expect(choices.getByLabel('CameraInfo topic')).toHaveValue('/camera/camera_info');
  await expect(choices.getByLabel('End-effector source')).toHaveValue('/tf frame ee_link');
  await expect(page.getByTestId('bag-preview')).toHaveText(`1 episode · ${n} frames from /camera/image/compressed`);
  await expect(page.getByTestId('ee-empty')).toHaveText('This bag has no pose topics (PoseStamped, Pose, PointStamped).');

  await choices.getByLabel('Camera topic').selectOption('/wrist/image/compressed');
  await expect(page.getByTestId('bag-preview')).toHaveText(`1 episode · ${wristFrames} frames from /wrist/image/compressed`);
  await expect(choices.getByLabel('CameraInfo topic')).toHaveValue('/wrist/camera_info');
  await expect(page.getByTestId('source-facts')).toContainText(`1 episodes · ${wristFrames} frames`);
  await expect(page.getByRole('radio', { name: /From the dataset \(\/wrist\/camera_info \+ \/tf base_link → wrist_optical\)/ })).toBeChecked();

  await choices.getByRole('radio', { name: /One episode per message of/ }).check();
  await expect(page.getByTestId('bag-preview')).toHaveText(`2 episodes · ${wristFrames} frames from /wrist/image/compressed`);
  await expect(page.getByLabel('Instruction for episode 0')).toHaveValue('pick up the cube');
  await expect(page.getByLabel('Instruction for episode 1')).toHaveValue('put the cube back');
  await expect(page.getByTestId('episode-row-1')).toContainText(String(wristFrames - firstOfSecond));
  await expect(page.getByTestId('frame-readout')).toContainText('ee at (');

  await page.getByRole('button', { name: 'Import 2 episodes as samples' }).click();
  // The result or the import's error, whichever comes: a refusal fails here with its message.
  const outcome = page.getByTestId('import-result').or(page.getByRole('region', { name: 'Import' }).getByRole('alert')).first();
  await expect(outcome).toBeVisible({ timeout: 60_000 });
  await expect(outcome).toContainText('Imported 2 episodes as 2 draft samples');
  expect(await storedEpisodes(page)).toEqual([
    { task: 'pick up the cube', length: firstOfSecond, camera: '/wrist/image/compressed', width: bag.cal.width, samples: ['pick up the cube'] },
    { task: 'put the cube back', length: wristFrames - firstOfSecond, camera: '/wrist/image/compressed', width: bag.cal.width, samples: ['put the cube back'] },
  ]);
  // Each sample's first path point is the end effector at its episode's first wrist frame (step 0 and step 2·firstOfSecond), on the gripper.
  const samples = (await storedSamples(page)).sort((a, b) => a.u - b.u || a.v - b.v);
  const want = [0, 2 * firstOfSecond].map((step) => projectSim(bag.cal, 0, bag.states[step].slice(0, 3))).sort((a, b) => a.u - b.u || a.v - b.v);
  expect(samples).toHaveLength(2);
  samples.forEach((s, i) => {
    expect(Math.hypot(s.u - want[i].u, s.v - want[i].v)).toBeLessThan(0.05);
    expect(s.darkest).toBeLessThan(60);
  });
});

const fx = sharedFixture('rosbag2-mcap');

test('ros2/rosbag2 test bags (no camera): the message says so and lists the topics; nothing is stored', async ({ page }) => {
  test.skip(!fx.present, fx.skipReason);
  await openFolder(page, fx.path('talker'));
  await expect(page.getByRole('alert')).toHaveText('Could not open the dataset. talker has no camera topic (sensor_msgs/Image or sensor_msgs/CompressedImage), so there are no frames to make paths on. Its topics: /parameter_events (rcl_interfaces/msg/ParameterEvent, 0), /rosout (rcl_interfaces/msg/Log, 10), /topic (std_msgs/msg/String, 10).');
  await page.getByLabel('Dataset folder').setInputFiles(fx.path('cdr_test'));
  await expect(page.getByRole('alert')).toContainText('cdr_test has no camera topic');
  await expect(page.getByRole('alert')).toContainText('Its topics: /array_topic (test_msgs/msg/Arrays, 4), /test_topic (test_msgs/msg/BasicTypes, 3).');
  expect(await dbCounts(page)).toEqual({ samples: 0, assets: 0, datasets: 0 });
});
