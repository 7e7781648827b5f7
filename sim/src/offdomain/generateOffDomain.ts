/**
 * `npm run sim:generate -- --domain offdomain`: path-only episodes of the off-domain world written
 * as a HAMSTER / VILA SFT folder — cheap data for the planner, from a world unlike the robot's.
 * With `sketch`, each answer is a hand-drawn-like sketch of the expert path (sketch.ts) instead
 * of the path itself. Episodes the expert fails are left out (listed in export_info.json).
 */
import { encodeJpeg } from '../render/jpeg.ts';
import type { GenerateOptions } from '../generate.ts';
import type { EffectorKind } from './domain.ts';
import { HamsterFolderWriter } from './hamsterFolder.ts';
import { EXPERT_PATH_EPSILON, PathOnlyRecorder } from './pathOnlyEpisode.ts';
import { SKETCH_AMPLITUDE_PX, sketchPath } from './sketch.ts';

/** The generator's common options (sim:generate), plus the sketch and the end effector. */
export interface OffDomainOptions extends Pick<GenerateOptions, 'episodes' | 'seed' | 'tasks' | 'out' | 'split' | 'size' | 'maxSteps' | 'log'> {
  sketch?: boolean;
  effector?: EffectorKind;
}

export interface OffDomainSummary {
  episodes: number;
  written: number;
  seconds: number;
}

const JPEG_QUALITY = 92;

export async function generateOffDomain(opts: OffDomainOptions): Promise<OffDomainSummary> {
  const log = opts.log ?? (() => undefined);
  const size = opts.size ?? 256;
  const t0 = performance.now();
  const recorder = new PathOnlyRecorder();
  const writer = new HamsterFolderWriter(opts.out);
  const skipped: { id: string; reason: string }[] = [];
  const episodes: Record<string, unknown>[] = [];
  try {
    for (let e = 0; e < opts.episodes; e++) {
      const seed = opts.seed + e;
      const id = `offdomain-${seed}`;
      const ep = await recorder.record(seed, { tasks: opts.tasks, split: opts.split, size, maxSteps: opts.maxSteps, effector: opts.effector });
      const instruction = ep.scene.task.instruction;
      const status = `episode ${e + 1}/${opts.episodes} seed ${seed} ${ep.scene.task.kind} ${ep.variant.effector.kind} "${instruction}"`;
      if (!ep.success) {
        skipped.push({ id, reason: 'the expert did not solve the task' });
        log(`${status}: FAIL, left out`);
        continue;
      }
      const answer = opts.sketch ? sketchPath(ep.densePath, seed, { width: size, height: size }) : ep.expertPath;
      writer.add(id, encodeJpeg(ep.rgb, size, size, JPEG_QUALITY), instruction, answer);
      episodes.push({
        id, seed, task_kind: ep.scene.task.kind, split: opts.split ?? 'train', effector: ep.variant.effector.kind,
        camera: { K: ep.camera.model.intrinsics(), world_to_camera: ep.camera.model.worldToCamera(), eye: ep.camera.spec.eye, target: ep.camera.spec.target },
        expert_path: ep.expertPath.points.map((p) => [round(p.x), round(p.y), p.gripper === 'closed']),
      });
      log(`${status}: ${answer.points.length} points`);
    }
  } finally {
    recorder.dispose();
  }
  writer.finish(skipped, {
    offdomain: {
      domain: 'offdomain', seed: opts.seed, episodes: opts.episodes, tasks: opts.tasks, split: opts.split ?? 'train', size,
      answers: opts.sketch ? `sketch: wobble ≤ ${SKETCH_AMPLITUDE_PX} px, 3–8 points` : `expert path, RDP ε ${EXPERT_PATH_EPSILON}`,
      samples: episodes,
    },
  });
  return { episodes: opts.episodes, written: writer.samples, seconds: (performance.now() - t0) / 1000 };
}

const round = (v: number) => Math.round(v * 1e5) / 1e5;
