/**
 * One path-only episode of the off-domain world: the scripted expert solves the seed's task in the
 * off-domain scene (resized objects included), the camera is drawn once the path is known so that
 * all of it is in view, and only the first frame is rendered. What comes out is what HAMSTER's
 * planner learns from — image, instruction, the end effector's path projected into the image with
 * its open/close events — and no actions.
 *
 * The path is the trainer's for LeRobot data (training/path_studio_train/lerobot.py): the `ee_link`
 * point at the start of every frame, with the gripper state the expert commanded in that frame.
 */
import type { Path } from '../../../src/core/path.ts';
import { simplifyPath } from '../../../src/core/simplify.ts';
import { runExpertEpisode } from '../episode.ts';
import type { Vec3 } from '../math.ts';
import type { CameraModel } from '../render/camera.ts';
import type { Frame } from '../render/rasterizer.ts';
import { objectSize, restingHeight } from '../scene/mjcf.ts';
import { sampleScene, type Split } from '../scene/tasks.ts';
import type { SceneSpec, TaskKind } from '../scene/types.ts';
import { Simulation } from '../sim.ts';
import { offDomainVariant, type EffectorKind, type OffDomainVariant } from './domain.ts';
import { CAMERA_DRAWS, offDomainCameras, type OffDomainCamera } from './offDomainCamera.ts';
import type { EffectorPose } from './effector.ts';
import { OffDomainRenderer } from './offDomainRenderer.ts';

/** RDP ε (normalized) of the expert path as stored: ~1 px at 256², far finer than HAMSTER's 0.05. */
export const EXPERT_PATH_EPSILON = 0.004;
/** Pixels of each of the task's objects (object, target) that must show in a 256² first frame. */
const MIN_VISIBLE_PIXELS = 20;
/** The path and the objects stay this far inside a 256² image. */
const VIEW_MARGIN_PX = 12;

export interface PathOnlyOptions {
  tasks?: readonly TaskKind[];
  split?: Split;
  /** Image side, pixels. */
  size?: number;
  maxSteps?: number;
  effector?: EffectorKind;
}

export interface PathOnlyEpisode {
  seed: number;
  /** The off-domain scene the physics ran. */
  scene: SceneSpec;
  variant: OffDomainVariant;
  camera: OffDomainCamera;
  /** The first frame, RGB, 3 bytes per pixel (a copy). */
  rgb: Uint8Array;
  /** Segmentation of the first frame (geom ids of `geomNames`; −1 background). */
  segmentation: Int16Array;
  geomNames: string[];
  /** One point per frame, normalized ((u + 0.5) / width). */
  densePath: Path;
  /** `densePath` simplified with EXPERT_PATH_EPSILON, events kept. */
  expertPath: Path;
  /** The gripper events the expert commanded, in order. */
  events: ('close' | 'open')[];
  success: boolean;
  frames: number;
}

/** Records path-only episodes on one reused simulation. */
export class PathOnlyRecorder {
  private sim: Simulation | null = null;

  async record(seed: number, options: PathOnlyOptions = {}): Promise<PathOnlyEpisode> {
    const size = options.size ?? 256;
    const base = sampleScene(seed, { tasks: options.tasks, split: options.split, width: size, height: size });
    const variant = offDomainVariant(base, seed, { effector: options.effector });
    const scene = variant.scene;
    if (!this.sim) this.sim = await Simulation.create(scene);
    else await this.sim.reset(scene);
    const sim = this.sim;
    // The first frame's poses (MuJoCo's arrays are live views: copied).
    const first: { xpos?: Float64Array; xmat?: Float64Array; ee?: EffectorPose } = {};
    const { steps, success } = runExpertEpisode(sim, options.maxSteps ?? 130, (i) => {
      if (i > 0) return;
      const { xpos, xmat } = sim.physics.geomPoses();
      Object.assign(first, { xpos: Float64Array.from(xpos), xmat: Float64Array.from(xmat), ee: { position: sim.eePosition(), rotation: sim.eeRotation(), closure: sim.gripperClosure() } });
    });
    const { xpos, xmat, ee } = first;
    if (!xpos || !xmat || !ee) throw new Error(`seed ${seed}: the episode has no frame`);
    const trajectory = steps.map((s) => [s.state[0], s.state[1], s.state[2]] as Vec3);
    const closed = steps.map((s) => s.action[3] > 0.5);
    // Objects must be in view too (where they start; their tops as well as their bases).
    const objects = scene.objects.flatMap((o): Vec3[] => {
      const top = 2 * restingHeight(o) || objectSize(o)[1] || 0.01;
      return [[o.position[0], o.position[1], 0], [o.position[0], o.position[1], top]];
    });
    // The first camera whose image shows the task's objects (the effector may hide them).
    const renderer = new OffDomainRenderer(sim.physics.geoms, variant, size, size);
    const taskIds = [scene.task.objectId, ...(scene.task.targetId ? [scene.task.targetId] : [])];
    const owner = new Map<number, number>();
    // A button's housing is the same grey for every button: its cap is what the words name.
    for (const g of renderer.geoms) taskIds.forEach((id, k) => { if (g.name.startsWith(`obj:${id}:`) && !g.name.endsWith(':base')) owner.set(g.id, k); });
    const minPixels = Math.max(4, Math.round((MIN_VISIBLE_PIXELS * size * size) / (256 * 256)));
    let shot: { camera: OffDomainCamera; frame: Frame } | null = null;
    for (const camera of offDomainCameras(seed, size, size, [...trajectory, ...objects], (VIEW_MARGIN_PX * size) / 256)) {
      const frame = renderer.render(camera.model, xpos, xmat, ee);
      if (fewestPixels(frame, owner, taskIds.length) >= minPixels) { shot = { camera, frame }; break; }
    }
    if (!shot) throw new Error(`seed ${seed}: no off-domain camera within ${CAMERA_DRAWS} draws sees the whole path and the task's objects`);
    const { camera, frame } = shot;
    const densePath = projectPath(camera.model, trajectory, closed);
    const events: ('close' | 'open')[] = [];
    closed.forEach((c, i) => { if (c !== (i > 0 ? closed[i - 1] : false)) events.push(c ? 'close' : 'open'); });
    return {
      seed, scene, variant, camera, rgb: Uint8Array.from(frame.rgb), segmentation: Int16Array.from(frame.segmentation),
      geomNames: renderer.geoms.map((g) => g.name), densePath, expertPath: simplifyPath(densePath, EXPERT_PATH_EPSILON),
      events, success, frames: steps.length,
    };
  }

  dispose(): void {
    this.sim?.dispose();
    this.sim = null;
  }
}

/** World points to a normalized path (docs/SIM.md: (u + 0.5) / width, (v + 0.5) / height). */
export function projectPath(camera: CameraModel, points: readonly Vec3[], closed: readonly boolean[]): Path {
  return {
    initialGripper: 'open',
    points: points.map((p, i) => {
      const [u, v] = camera.project(p);
      return { x: (u + 0.5) / camera.width, y: (v + 0.5) / camera.height, gripper: closed[i] ? 'closed' : 'open' };
    }),
  };
}

/** The fewest pixels any of `count` objects shows in `frame`; `owner` maps a geom id to its object's index. */
function fewestPixels(frame: Frame, owner: ReadonlyMap<number, number>, count: number): number {
  const pixels = new Array<number>(count).fill(0);
  for (const id of frame.segmentation) {
    const k = owner.get(id);
    if (k !== undefined) pixels[k]++;
  }
  return Math.min(...pixels);
}
