/**
 * Closed-loop rollouts of the studio's models in the simulator without the browser or the network:
 * each control step renders the camera (JPEG round trip, as the live camera), runs the planner once
 * on the first frame and the policy every step through the studio's own preprocessing
 * (src/inference/preprocess.ts) under onnxruntime-node, and applies the first action of the chunk
 * (the gripper by the vote of overlapping chunks, src/core/gripperVote.ts) for exactly one control
 * period of simulated time — the live loop's rule, minus its latency,
 * jitter and dropped steps. Same seeds as `npm run eval`, so the two tables compare directly: the
 * difference is what the live loop costs (docs/EVAL.md).
 *
 *   npx tsx sim/src/rollout.ts --episodes 10 [--models public/models] [--splits train,heldout]
 *     [--conditions hierarchical,flat] [--tasks pick_place,press_button,knock_down] [--out FILE.json]
 *
 * Chosen scenes (the training split) instead of the eval's seeds, with an instruction of your own:
 *   npx tsx sim/src/rollout.ts --seeds 453,615 --instruction "put the red cube in the blue bowl"
 * The instruction only replaces the words: success is still the scene's own task, so pick seeds
 * whose task it describes (docs/EVAL.md lists the done-when scenes).
 *
 * `--heldout-axes camera,lighting` draws the held-out scenes' one change from those axes instead
 * of colour, shape and phrasing (sim/src/scene/tasks.ts: a camera moved beyond the training
 * jitter, a light from the other side); the summary has a line per axis.
 *
 * `--path expert` gives the policy the path the expert's own end effector draws in the scene
 * instead of the planner's: what the policy can do with a perfect planner.
 *
 * Each pick-and-place line says how often the gripper closed and where the end effector was,
 * relative to the object, at the first close (every close is in `--out`'s JSON).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GripperVote } from '../../src/core/gripperVote.ts';
import type { Path } from '../../src/core/path.ts';
import { simplifyPath } from '../../src/core/simplify.ts';
import { applyForOneFrame, FRAME_RATE, observeState, runExpertEpisode } from './episode.ts';
import { cameraImage, defaultPolicyDir, loadModel, planPath, policyAction, type Model } from './policyDriver.ts';
import { CameraModel } from './render/camera.ts';
import { Rasterizer } from './render/rasterizer.ts';
import { HELDOUT_AXES, sampleScene, TASK_KINDS, type HeldoutAxis, type Split } from './scene/tasks.ts';
import type { SceneSpec, TaskKind } from './scene/types.ts';
import { Simulation } from './sim.ts';

export interface RolloutResult {
  condition: string;
  split: Split;
  task: TaskKind;
  seed: number;
  instruction: string;
  /** The held-out scene's held-out change (color, shape, phrase, camera, lighting). */
  heldoutAxis?: string;
  success: boolean;
  steps: number;
  /** Each open → closed gripper command: the step and the end effector minus the task's object (m). */
  closes: GripperClose[];
}

export interface GripperClose { step: number; offset: [number, number, number] }

/** The policy folder each condition runs (the planner runs for all but flat), as in scripts/eval.mjs: hierarchical is Live's default policy. */
const POLICY_DIR: Record<string, string> = { hierarchical: defaultPolicyDir(), overlay: 'policy-overlay', flat: 'policy-flat' };

/**
 * The path the expert's own end effector draws in this scene (projected and simplified, as the
 * demonstrations' paths are); the sim is reset to the scene again afterwards. With it a rollout
 * tells a planner's error from the policy's.
 */
export async function expertPath(sim: Simulation, maxSteps: number): Promise<Path> {
  const camera = new CameraModel(sim.scene.camera);
  const points: Path['points'] = [];
  const { steps } = runExpertEpisode(sim, maxSteps, () => {
    const [u, v] = camera.project(sim.eePosition());
    points.push({ x: u / camera.width, y: v / camera.height, gripper: 'open' });
  });
  steps.forEach((s, k) => { points[k].gripper = s.action[3] > 0.5 ? 'closed' : 'open'; });
  await sim.reset(sim.scene);
  return simplifyPath({ initialGripper: 'open', points });
}

/** One episode: the `given` path (or the planner's on the first frame), then the policy at FRAME_RATE until success + 0.3 s or `maxSteps`. */
export async function rollout(sim: Simulation, policy: Model, planner: Model | null, maxSteps: number, given?: Path): Promise<{ success: boolean; steps: number; closes: GripperClose[] }> {
  const scene = sim.scene;
  const camera = new CameraModel(scene.camera);
  const rasterizer = new Rasterizer(sim.physics.geoms, camera.width, camera.height, (g) => g.name === 'floor');
  const look = () => {
    const { xpos, xmat } = sim.physics.geomPoses();
    return cameraImage(rasterizer.render(camera, scene.look, xpos, xmat));
  };
  const instruction = scene.task.instruction;
  const path: Path | null = given ?? (planner ? await planPath(planner, look(), instruction) : null);
  let successAt = -1;
  const gripperVote = new GripperVote(); // as the Live control loop decides the gripper
  // Where the gripper closes tells a policy that misses the object from one that never gets there (docs/EVAL.md).
  const closes: GripperClose[] = [];
  let gripper = 0;
  for (let step = 0; step < maxSteps; step++) {
    const a = await policyAction(policy, look(), path, observeState(sim), instruction, FRAME_RATE);
    const command = gripperVote.next(a.chunkGrippers);
    if (command === 1 && gripper === 0) {
      const ee = sim.eePosition(), o = sim.objectPosition(scene.task.objectId);
      closes.push({ step, offset: [ee[0] - o[0], ee[1] - o[1], ee[2] - o[2]] });
    }
    gripper = command;
    sim.controller.commandGripper(command);
    applyForOneFrame(sim, a.linear);
    if (sim.success && successAt < 0) successAt = step;
    if (!sim.success) successAt = -1;
    // The eval stops 300 ms after the sim first reports success and scores the state then.
    if (successAt >= 0 && step - successAt >= 0.3 * FRAME_RATE) return { success: true, steps: step + 1, closes };
  }
  return { success: sim.success, steps: maxSteps, closes };
}

/** The held-out axes an instruction uses (the eval's rule, docs/SIM.md). */
export function instructionHeldoutAxes(instruction: string): string[] {
  const axes: string[] = [];
  if (/\b(purple|brown)\b/.test(instruction)) axes.push('colour');
  if (/\bblock\b/.test(instruction)) axes.push('shape');
  if (/^(grab|hit|tip over)\b/.test(instruction)) axes.push('phrasing');
  return axes;
}

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      episodes: { type: 'string', default: '10' },
      models: { type: 'string', default: 'public/models' },
      tasks: { type: 'string', default: TASK_KINDS.join(',') },
      splits: { type: 'string', default: 'train,heldout' },
      conditions: { type: 'string', default: 'hierarchical,flat' },
      'seed-base': { type: 'string', default: '700000' },
      'heldout-axes': { type: 'string' },
      'max-seconds': { type: 'string', default: '30' },
      seeds: { type: 'string' },
      path: { type: 'string', default: 'planner' },
      instruction: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const n = Number(a.episodes), tasks = a.tasks.split(',') as TaskKind[], splits = a.splits.split(',') as Split[], conditions = a.conditions.split(',');
  for (const t of tasks) if (!TASK_KINDS.includes(t)) throw new Error(`unknown task ${t}; use ${TASK_KINDS.join(', ')}`);
  for (const c of conditions) if (!(c in POLICY_DIR)) throw new Error(`unknown condition ${c}; use ${Object.keys(POLICY_DIR).join(', ')}`);
  if (a.path !== 'planner' && a.path !== 'expert') throw new Error(`--path is planner or expert, not ${a.path}`);
  const heldoutAxes = a['heldout-axes']?.split(',').map((x) => x.trim()) as HeldoutAxis[] | undefined;
  for (const x of heldoutAxes ?? []) if (!HELDOUT_AXES.includes(x)) throw new Error(`unknown held-out axis ${x}; use ${HELDOUT_AXES.join(', ')}`);
  const chosenSeeds = a.seeds?.split(',').map(Number);
  if (chosenSeeds?.some((x) => !Number.isInteger(x))) throw new Error(`--seeds takes whole numbers separated by commas, not ${a.seeds}`);
  const planner = await loadModel(join(a.models, 'planner'));
  const policies: Record<string, Model> = {};
  for (const c of conditions) policies[c] = await loadModel(join(a.models, POLICY_DIR[c]));
  const results: RolloutResult[] = [];
  let sim: Simulation | null = null;
  const t0 = performance.now();
  const runs: { split: Split; seed: number; scene: SceneSpec }[] = chosenSeeds
    ? chosenSeeds.map((seed) => ({ split: 'train', seed, scene: sampleScene(seed) }))
    : splits.flatMap((split) => tasks.flatMap((task) => Array.from({ length: n }, (_, i) => {
      // The eval's seeds (scripts/eval.mjs), by the task's place in TASK_KINDS: a run of some tasks replays the same scenes.
      const seed = Number(a['seed-base']) + (split === 'heldout' ? 50_000 : 0) + TASK_KINDS.indexOf(task) * 1000 + i;
      return { split, seed, scene: sampleScene(seed, { tasks: [task], split, heldoutAxes }) };
    })));
  if (a.instruction) for (const { scene } of runs) scene.task.instruction = a.instruction;
  for (const condition of conditions) for (const { split, seed, scene } of runs) {
    const task = scene.task.kind;
    if (!sim) sim = await Simulation.create(scene);
    else await sim.reset(scene);
    const given = a.path === 'expert' && condition !== 'flat' ? await expertPath(sim, Number(a['max-seconds']) * FRAME_RATE) : undefined;
    const r = await rollout(sim, policies[condition], condition === 'flat' ? null : planner, Number(a['max-seconds']) * FRAME_RATE, given);
    results.push({ condition, split, task, seed, instruction: scene.task.instruction, heldoutAxis: scene.heldoutAxis, ...r });
    const first = r.closes[0]?.offset.map((v) => (v * 100).toFixed(1)).join(', ');
    const grasp = task === 'pick_place' ? `  closes ${r.closes.length}${first ? `, first at (${first}) cm from the object` : ''}` : '';
    console.log(`${condition.padEnd(12)} ${split.padEnd(7)} ${task.padEnd(12)} seed ${seed} ${r.success ? 'SUCCESS' : 'fail   '} ${String(r.steps).padStart(3)} steps  "${scene.task.instruction}"${grasp}`);
  }
  sim?.dispose();
  const rate = (rows: RolloutResult[]) => (rows.length ? `${Math.round((100 * rows.filter((r) => r.success).length) / rows.length)}% (${rows.filter((r) => r.success).length}/${rows.length})` : '—');
  const groups: [string, (r: RolloutResult) => boolean][] = [['in distribution', (r) => r.split === 'train'], ['held-out (all)', (r) => r.split === 'heldout']];
  for (const t of tasks) groups.push([`  train ${t}`, (r) => r.split === 'train' && r.task === t]);
  for (const t of tasks) groups.push([`  held-out ${t}`, (r) => r.split === 'heldout' && r.task === t]);
  for (const axis of ['colour', 'shape', 'phrasing']) groups.push([`  held-out axis ${axis}`, (r) => r.split === 'heldout' && instructionHeldoutAxes(r.instruction).includes(axis)]);
  for (const axis of ['camera', 'lighting']) groups.push([`  held-out axis ${axis}`, (r) => r.split === 'heldout' && r.heldoutAxis === axis]);
  console.log(`\nSuccess rates, synchronous rollouts (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  console.log(['', ...conditions].map((c) => c.padEnd(26)).join(''));
  for (const [label, f] of groups.filter(([, f]) => results.some(f))) console.log([label, ...conditions.map((c) => rate(results.filter((r) => r.condition === c && f(r))))].map((x) => x.padEnd(26)).join(''));
  if (a.out) writeFileSync(a.out, JSON.stringify({ args: a, results }, null, 1));
}

if (process.argv[1]?.endsWith('rollout.ts')) {
  main().catch((err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
}
