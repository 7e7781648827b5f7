/**
 * robomimic / robosuite / LIBERO HDF5 layout (`data/demo_N/obs/...`, `actions`, `env_args`,
 * `model_file`, `camera_info`), read through a small duck-typed view of h5wasm's File so the same
 * code runs with h5wasm in the browser and h5wasm/node in tests.
 */
import { invertRigid, projectionFromIntrinsics, type Projection } from '../../core/camera/projection';
import { findMjcfCamera, projectionFromMjcfCamera } from './mjcfCamera';

export interface H5Attr { value: unknown }
export interface H5Dataset { shape: number[] | null; value: unknown; slice(ranges: ([number, number] | [])[]): unknown; attrs: Record<string, H5Attr> }
export interface H5Group { keys(): string[]; get(name: string): H5Group | H5Dataset | null; attrs: Record<string, H5Attr> }

export const isDataset = (e: unknown): e is H5Dataset => !!e && typeof e === 'object' && 'shape' in e && typeof (e as { slice?: unknown }).slice === 'function';
export const isGroup = (e: unknown): e is H5Group => !!e && typeof e === 'object' && typeof (e as H5Group).keys === 'function' && !('shape' in e);

export class Hdf5LayoutError extends Error {}

export interface RobomimicCamera {
  key: string;
  /** Name of the camera in the MuJoCo model (agentview_image → agentview). */
  modelName: string;
  width: number;
  height: number;
}

export interface RobomimicDemo {
  key: string;
  index: number;
  length: number;
}

export interface RobomimicLayout {
  flavour: 'robomimic' | 'libero';
  task: string;
  demos: RobomimicDemo[];
  cameras: RobomimicCamera[];
  eeKey: string;
  lowDimKeys: string[];
  stateNames: string[];
  actionNames: string[];
  /** LIBERO stores MuJoCo's OpenGL renders as they come: upside down. */
  flipImages: boolean;
  problems: string[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null);
function jsonAttr(g: H5Group, name: string): Record<string, unknown> | null {
  const t = text(g.attrs[name]?.value);
  if (!t) return null;
  try { return JSON.parse(t); } catch { return null; }
}

/** Every dataset under `group` as "/path [shape] dtype", depth-first, at most `limit` of them. */
export function listDatasets(group: H5Group, limit = 12, prefix = ''): { lines: string[]; total: number } {
  const lines: string[] = [];
  let total = 0;
  const walk = (g: H5Group, at: string, depth: number) => {
    for (const k of g.keys()) {
      const e = g.get(k);
      const path = `${at}/${k}`;
      if (isDataset(e)) {
        total++;
        if (lines.length < limit) lines.push(`${path} [${(e.shape ?? []).join('×') || 'scalar'}]`);
      } else if (isGroup(e) && depth < 8) walk(e, path, depth + 1);
    }
  };
  walk(group, prefix, 0);
  return { lines, total };
}

function holds(group: H5Group, prefix = ''): string {
  const { lines, total } = listDatasets(group, 12, prefix);
  if (!total) return 'It holds no datasets.';
  return `It holds ${total} dataset${total === 1 ? '' : 's'}: ${lines.join(', ')}${total > lines.length ? `, … (${total - lines.length} more)` : ''}.`;
}

/** What to run on a robosuite raw demo file (states + actions + model_file, no obs) to get images and end-effector positions. */
export function robosuiteRawMessage(fileName: string, converted: boolean): string {
  const steps = [
    ...(converted ? [] : [`python robomimic/scripts/conversion/convert_robosuite.py --dataset ${fileName}`]),
    `python robomimic/scripts/dataset_states_to_obs.py --dataset ${fileName} --output_name image.hdf5 --done_mode 2 --camera_names agentview --camera_height 84 --camera_width 84`,
  ];
  return `${fileName} is a robosuite raw demonstration file (data/demo_N/states, actions and model_file, no obs group): it holds MuJoCo simulator states, not camera images or end-effector positions. `
    + `Replay it into a robomimic file with robomimic's scripts (robosuite and MuJoCo installed): ${steps.join(', then ')}. `
    + 'Then open image.hdf5 (beside the input): it has agentview_image frames and robot0_eef_pos.';
}

/** Reads the layout; throws Hdf5LayoutError naming what is missing and what the file holds instead. */
export function readRobomimicLayout(file: H5Group, fileName: string): RobomimicLayout {
  const data = file.get('data');
  if (!isGroup(data)) throw new Hdf5LayoutError(`${fileName} has no /data group: this is not a robomimic, robosuite or LIBERO dataset (expected data/demo_0/obs/…). ${holds(file)}`);
  const demoKeys = data.keys().filter((k) => /^demo_\d+$/.test(k)).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  if (!demoKeys.length) throw new Hdf5LayoutError(`${fileName}: /data has no demo_N groups, so this is not a robomimic, robosuite or LIBERO dataset. ${holds(data, '/data')}`);
  const first = data.get(demoKeys[0]);
  const obs = isGroup(first) ? first.get('obs') : null;
  if (isGroup(first) && !isGroup(obs) && isDataset(first.get('states'))) {
    throw new Hdf5LayoutError(robosuiteRawMessage(fileName, data.attrs.env_args !== undefined));
  }
  if (!isGroup(first) || !isGroup(obs)) throw new Hdf5LayoutError(`${fileName}: /data/${demoKeys[0]} has no obs group (robomimic keeps observations in data/demo_N/obs/). ${isGroup(first) ? holds(first, `/data/${demoKeys[0]}`) : ''}`.trim());
  const obsKeys = obs.keys();
  const eeKey = ['robot0_eef_pos', 'ee_pos', 'eef_pos'].find((k) => obsKeys.includes(k));
  if (!eeKey) throw new Hdf5LayoutError(`${fileName}: /data/${demoKeys[0]}/obs has no end-effector position (robot0_eef_pos or ee_pos); found ${obsKeys.join(', ')}.`);
  const cameras: RobomimicCamera[] = [];
  for (const k of obsKeys) {
    const d = obs.get(k);
    if (!isDataset(d) || !d.shape || d.shape.length !== 4 || d.shape[3] !== 3 || !/(_image|_rgb)$/.test(k)) continue;
    cameras.push({ key: k, modelName: k.replace(/_(image|rgb)$/, ''), height: d.shape[1], width: d.shape[2] });
  }
  const problems: string[] = [];
  if (!cameras.length) problems.push(`${fileName} has no image observations (…_image or …_rgb): there are no frames to make samples from.`);
  const lowDimKeys = [eeKey, ...obsKeys.filter((k) => k !== eeKey && /(gripper|joint|eef_quat|ee_ori)/.test(k))];
  const stateNames: string[] = [];
  for (const k of lowDimKeys) {
    const d = obs.get(k) as H5Dataset;
    const n = d.shape?.[1] ?? 1;
    const axes = k === eeKey ? ['x', 'y', 'z'] : /quat/.test(k) ? ['qx', 'qy', 'qz', 'qw'] : Array.from({ length: n }, (_, i) => String(i));
    for (let i = 0; i < n; i++) stateNames.push(`${k}.${axes[i] ?? i}`);
  }
  const actions = first.get('actions');
  const actionDim = isDataset(actions) ? actions.shape?.[1] ?? 0 : 0;
  const actionNames = actionDim === 7 ? ['dx', 'dy', 'dz', 'droll', 'dpitch', 'dyaw', 'gripper'] : Array.from({ length: actionDim }, (_, i) => `a${i}`);
  const env = jsonAttr(data, 'env_args');
  const problem = jsonAttr(data, 'problem_info');
  const flavour = problem || obsKeys.some((k) => k.endsWith('_rgb')) ? 'libero' : 'robomimic';
  const task = String(problem?.language_instruction ?? env?.env_name ?? fileName.replace(/\.(hdf5|h5)$/i, '')).trim();
  if (flavour === 'libero') problems.push('LIBERO stores its camera images upside down (MuJoCo/OpenGL rows); they are flipped vertically on import.');
  const demos = demoKeys.flatMap((key) => {
    const g = data.get(key) as H5Group;
    const ee = (g.get('obs') as H5Group | null)?.get(eeKey);
    if (!isDataset(ee) || !ee.shape) throw new Hdf5LayoutError(`${fileName}: /data/${key}/obs/${eeKey} is missing.`);
    // Every per-step array of a demo has one row per step; a demo whose arrays disagree would be
    // cut into wrong rows, so it is left out and named.
    const length = ee.shape[0];
    const mismatched = [['actions', g.get('actions')] as const, ...lowDimKeys.map((k) => [`obs/${k}`, (g.get('obs') as H5Group).get(k)] as const)]
      .filter(([, d]) => isDataset(d) && d.shape && d.shape[0] !== length)
      .map(([name, d]) => `${(d as H5Dataset).shape![0]} rows in ${name}`);
    if (mismatched.length) {
      problems.push(`/data/${key} was left out: it has ${length} steps in obs/${eeKey} but ${mismatched.join(', ')}. Fix or remove the demo (e.g. re-run the conversion that wrote it).`);
      return [];
    }
    return [{ key, index: Number(key.slice(5)), length }];
  });
  if (!demos.length) throw new Hdf5LayoutError(`${fileName}: every demo is inconsistent, nothing can be imported. ${problems.join(' ')}`);
  return { flavour, task, demos, cameras, eeKey, lowDimKeys, stateNames, actionNames, flipImages: flavour === 'libero', problems };
}

const rows = (v: unknown, n: number): number[][] => {
  const flat = Array.from(v as ArrayLike<number | bigint>, Number);
  const w = flat.length / n;
  return Array.from({ length: n }, (_, i) => flat.slice(i * w, (i + 1) * w));
};

/** States (low-dim obs concatenated), actions and end-effector positions of one demo. */
export function readDemoTable(file: H5Group, layout: RobomimicLayout, demo: RobomimicDemo) {
  const g = (file.get('data') as H5Group).get(demo.key) as H5Group;
  const obs = g.get('obs') as H5Group;
  const parts = layout.lowDimKeys.map((k) => {
    const d = obs.get(k);
    if (!isDataset(d)) throw new Hdf5LayoutError(`/data/${demo.key}/obs/${k} is missing (the first demo has it).`);
    return rows(d.value, demo.length);
  });
  const states = Array.from({ length: demo.length }, (_, i) => parts.flatMap((p) => p[i]));
  const actions = g.get('actions');
  return {
    states,
    actions: isDataset(actions) ? rows(actions.value, demo.length) : states.map(() => []),
    timestamps: states.map((_, i) => i),
    success: null,
    eePositions: parts[0],
  };
}

/** RGB bytes of one frame (flipped upright for LIBERO). */
export function readDemoFrame(file: H5Group, layout: RobomimicLayout, demo: RobomimicDemo, camera: RobomimicCamera, frame: number): Uint8ClampedArray {
  const d = ((file.get('data') as H5Group).get(demo.key) as H5Group).get('obs') as H5Group;
  const ds = d.get(camera.key) as H5Dataset;
  const rgb = ds.slice([[frame, frame + 1]]) as Uint8Array;
  const { width: w, height: h } = camera;
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    const sy = layout.flipImages ? h - 1 - y : y;
    for (let x = 0; x < w; x++) {
      const s = (sy * w + x) * 3, o = (y * w + x) * 4;
      out[o] = rgb[s]; out[o + 1] = rgb[s + 1]; out[o + 2] = rgb[s + 2]; out[o + 3] = 255;
    }
  }
  return out;
}

/**
 * Calibration stored with a demo: robomimic's `camera_info` (intrinsics + extrinsics, the latter
 * the camera pose in the world = camera-to-world, OpenCV axes) or the camera in `model_file`.
 */
export function demoCalibration(file: H5Group, demo: RobomimicDemo, camera: RobomimicCamera): { projection: Projection; origin: string } | null {
  const g = (file.get('data') as H5Group).get(demo.key) as H5Group;
  const info = jsonAttr(g, 'camera_info')?.[camera.modelName] as { intrinsics?: number[][]; extrinsics?: number[][] } | undefined;
  if (info?.intrinsics && info.extrinsics) {
    return { projection: projectionFromIntrinsics(info.intrinsics, invertRigid(info.extrinsics.flat())), origin: `robomimic camera_info (${camera.modelName})` };
  }
  const xml = text(g.attrs.model_file?.value);
  if (xml) {
    const cam = findMjcfCamera(xml, camera.modelName);
    if (cam) return { projection: projectionFromMjcfCamera(cam, camera.width, camera.height), origin: `camera “${camera.modelName}” in the demo's model_file (MJCF)` };
  }
  return null;
}
