/**
 * Episode generator: the scripted expert solves seeded tasks; every frame is rendered and the
 * episodes are written as a LeRobot v3.0 dataset (see docs/SIM.md).
 *
 *   npm run sim:generate -- --episodes 200 --seed 0 --tasks pick_place,press_button,knock_down --out /tmp/ds
 *
 * `--domain offdomain` writes path-only episodes of another world instead (sim/src/offdomain).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { LeRobotDatasetWriter } from './lerobot/dataset.ts';
import type { Path } from '../../src/core/path.ts';
import { ACTION_NAMES, ExpertEpisode, FRAME_RATE, observeState, STATE_NAMES } from './episode.ts';
import { EFFECTOR_KINDS, type EffectorKind } from './offdomain/domain.ts';
import { generateOffDomain } from './offdomain/generateOffDomain.ts';
import { cameraImage, loadModel, planPath, policyAction, type PolicyAction } from './policyDriver.ts';
import { CameraModel } from './render/camera.ts';
import { Rasterizer, type Frame } from './render/rasterizer.ts';
import { Rng } from './scene/rng.ts';
import { sampleScene, TASK_KINDS, type Split } from './scene/tasks.ts';
import type { TaskKind } from './scene/types.ts';
import { Simulation } from './sim.ts';

export interface GenerateOptions {
  episodes: number;
  seed: number;
  tasks: TaskKind[];
  out: string;
  split?: Split;
  size?: number;
  maxSteps?: number;
  /** DART noise on the executed actions, m/s (ExpertEpisodeOptions.actionNoise); 0 = clean demonstrations. */
  actionNoise?: number;
  /**
   * DAgger: model folders of a policy (and the planner that draws its path). The policy drives the
   * arm in a `policyShare` fraction of the frames (the expert, with its noise, in the others); every
   * frame is labelled with the expert's action, and the planner's path is stored as the episode's
   * path (`plan_path`), since the executed trajectory is not what the policy was asked to follow.
   */
  policy?: string;
  planner?: string;
  policyShare?: number;
  log?: (line: string) => void;
}

export interface GenerateSummary {
  episodes: number;
  successes: number;
  frames: number;
  seconds: number;
  /** Fraction of frames where the projected end effector lands on gripper pixels (±2 px). */
  eeOnGripper: number;
}

/** Whether any gripper pixel lies within `radius` px of (u, v). */
export function onGripper(frame: Frame, gripperGeoms: ReadonlySet<number>, u: number, v: number, radius = 2): boolean {
  const cu = Math.round(u), cv = Math.round(v);
  for (let y = cv - radius; y <= cv + radius; y++) {
    for (let x = cu - radius; x <= cu + radius; x++) {
      if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) continue;
      if (gripperGeoms.has(frame.segmentation[y * frame.width + x])) return true;
    }
  }
  return false;
}

export async function generate(opts: GenerateOptions): Promise<GenerateSummary> {
  const log = opts.log ?? (() => undefined);
  const size = opts.size ?? 256;
  const maxSteps = opts.maxSteps ?? 130;
  const t0 = performance.now();
  let sim: Simulation | null = null;
  let writer: LeRobotDatasetWriter | null = null;
  let successes = 0, frames = 0, onTarget = 0;
  const driver = opts.policy ? { policy: await loadModel(opts.policy), planner: await loadModel(opts.planner ?? join(opts.policy, '../planner')) } : null;
  for (let e = 0; e < opts.episodes; e++) {
    const seed = opts.seed + e;
    const scene = sampleScene(seed, { tasks: opts.tasks, split: opts.split, width: size, height: size });
    if (!sim) sim = await Simulation.create(scene);
    else await sim.reset(scene);
    const camera = new CameraModel(scene.camera);
    writer ??= new LeRobotDatasetWriter(opts.out, {
      fps: FRAME_RATE, width: size, height: size, robotType: 'path_studio_sim_arm',
      stateNames: STATE_NAMES, actionNames: ACTION_NAMES, intrinsics: camera.intrinsics(),
    });
    const rasterizer = new Rasterizer(sim.physics.geoms, size, size, (g) => g.name === 'floor');
    const gripperGeoms = new Set(sim.physics.geoms.filter((g) => g.name.startsWith('gripper:')).map((g) => g.id));
    const episode = new ExpertEpisode(sim, { actionNoise: opts.actionNoise, noiseSeed: seed });
    const coin = new Rng(seed ^ 0x5eed);
    let path: Path | null = null;
    writer.beginEpisode();
    for (let i = 0; i < maxSteps && !episode.finished; i++) {
      const { xpos, xmat } = sim.physics.geomPoses();
      const frame = rasterizer.render(camera, scene.look, xpos, xmat);
      const [u, v] = camera.project(sim.eePosition());
      if (onGripper(frame, gripperGeoms, u, v)) onTarget++;
      frames++;
      let drive: PolicyAction | undefined;
      if (driver) {
        const image = cameraImage(frame);
        path ??= await planPath(driver.planner, image, scene.task.instruction);
        if (coin.next() < (opts.policyShare ?? 1)) drive = await policyAction(driver.policy, image, path, observeState(sim), scene.task.instruction, FRAME_RATE);
      }
      const record = episode.step(drive);
      await writer.addFrame(frame.rgb, record);
    }
    if (sim.success) successes++;
    writer.endEpisode({
      task: scene.task.instruction,
      worldToCamera: camera.worldToCamera(),
      info: {
        seed, task_kind: scene.task.kind, split: opts.split ?? 'train', success: sim.success,
        ...(path && { plan_path: path.points.map((p) => [p.x, p.y, p.gripper === 'closed']), plan_path_initial_closed: path.initialGripper === 'closed' }),
      },
    });
    log(`episode ${e + 1}/${opts.episodes} seed ${seed} ${scene.task.kind} "${scene.task.instruction}": ${sim.success ? 'success' : 'FAIL'}`);
  }
  await writer?.finish();
  sim?.dispose();
  return { episodes: opts.episodes, successes, frames, seconds: (performance.now() - t0) / 1000, eeOnGripper: frames ? onTarget / frames : 0 };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      episodes: { type: 'string', default: '10' },
      seed: { type: 'string', default: '0' },
      tasks: { type: 'string', default: TASK_KINDS.join(',') },
      out: { type: 'string' },
      split: { type: 'string', default: 'train' },
      size: { type: 'string', default: '256' },
      'max-steps': { type: 'string', default: '130' },
      'action-noise': { type: 'string', default: '0' },
      policy: { type: 'string' },
      planner: { type: 'string' },
      'policy-share': { type: 'string', default: '1' },
      domain: { type: 'string', default: 'target' },
      sketch: { type: 'boolean', default: false },
      effector: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('npm run sim:generate -- --episodes N --seed S --tasks pick_place,press_button,knock_down --out DIR [--split train|heldout] [--size 256] [--max-steps 130] [--action-noise 0.04] [--policy DIR [--planner DIR] [--policy-share 0.5]]\n' +
      '       npm run sim:generate -- --domain offdomain --episodes N --seed S --out DIR [--tasks …] [--split …] [--size 256] [--max-steps 130] [--sketch] [--effector floating_gripper|hand]');
    return;
  }
  if (!values.out) throw new Error('--out DIR is required');
  for (const key of ['episodes', 'seed', 'size', 'max-steps'] as const) {
    if (!Number.isInteger(Number(values[key])) || Number(values[key]) < 0) throw new Error(`--${key} must be a non-negative integer`);
  }
  if (!(Number(values['action-noise']) >= 0)) throw new Error('--action-noise must be a non-negative number (m/s)');
  const share = Number(values['policy-share']);
  if (!(share >= 0 && share <= 1)) throw new Error('--policy-share must be between 0 and 1');
  if (values.planner && !values.policy) throw new Error('--planner needs --policy');
  if (existsSync(join(values.out, 'meta/info.json')) || existsSync(join(values.out, 'data.json'))) throw new Error(`${values.out} already holds a dataset; choose another --out`);
  const tasks = values.tasks.split(',').map((t) => t.trim()) as TaskKind[];
  const unknown = tasks.filter((t) => !TASK_KINDS.includes(t));
  if (unknown.length) throw new Error(`unknown task(s) ${unknown.join(', ')}; use ${TASK_KINDS.join(', ')}`);
  if (values.split !== 'train' && values.split !== 'heldout') throw new Error('--split must be train or heldout');
  if (values.domain !== 'target' && values.domain !== 'offdomain') throw new Error('--domain must be target or offdomain');
  if (values.domain === 'offdomain') {
    if (values.policy || Number(values['action-noise']) > 0) throw new Error('--domain offdomain writes path-only episodes: --policy and --action-noise do not apply');
    if (values.effector !== undefined && !EFFECTOR_KINDS.includes(values.effector as EffectorKind)) throw new Error(`--effector must be one of ${EFFECTOR_KINDS.join(', ')}`);
    const summary = await generateOffDomain({
      episodes: Number(values.episodes), seed: Number(values.seed), tasks, out: values.out, split: values.split, size: Number(values.size),
      maxSteps: Number(values['max-steps']), sketch: values.sketch, effector: values.effector as EffectorKind | undefined, log: (l) => console.log(l),
    });
    console.log(`wrote ${summary.written} of ${summary.episodes} path-only episodes${values.sketch ? ' (sketches)' : ''} to ${values.out} in ${summary.seconds.toFixed(1)} s ` +
      `(${(summary.seconds / Math.max(1, summary.episodes)).toFixed(2)} s per episode)`);
    return;
  }
  if (values.sketch || values.effector !== undefined) throw new Error('--sketch and --effector need --domain offdomain');
  const summary = await generate({
    episodes: Number(values.episodes), seed: Number(values.seed), tasks, out: values.out,
    split: values.split, size: Number(values.size), maxSteps: Number(values['max-steps']), actionNoise: Number(values['action-noise']),
    policy: values.policy, planner: values.planner, policyShare: share, log: (l) => console.log(l),
  });
  console.log(`wrote ${summary.episodes} episodes (${summary.frames} frames) to ${values.out} in ${summary.seconds.toFixed(1)} s; ` +
    `success ${summary.successes}/${summary.episodes}; end effector on gripper in ${(100 * summary.eeOnGripper).toFixed(1)}% of frames`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => { console.error(err.message); process.exit(1); });
}
