/**
 * Scripted expert with privileged state (object poses from the simulator). It plans the task as a
 * few *stages*, each a polyline of end-effector waypoints ending where something happens (grasp,
 * release, press, done), and follows each polyline by pursuit: it steers toward a carrot a few
 * centimetres ahead of its own projection onto the polyline, at cruise speed, slowing only at the
 * stage's end. It sends the same commands a policy would: an end-effector twist in the base frame
 * and a gripper target.
 *
 * Why pursuit rather than time-indexed trajectories: a cloned policy sees only the image, the path
 * and the state — no clock. The expert's command must therefore be (almost) a function of what the
 * policy sees. An earlier expert followed minimum-jerk segments in time and came to rest at every
 * waypoint, so "stand still" was its label at each corner and cloned policies hovered there
 * forever (docs/EVAL.md). Here the arm only stops where the state shows why (fingers closing,
 * opening, the button going down) and moves on as soon as the state shows it is done; off the
 * path, the command points back onto it, which is what noise-injected demonstrations
 * (episode.ts, DART) need as labels.
 */
import { objectSize, restingHeight } from './scene/mjcf.ts';
import { SITE_TO_GRASP } from './scene/arm.ts';
import type { Simulation } from './sim.ts';
import { add, dot, norm, scale, sub, type Vec3 } from './math.ts';

export interface ExpertAction {
  /** Linear velocity, base frame, m/s. */
  linear: Vec3;
  /** Angular velocity about world z only (the gripper keeps pointing down), rad/s. */
  yawRate: number;
  /** Gripper target, 0 open … 1 closed. */
  gripper: number;
}

/** What ends a stage once the arm has arrived at its last waypoint. */
type StageEnd = 'grasp' | 'release' | 'press' | 'pass' | 'done';

interface Stage {
  /** Waypoints after the stage's start (the arm's position when it begins). */
  via: Vec3[];
  /** Gripper target while moving along the stage. */
  gripper: number;
  end: StageEnd;
  /** Gripper yaw to reach during this stage (radians), with `alignYaw`. */
  yaw?: number;
}

/** Cruise speed along a path, m/s (the old minimum-jerk expert averaged ≈ 0.13). */
export const CRUISE_SPEED = 0.15;
/** The carrot runs this far ahead of the arm's projection onto the path (rounds corners). */
const LOOK_AHEAD = 0.04;
/** Approach gain at a stage's end: speed = gain · distance (1/s), capped at the cruise speed. */
const APPROACH_GAIN = 4;
/** Arrived at a stage's end within this distance (m). */
const ARRIVED = 0.006;
/**
 * Grasps and releases start within this horizontal distance of their aim point (m), once the arm is
 * at the aim's height. A policy sees the scene through a 96² image from an oblique camera, where
 * 1–2 cm along the camera's depth is about a pixel: a trigger sharper than that is a coin toss to
 * the policy, and cloned policies hovered at grasp height with the fingers open (docs/EVAL.md).
 * The open fingers (9 cm apart) centre an object this far off as they close.
 */
const GRASP_RADIUS = 0.02;
/** How close to the aim's height (m) a grasp starts: the fingers must reach the object. */
const GRASP_HEIGHT_TOLERANCE = 0.01;
/** ... and a release (m): a drop may fall a little. */
const RELEASE_HEIGHT_TOLERANCE = 0.02;
/** A grasp someone else started (DAgger) is gone along with this close to the aim's height (m). */
const GO_ALONG_HEIGHT = 0.02;
/** Most the commanded velocity may change in one second (m/s²): smooth for the arm and the policy. */
const MAX_ACCEL = 1.5;
const SAFE_Z = 0.2; // site height for moves above the objects
/** Farthest the arm reaches at SAFE_Z with the gripper pointing down (x, base frame, m). */
const MAX_REACH_X = 0.7;
/** Finger tips sit this far below the end-effector site. */
const TIP_BELOW_SITE = 0.065;

export interface ExpertOptions {
  /**
   * Turn the gripper to face the object (cubes every 90°, blocks across their short side). Off by
   * default: the dataset's actions (ACTION_NAMES) and the studio's policy commands carry no yaw, so
   * demonstrations that rotate the gripper show images a policy can never reproduce in closed loop.
   */
  alignYaw?: boolean;
}

export class ScriptedExpert {
  private stages: Stage[] = [];
  private index = 0;
  /** Current stage's polyline (start + via) and the arm's progress along it (arc length, m). */
  private polyline: Vec3[] = [];
  private progress = 0;
  private arrived = false;
  private lastClosure = 0;
  private velocity: Vec3 = [0, 0, 0];
  private yawTarget: number | null = null;

  constructor(private readonly sim: Simulation, private readonly options: ExpertOptions = {}) {
    this.plan();
  }

  get done(): boolean { return this.index >= this.stages.length; }

  private plan(): void {
    const sim = this.sim, task = sim.scene.task;
    const obj = sim.object(task.objectId);
    const p = sim.objectPosition(task.objectId);
    const yawOf = () => {
      const r = sim.objectRotation(task.objectId);
      return Math.atan2(r[3], r[0]);
    };
    const stages: Stage[] = [];
    if (task.kind === 'pick_place') {
      const target = sim.object(task.targetId!);
      const c = restingHeight(obj);
      // Fingers close across faces: cubes every 90°, blocks across their short (x) side.
      const yaw = obj.shape === 'cube' ? wrap(yawOf(), Math.PI / 2) : obj.shape === 'block' ? wrap(yawOf() - Math.PI / 2, Math.PI) : undefined;
      const graspSite = Math.max(c, 0.02) + SITE_TO_GRASP;
      const surface = target.shape === 'plate' ? 2 * objectSize(target)[1] : 0.006;
      const release = Math.max(surface + c + 0.02 + SITE_TO_GRASP, 0.09);
      const [tx, ty] = target.position;
      stages.push(
        { via: [[p[0], p[1], SAFE_Z], [p[0], p[1], graspSite]], gripper: 0, end: 'grasp', yaw },
        { via: [[p[0], p[1], SAFE_Z], [tx, ty, SAFE_Z], [tx, ty, release]], gripper: 1, end: 'release' },
        { via: [[tx, ty, SAFE_Z]], gripper: 0, end: 'done' },
      );
    } else if (task.kind === 'press_button') {
      const capTop = 0.04;
      // Aim 22 mm into the 12 mm travel (contact softness and servo compliance eat a few mm):
      // the cap goes down 10 mm where the task counts 6. Pressing only to 8 mm, as the expert did
      // until the seventh session, left a cloned policy no margin: it pressed 4–8 mm, half its
      // presses too shallow (docs/EVAL.md).
      const pressed = capTop + TIP_BELOW_SITE - 0.022;
      stages.push(
        { via: [[p[0], p[1], SAFE_Z], [p[0], p[1], pressed]], gripper: 1, end: 'press', yaw: 0 },
        // Open the fingers on the way up: before and after the press the arm is in the same place
        // above the button, and the gripper is what tells a policy which of the two it is in.
        { via: [[p[0], p[1], SAFE_Z]], gripper: 0, end: 'done' },
      );
    } else {
      // Knock down: come from the robot's side and sweep through the object at ~80% of its height.
      const height = obj.shape === 'bottle' ? 2 * objectSize(obj)[1] + 0.04 : 2 * restingHeight(obj);
      const pushSite = Math.max(0.8 * height + 0.04, 0.09);
      const radius = objectSize(obj)[0];
      const startX = p[0] - radius - 0.08;
      const endX = Math.min(p[0] + radius + 0.1, MAX_REACH_X); // the far end must be reachable
      stages.push(
        { via: [[startX, p[1], SAFE_Z], [startX, p[1], pushSite], [endX, p[1], pushSite]], gripper: 1, end: 'pass', yaw: 0 },
        { via: [[endX, p[1], SAFE_Z]], gripper: 1, end: 'done' },
      );
    }
    this.stages = stages;
    this.index = 0;
    this.startStage(this.sim.eePosition());
  }

  private startStage(from: Vec3): void {
    const stage = this.stages[this.index];
    if (!stage) return;
    this.polyline = [[...from], ...stage.via];
    this.progress = 0;
    this.arrived = false;
    this.lastClosure = this.sim.gripperClosure();
    if (stage.yaw !== undefined && this.options.alignYaw) this.yawTarget = stage.yaw;
  }

  /** The command for the control step [now, now + dt]. */
  act(dt: number): ExpertAction {
    const ee = this.sim.eePosition();
    // A stage that is over hands over at once: the next stage's command is this frame's label.
    while (!this.done && this.stageOver(this.stages[this.index], ee)) {
      this.index++;
      this.startStage(ee);
    }
    const stage = this.stages[this.index];
    if (!stage) return { linear: this.limitAccel([0, 0, 0], dt), yawRate: 0, gripper: this.stages.at(-1)?.gripper ?? 0 };
    // On arrival the gripper does the stage's job: close to grasp, open to release.
    const gripper = this.arrived && stage.end === 'grasp' ? 1 : this.arrived && stage.end === 'release' ? 0 : stage.gripper;
    const linear = this.pursue(ee);
    const r = this.sim.eeRotation();
    const yaw = Math.atan2(-r[1], r[4]);
    const yawRate = this.yawTarget === null ? 0 : clamp(3 * wrapAngle(this.yawTarget - yaw), -0.8, 0.8);
    return { linear: this.limitAccel(linear, dt), yawRate, gripper };
  }

  /** Whether the arm has arrived at the stage's end and the state shows its job is done. */
  private stageOver(stage: Stage, ee: Vec3): boolean {
    const end = this.polyline.at(-1)!;
    const toEnd = dist(ee, end);
    const closure = this.sim.gripperClosure(), last = this.lastClosure;
    this.lastClosure = closure;
    if (arrivedAt(stage.end, ee, end)) this.arrived = true;
    // When someone else drives (DAgger, episode.ts), the fingers may start their job a little
    // off the aim point: go along with it there. Fingers closed on nothing: open, come back.
    // A grasp started farther off than the expert would start one tends to slip: labelled "open".
    if (stage.end === 'grasp' && closure > 0.15 && horizontalDist(ee, end) < GRASP_RADIUS && Math.abs(ee[2] - end[2]) < GO_ALONG_HEIGHT) this.arrived = true;
    if (stage.end === 'release' && closure < 0.5 && toEnd < 0.04) this.arrived = true;
    if (stage.end === 'grasp' && closure > 0.95) this.arrived = false;
    if (!this.arrived) return false;
    switch (stage.end) {
      // Fingers stopped on the object.
      case 'grasp': return closure > 0.15 && closure < 0.95 && closure - last < 0.01;
      case 'release': return closure < 0.1;
      // Down 10 mm (the task counts 6), or at the aim point however far the cap went.
      case 'press': return toEnd < ARRIVED || this.sim.buttonTravel(this.sim.scene.task.objectId) < -0.010;
      case 'pass': case 'done': return true;
    }
  }

  /** Velocity toward the carrot LOOK_AHEAD beyond the arm's projection onto the stage's polyline. */
  private pursue(ee: Vec3): Vec3 {
    const line = this.polyline;
    // Progress only moves forward (the path may double back on itself, e.g. down then up).
    let best = this.progress, bestDist = Infinity, start = 0;
    for (let i = 0; i + 1 < line.length; i++) {
      const len = dist(line[i], line[i + 1]);
      const t = len > 0 ? clamp(dot(sub(ee, line[i]), sub(line[i + 1], line[i])) / (len * len), 0, 1) : 0;
      const s = start + t * len;
      const d = dist(ee, lerp(line[i], line[i + 1], t));
      if (s >= this.progress - 1e-9 && s <= this.progress + 0.1 && d < bestDist) { bestDist = d; best = s; }
      start += len;
    }
    this.progress = best;
    const carrot = pointAt(line, this.progress + LOOK_AHEAD);
    const offset = sub(carrot, ee);
    const d = norm(offset);
    if (d < 1e-9) return [0, 0, 0];
    const atEnd = this.progress + LOOK_AHEAD >= start;
    return scale(offset, (atEnd ? Math.min(CRUISE_SPEED, APPROACH_GAIN * d) : CRUISE_SPEED) / d);
  }

  private limitAccel(target: Vec3, dt: number): Vec3 {
    const change = sub(target, this.velocity);
    const n = norm(change), max = MAX_ACCEL * dt;
    this.velocity = n > max ? add(this.velocity, scale(change, max / n)) : [...target];
    return [...this.velocity];
  }
}

/** Whether the arm at `ee` has arrived at a stage's aim point `end`. */
function arrivedAt(kind: StageEnd, ee: Vec3, end: Vec3): boolean {
  const horizontal = horizontalDist(ee, end), below = Math.abs(ee[2] - end[2]);
  switch (kind) {
    case 'grasp': return horizontal < GRASP_RADIUS && below < GRASP_HEIGHT_TOLERANCE;
    case 'release': return horizontal < GRASP_RADIUS && below < RELEASE_HEIGHT_TOLERANCE;
    // The button stops the fingers short of a press's aim point.
    case 'press': return dist(ee, end) < 0.02;
    // Passing through only needs to get near.
    case 'pass': return dist(ee, end) < LOOK_AHEAD;
    case 'done': return dist(ee, end) < ARRIVED;
  }
}

/** The point at arc length `s` along a polyline (clamped to its ends). */
function pointAt(line: readonly Vec3[], s: number): Vec3 {
  for (let i = 0; i + 1 < line.length; i++) {
    const len = dist(line[i], line[i + 1]);
    if (s <= len) return lerp(line[i], line[i + 1], len > 0 ? Math.max(0, s) / len : 0);
    s -= len;
  }
  return [...line.at(-1)!];
}

const dist = (a: readonly number[], b: readonly number[]) => norm(sub(a, b));
const horizontalDist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const lerp = (a: readonly number[], b: readonly number[], t: number): Vec3 => add(a, scale(sub(b, a), t));
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function wrapAngle(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

/** Equivalent angle in (-period/2, period/2] for a shape with that rotational symmetry. */
function wrap(a: number, period: number): number {
  return a - period * Math.round(a / period);
}
