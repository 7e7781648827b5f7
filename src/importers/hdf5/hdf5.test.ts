// @vitest-environment node
import * as h5 from 'h5wasm/node';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectPoint } from '../../core/camera/projection';
import { datasetFilesFromEntries } from '../episodes/source';
import { openHdf5Dataset } from './dataset';
import { findMjcfCamera, projectionFromMjcfCamera } from './mjcfCamera';

beforeAll(async () => { await h5.ready; });

/** A camera 1 m above the table inside a body rotated 90° about z (MuJoCo quats are w x y z). */
const MODEL = `<mujoco><worldbody>
  <body name="mount" pos="0.5 0 0" quat="0.7071068 0 0 0.7071068">
    <camera name="agentview" pos="0 0 1" quat="1 0 0 0" fovy="90"/>
  </body>
</worldbody></mujoco>`;

describe('MJCF camera', () => {
  it('accumulates body poses and converts MuJoCo (−z forward, y up) to OpenCV', () => {
    const cam = findMjcfCamera(MODEL, 'agentview')!;
    expect(cam.cameraToWorld[3]).toBeCloseTo(0.5, 9);
    expect(cam.cameraToWorld[11]).toBeCloseTo(1, 9);
    const P = projectionFromMjcfCamera(cam, 101, 101);
    const below = projectPoint(P, [0.5, 0, 0]);
    expect(below.u).toBeCloseTo(50, 9);
    expect(below.v).toBeCloseTo(50, 9);
    expect(below.depth).toBeGreaterThan(0);
    // The body turns the camera's x (image right) to world +y, and its y (image up) to world −x.
    expect(projectPoint(P, [0.5, 0.1, 0]).u).toBeGreaterThan(55);
    expect(projectPoint(P, [0.4, 0, 0]).v).toBeLessThan(45);
    expect(findMjcfCamera(MODEL, 'nope')).toBeNull();
  });
});

function writeDemoFile(path: string, opts: { libero?: boolean; withData?: boolean; actionsOfDemo1?: number } = {}) {
  const f = new h5.File(path, 'w');
  if (opts.withData === false) {
    f.create_group('observations');
    f.close();
    return;
  }
  const data = f.create_group('data');
  data.create_attribute('env_args', JSON.stringify({ env_name: 'Lift', env_kwargs: { camera_names: ['agentview'] } }));
  if (opts.libero) data.create_attribute('problem_info', JSON.stringify({ language_instruction: 'put the bowl on the plate' }));
  const W = 24, H = 16, N = 5;
  for (const demo of [0, 1]) {
    const g = data.create_group(`demo_${demo}`);
    g.create_attribute('model_file', MODEL);
    const obs = g.create_group('obs');
    const img = new Uint8Array(N * H * W * 3);
    // Mark row 0 of every frame white so the LIBERO flip is visible.
    for (let n = 0; n < N; n++) for (let x = 0; x < W; x++) img.fill(255, ((n * H) * W + x) * 3, ((n * H) * W + x) * 3 + 3);
    obs.create_dataset({ name: opts.libero ? 'agentview_rgb' : 'agentview_image', data: img, shape: [N, H, W, 3], dtype: '<B' });
    obs.create_dataset({ name: opts.libero ? 'ee_pos' : 'robot0_eef_pos', data: Float64Array.from({ length: N * 3 }, (_, i) => [0.5 + 0.01 * demo, 0.02 * (i % 3), 0.1][i % 3]), shape: [N, 3] });
    obs.create_dataset({ name: opts.libero ? 'gripper_states' : 'robot0_gripper_qpos', data: Float64Array.from({ length: N * 2 }, (_, i) => (i < 4 ? 0.04 : 0)), shape: [N, 2] });
    const A = demo === 1 && opts.actionsOfDemo1 ? opts.actionsOfDemo1 : N;
    g.create_dataset({ name: 'actions', data: new Float32Array(A * 7), shape: [A, 7] });
  }
  f.close();
}

async function open(path: string) {
  const name = path.split('/').pop()!;
  return openHdf5Dataset(datasetFilesFromEntries([{ path: name, file: new Blob([readFileSync(path)]) }], name), name, h5);
}

describe('robomimic / LIBERO HDF5', () => {
  it('reads demos, low-dim states, actions and the MJCF calibration', async () => {
    const path = join(tmpdir(), `robomimic-${process.pid}.hdf5`);
    writeDemoFile(path);
    try {
      const src = await open(path);
      expect(src.format).toBe('robomimic-hdf5');
      expect(src.episodes).toEqual([{ index: 0, task: 'Lift', length: 5 }, { index: 1, task: 'Lift', length: 5 }]);
      expect(src.cameras).toEqual([expect.objectContaining({ key: 'agentview_image', width: 24, height: 16 })]);
      expect(src.stateNames.slice(0, 5)).toEqual(['robot0_eef_pos.x', 'robot0_eef_pos.y', 'robot0_eef_pos.z', 'robot0_gripper_qpos.0', 'robot0_gripper_qpos.1']);
      expect(src.actionNames).toHaveLength(7);
      const t = await src.readEpisode(1);
      expect(t.eePositions![0]).toEqual([0.51, 0.02, 0.1]);
      expect(t.states[4][3]).toBe(0);
      const cal = src.calibration('agentview_image', 0)!;
      expect(cal.origin).toMatch(/model_file/);
      expect(projectPoint(cal.projection, [0.5, 0, 0]).depth).toBeGreaterThan(0);
      src.close();
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('recognises LIBERO (language instruction, _rgb images) and says the images get flipped', async () => {
    const path = join(tmpdir(), `libero-${process.pid}.hdf5`);
    writeDemoFile(path, { libero: true });
    try {
      const src = await open(path);
      expect(src.episodes[0].task).toBe('put the bowl on the plate');
      expect(src.problems.join(' ')).toMatch(/upside down/);
      expect(src.cameras[0].key).toBe('agentview_rgb');
      src.close();
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('leaves out a demo whose arrays disagree (8 actions for 5 observations), naming it', async () => {
    const path = join(tmpdir(), `inconsistent-${process.pid}.hdf5`);
    writeDemoFile(path, { actionsOfDemo1: 8 });
    try {
      const src = await open(path);
      expect(src.episodes.map((e) => e.index)).toEqual([0]);
      expect(src.problems.join(' ')).toContain('/data/demo_1 was left out: it has 5 steps in obs/robot0_eef_pos but 8 rows in actions.');
      src.close();
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('says an empty or truncated file is empty or truncated (not "has no /data group")', async () => {
    const path = join(tmpdir(), `whole-${process.pid}.hdf5`);
    writeDemoFile(path);
    const whole = readFileSync(path);
    rmSync(path, { force: true });
    const openBytes = (bytes: Buffer, name: string) => openHdf5Dataset(datasetFilesFromEntries([{ path: name, file: new Blob([new Uint8Array(bytes)]) }], name), name, h5);
    await expect(openBytes(whole.subarray(0, Math.floor(whole.length / 2)), 'cut.hdf5')).rejects.toThrow(new RegExp(`cut\\.hdf5 is truncated: its header says the file is ${whole.length.toLocaleString('en')} bytes long, but it is ${Math.floor(whole.length / 2).toLocaleString('en')}`));
    await expect(openBytes(Buffer.alloc(0), 'empty.hdf5')).rejects.toThrow(/empty\.hdf5 is empty \(0 bytes\)/);
  });

  it('refuses an HDF5 file without the expected groups, naming what is missing', async () => {
    const path = join(tmpdir(), `not-robomimic-${process.pid}.hdf5`);
    writeDemoFile(path, { withData: false });
    try {
      await expect(open(path)).rejects.toThrow(/has no \/data group: this is not a robomimic, robosuite or LIBERO dataset/);
    } finally {
      rmSync(path, { force: true });
    }
  });
});

describe('HDF5 files that are not robomimic', () => {
  it('robosuite raw demos (states, actions, model_file, no obs) say what they are and what to run', async () => {
    const path = join(tmpdir(), `demo-${process.pid}.hdf5`);
    const f = new h5.File(path, 'w');
    const data = f.create_group('data');
    // As robosuite's collect_human_demonstrations.py writes it (env and env_info, no env_args yet).
    data.create_attribute('env', 'Lift');
    data.create_attribute('env_info', JSON.stringify({ robots: ['Panda'] }));
    for (const demo of [1, 2]) {
      const g = data.create_group(`demo_${demo}`);
      g.create_attribute('model_file', MODEL);
      g.create_dataset({ name: 'states', data: new Float64Array(4 * 32), shape: [4, 32] });
      g.create_dataset({ name: 'actions', data: new Float64Array(4 * 7), shape: [4, 7] });
    }
    f.close();
    try {
      const name = path.split('/').pop()!;
      const err = await open(path).then(() => null, (e: Error) => e.message);
      expect(err).toContain(`${name} is a robosuite raw demonstration file (data/demo_N/states, actions and model_file, no obs group)`);
      expect(err).toContain(`python robomimic/scripts/conversion/convert_robosuite.py --dataset ${name}, then python robomimic/scripts/dataset_states_to_obs.py --dataset ${name} --output_name image.hdf5`);
      expect(err).toMatch(/agentview_image frames and robot0_eef_pos/);
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('a plain HDF5 file lists the datasets it holds', async () => {
    const path = join(tmpdir(), `aloha-${process.pid}.hdf5`);
    const f = new h5.File(path, 'w');
    const obs = f.create_group('observations');
    obs.create_dataset({ name: 'qpos', data: new Float64Array(5 * 14), shape: [5, 14] });
    obs.create_group('images').create_dataset({ name: 'cam_high', data: new Uint8Array(5 * 4 * 6 * 3), shape: [5, 4, 6, 3], dtype: '<B' });
    f.create_dataset({ name: 'action', data: new Float64Array(5 * 14), shape: [5, 14] });
    f.close();
    try {
      await expect(open(path)).rejects.toThrow(/not a robomimic, robosuite or LIBERO dataset .*It holds 3 datasets: \/action \[5×14\], \/observations\/images\/cam_high \[5×4×6×3\], \/observations\/qpos \[5×14\]\./);
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('a robomimic file has an inspection like a LeRobot folder', async () => {
    const path = join(tmpdir(), `robomimic-inspect-${process.pid}.hdf5`);
    writeDemoFile(path);
    try {
      const src = await open(path);
      const i = src.inspection!;
      expect(i).toMatchObject({ format: 'robomimic-hdf5', version: 'robomimic', episodes: { listed: 2, present: 2, absent: [] } });
      expect(i.columns.find((c) => c.key === 'obs/robot0_eef_pos')).toMatchObject({ role: 'ee', names: ['robot0_eef_pos.x', 'robot0_eef_pos.y', 'robot0_eef_pos.z'] });
      expect(i.columns.find((c) => c.key === 'obs/robot0_gripper_qpos')?.role).toBe('gripper');
      expect(src.gripperStateIndex).toBe(3);
      src.close();
    } finally {
      rmSync(path, { force: true });
    }
  });
});
