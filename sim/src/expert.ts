/**
 * Scripted expert with privileged state (object poses from the simulator). It plans a few
 * end-effector waypoints per task and follows them with minimum-jerk profiles, sending the same
 * commands a policy would: an end-effector twist in the base frame and a gripper target.
 */
import { objectSize, restingHeight } from './scene/mjcf.ts';
import { SITE_TO_GRASP } from './scene/arm.ts';
import type { Simulation } from './sim.ts';
import type { Vec3 } from './math.ts';

export interface ExpertAction {
  /** Linear velocity, base frame, m/s. */
  linear: Vec3;
  /** Angular velocity about world z only (the gripper keeps pointing down), rad/s. */
  yawRate: number;
  /** Gripper target, 0 open … 1 closed. */
  gripper: number;
}

interface Segment {
  to: Vec3;
  gripper: number;
  /** Duration in seconds; 0 = from distance at the cruise speed. */
  duration?: number;
  /** Gripper yaw to reach during this segment (radians), if any. */
  yaw?: number;
}

const CRUISE_PEAK_SPEED = 0.25; // m/s at the middle of a minimum-jerk move
const SAFE_Z = 0.2; // site height for moves above the objects
/** Finger tips sit this far below the end-effector site. */
const TIP_BELOW_SITE = 0.065;

export interface ExpertOptions {
  /**
   * Turn the gripper to face the object (cubes every 90°, blocks across their short side). Off by
   * default: the dataset's actions (ACTION_NAMES) and the studio's policy commands carry no yaw, so
   * demonstrations that rotate the gripper show images a policy can never reproduce in closed loop.
   * Without it the expert still solves every task (40/40 pick-and-place, train and held-out).
   */
  alignYaw?: boolean;
}

export class ScriptedExpert {
  private segments: Segment[] = [];
  private index = 0;
  private segmentStart = 0;
  private from: Vec3 = [0, 0, 0];
  private duration = 0;
  private yawTarget: number | null = null;

  constructor(private readonly sim: Simulation, private readonly options: ExpertOptions = {}) {
    this.plan();
  }

  get done(): boolean { return this.index >= this.segments.length; }

  private plan(): void {
    const sim = this.sim, task = sim.scene.task;
    const obj = sim.object(task.objectId);
    const p = sim.objectPosition(task.objectId);
    const yawOf = () => {
      const r = sim.objectRotation(task.objectId);
      return Math.atan2(r[3], r[0]);
    };
    const segs: Segment[] = [];
    if (task.kind === 'pick_place') {
      const target = sim.object(task.targetId!);
      const c = restingHeight(obj);
      // Fingers close across faces: cubes every 90°, blocks across their short (x) side.
      const yaw = obj.shape === 'cube' ? wrap(yawOf(), Math.PI / 2) : obj.shape === 'block' ? wrap(yawOf() - Math.PI / 2, Math.PI) : undefined;
      const graspSite = Math.max(c, 0.02) + SITE_TO_GRASP;
      const surface = target.shape === 'plate' ? 2 * objectSize(target)[1] : 0.006;
      const release = surface + c + 0.02 + SITE_TO_GRASP;
      const [tx, ty] = target.position;
      segs.push(
        { to: [p[0], p[1], SAFE_Z], gripper: 0, yaw },
        { to: [p[0], p[1], graspSite], gripper: 0, yaw },
        { to: [p[0], p[1], graspSite], gripper: 1, duration: 0.6 },
        { to: [p[0], p[1], SAFE_Z], gripper: 1 },
        { to: [tx, ty, SAFE_Z], gripper: 1 },
        { to: [tx, ty, Math.max(release, 0.09)], gripper: 1 },
        { to: [tx, ty, Math.max(release, 0.09)], gripper: 0, duration: 0.5 },
        { to: [tx, ty, SAFE_Z], gripper: 0 },
      );
    } else if (task.kind === 'press_button') {
      const capTop = 0.04;
      segs.push(
        { to: [p[0], p[1], SAFE_Z], gripper: 1, yaw: 0 },
        { to: [p[0], p[1], capTop + TIP_BELOW_SITE + 0.01], gripper: 1 },
        // Aim 16 mm into the 12 mm travel: contact softness and servo compliance eat a few mm.
        { to: [p[0], p[1], capTop + TIP_BELOW_SITE - 0.016], gripper: 1, duration: 0.8 },
        { to: [p[0], p[1], capTop + TIP_BELOW_SITE - 0.016], gripper: 1, duration: 0.3 },
        { to: [p[0], p[1], SAFE_Z], gripper: 1 },
      );
    } else {
      // Knock down: come from the robot's side and sweep through the object at ~80% of its height.
      const height = obj.shape === 'bottle' ? 2 * objectSize(obj)[1] + 0.04 : 2 * restingHeight(obj);
      const pushSite = Math.max(0.8 * height + 0.04, 0.09);
      const radius = objectSize(obj)[0];
      const startX = p[0] - radius - 0.08;
      segs.push(
        { to: [startX, p[1], SAFE_Z], gripper: 1, yaw: 0 },
        { to: [startX, p[1], pushSite], gripper: 1 },
        { to: [p[0] + radius + 0.1, p[1], pushSite], gripper: 1, duration: 1.0 },
        { to: [p[0] + radius + 0.1, p[1], SAFE_Z], gripper: 1 },
      );
    }
    this.segments = segs;
    this.index = 0;
    this.startSegment(this.sim.time, this.sim.eePosition());
  }

  private startSegment(now: number, from: Vec3): void {
    this.segmentStart = now;
    this.from = [...from];
    const seg = this.segments[this.index];
    if (!seg) return;
    const dist = Math.hypot(seg.to[0] - from[0], seg.to[1] - from[1], seg.to[2] - from[2]);
    this.duration = seg.duration || Math.max(0.5, (1.875 * dist) / CRUISE_PEAK_SPEED);
    if (seg.yaw !== undefined && this.options.alignYaw) this.yawTarget = seg.yaw;
  }

  /** The command for the control step [now, now + dt]. */
  act(dt: number): ExpertAction {
    const now = this.sim.time;
    const ee = this.sim.eePosition();
    const seg = this.segments[this.index];
    if (!seg) return { linear: [0, 0, 0], yawRate: 0, gripper: this.segments.at(-1)?.gripper ?? 0 };
    const desired = (t: number): Vec3 => {
      const s = minJerk(Math.min(1, Math.max(0, (t - this.segmentStart) / this.duration)));
      return [0, 1, 2].map((k) => this.from[k] + (seg.to[k] - this.from[k]) * s) as Vec3;
    };
    const a = desired(now), b = desired(now + dt);
    // Feed-forward along the profile plus a gentle pull onto it.
    const linear = [0, 1, 2].map((k) => (b[k] - a[k]) / dt + 2 * (a[k] - ee[k])) as Vec3;
    const r = this.sim.eeRotation();
    const yaw = Math.atan2(-r[1], r[4]);
    const yawRate = this.yawTarget === null ? 0 : clamp(3 * wrapAngle(this.yawTarget - yaw), -0.8, 0.8);
    const action = { linear, yawRate, gripper: seg.gripper };
    if (now + dt - this.segmentStart >= this.duration - 1e-9) {
      this.index++;
      this.startSegment(now + dt, seg.to);
    }
    return action;
  }
}

function minJerk(s: number): number {
  return s * s * s * (10 - 15 * s + 6 * s * s);
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function wrapAngle(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

/** Equivalent angle in (-period/2, period/2] for a shape with that rotational symmetry. */
function wrap(a: number, period: number): number {
  return a - period * Math.round(a / period);
}
