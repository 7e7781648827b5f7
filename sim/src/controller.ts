/**
 * End-effector velocity control, as a servo node on a real arm does it: a twist in the base frame
 * moves a reference pose; damped-least-squares IK on MuJoCo's site Jacobian turns the pose error into
 * joint targets for the position servos. Velocity, joint-speed and workspace clamps, and a deadman
 * that freezes the arm where it is when commands stop arriving.
 *
 * IK runs on a kinematic shadow of the joint *targets* (not the measured joints), so the servo lag
 * never feeds back into the IK loop.
 */
import { ARM_JOINTS, ARM_LINKS, EE_FRAME, FINGER_JOINTS, FINGER_OPEN } from './scene/arm.ts';
import { matMul, rotationVector, solveLinear, transpose, type Mat3, type Vec3 } from './math.ts';
import type { Physics } from './physics.ts';

export interface ControllerLimits {
  /** Max linear speed of the end effector, m/s. */
  maxLinear: number;
  /** Max angular speed, rad/s. */
  maxAngular: number;
  /** Max joint speed, rad/s. */
  maxJointSpeed: number;
  /** Box the end-effector site must stay in, base frame, [min, max] per axis. */
  workspace: { min: Vec3; max: Vec3 };
  /** Commands older than this (seconds) count as absent: the arm holds still. */
  deadmanTimeout: number;
}

export const DEFAULT_LIMITS: ControllerLimits = {
  maxLinear: 0.3,
  maxAngular: 1.0,
  maxJointSpeed: 2.0,
  // Site z floor 0.07: the finger tips (6.5 cm below the site) stay just above the table.
  workspace: { min: [0.15, -0.55, 0.07], max: [0.85, 0.55, 0.65] },
  // 200 ms plus the ~30 ms the servos need to brake keeps the full stop inside the 250 ms contract.
  deadmanTimeout: 0.2,
};

export interface Twist {
  linear: Vec3;
  angular: Vec3;
}

const DAMPING = 0.04; // DLS damping λ: keeps joint speeds bounded near singularities.
const POSITION_GAIN = 8; // 1/s, pulls the target pose back onto the reference.
const ROTATION_GAIN = 8;
const MAX_TRACKING_ERROR = 0.2; // rad: bounds servo force when the arm is blocked by contact.
const MAX_POSITION_LEAD = 0.03; // m the reference may run ahead of the joint targets
const MAX_ROTATION_LEAD = 0.15; // rad, likewise for orientation

export class ArmController {
  readonly limits: ControllerLimits;
  private readonly siteId: number;
  private readonly armQposAdr: number[];
  private readonly jointLimits: [number, number][];
  private readonly armDofAdr: number[];
  private readonly armActuators: number[];
  private readonly fingerActuators: number[];
  private readonly jointTargets: number[];
  private refPos: Vec3 = [0, 0, 0];
  private refRot: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  private twist: Twist = { linear: [0, 0, 0], angular: [0, 0, 0] };
  private lastCommandTime = -Infinity;
  private holding = true;
  private gripper = 0;

  constructor(private readonly physics: Physics, limits: Partial<ControllerLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.siteId = physics.id('site', EE_FRAME);
    const jointIds = ARM_JOINTS.map((name) => physics.id('joint', name));
    this.armQposAdr = jointIds.map((j) => physics.jointQposAddress(j));
    this.armDofAdr = jointIds.map((j) => physics.jointDofAddress(j));
    this.jointLimits = ARM_JOINTS.map((name) => ARM_LINKS.find((l) => l.joint?.name === name)!.joint!.limits);
    this.armActuators = ARM_JOINTS.map((name) => physics.id('actuator', name));
    this.fingerActuators = FINGER_JOINTS.map((name) => physics.id('actuator', name));
    this.jointTargets = this.measuredJoints();
    this.hold();
  }

  measuredJoints(): number[] {
    const q = this.physics.qpos;
    return this.armQposAdr.map((a) => q[a]);
  }

  get isHolding(): boolean { return this.holding; }

  /** A new velocity command arrived at time `now` (seconds, same clock as update()). */
  commandTwist(twist: Twist, now: number): void {
    this.twist = { linear: clampNorm(twist.linear, this.limits.maxLinear), angular: clampNorm(twist.angular, this.limits.maxAngular) };
    this.lastCommandTime = now;
  }

  commandGripper(value: number): void {
    this.gripper = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
  }

  /** Freeze: targets become the measured joints, the reference becomes the current pose. */
  hold(): void {
    const measured = this.measuredJoints();
    measured.forEach((q, i) => (this.jointTargets[i] = q));
    const site = this.physics.siteAt(this.siteId, this.targetOverrides());
    this.refPos = site.pos;
    this.refRot = site.rot;
    this.holding = true;
    this.writeCtrl();
  }

  /** Teleport the arm (reset): joints and targets set, velocities zeroed. */
  setJoints(q: readonly number[]): void {
    const qpos = this.physics.qpos, qvel = this.physics.qvel;
    q.forEach((v, i) => { qpos[this.armQposAdr[i]] = v; qvel[this.armDofAdr[i]] = 0; });
    this.physics.forward();
    this.lastCommandTime = -Infinity;
    this.hold();
  }

  /** One control period of `dt` seconds ending at time `now`. */
  update(now: number, dt: number): void {
    const fresh = now - this.lastCommandTime <= this.limits.deadmanTimeout;
    if (!fresh) {
      if (!this.holding) this.hold();
      this.writeCtrl();
      return;
    }
    this.holding = false;
    const { min, max } = this.limits.workspace;
    // Workspace clamp: the reference stops at the box and the velocity pushing outward is dropped.
    const linear: Vec3 = [...this.twist.linear];
    for (let k = 0; k < 3; k++) {
      const next = this.refPos[k] + linear[k] * dt;
      if (next <= min[k] || next >= max[k]) linear[k] = 0;
      this.refPos[k] = Math.min(max[k], Math.max(min[k], next));
    }
    this.refRot = matMul(axisAngle(this.twist.angular, dt), this.refRot);

    const site = this.physics.siteAt(this.siteId, this.targetOverrides());
    // Keep the reference near the targets so a blocked arm does not wind up.
    for (let k = 0; k < 3; k++) this.refPos[k] = site.pos[k] + clamp(this.refPos[k] - site.pos[k], -MAX_POSITION_LEAD, MAX_POSITION_LEAD);
    const posErr = [0, 1, 2].map((k) => this.refPos[k] - site.pos[k]);
    let rotErr = rotationVector(matMul(this.refRot, transpose(site.rot)));
    const rotErrNorm = Math.hypot(...rotErr);
    if (rotErrNorm > MAX_ROTATION_LEAD) {
      // Same for orientation (e.g. a wrist at its joint limit): the reference waits for the arm.
      rotErr = rotErr.map((e) => (e * MAX_ROTATION_LEAD) / rotErrNorm) as Vec3;
      this.refRot = matMul(axisAngle(rotErr, 1), site.rot);
    }
    const xdot = [
      ...posErr.map((e, k) => linear[k] + POSITION_GAIN * e),
      ...rotErr.map((e, k) => this.twist.angular[k] + ROTATION_GAIN * e),
    ];
    const qdot = this.dampedLeastSquares(site.jacp, site.jacr, xdot);
    const peak = Math.max(...qdot.map(Math.abs));
    const speedScale = peak > this.limits.maxJointSpeed ? this.limits.maxJointSpeed / peak : 1;
    const measured = this.measuredJoints();
    for (let i = 0; i < qdot.length; i++) {
      const [lo, hi] = this.jointLimits[i];
      const next = clamp(this.jointTargets[i] + qdot[i] * speedScale * dt, lo, hi);
      this.jointTargets[i] = clamp(next, measured[i] - MAX_TRACKING_ERROR, measured[i] + MAX_TRACKING_ERROR);
    }
    this.writeCtrl();
  }

  private targetOverrides(): [number, number][] {
    return this.armQposAdr.map((adr, i) => [adr, this.jointTargets[i]]);
  }

  /** qdot = Jᵀ (J Jᵀ + λ² I)⁻¹ xdot over the arm's own dofs. */
  private dampedLeastSquares(jacp: Float64Array, jacr: Float64Array, xdot: number[]): number[] {
    const nv = this.physics.nv, n = this.armDofAdr.length;
    const J = new Float64Array(6 * n);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < n; c++) {
        J[r * n + c] = jacp[r * nv + this.armDofAdr[c]];
        J[(r + 3) * n + c] = jacr[r * nv + this.armDofAdr[c]];
      }
    }
    const A = new Float64Array(36);
    for (let r = 0; r < 6; r++) {
      for (let c = 0; c < 6; c++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += J[r * n + k] * J[c * n + k];
        A[r * 6 + c] = s + (r === c ? DAMPING * DAMPING : 0);
      }
    }
    const y = solveLinear(A, Float64Array.from(xdot), 6);
    return Array.from({ length: n }, (_, c) => {
      let s = 0;
      for (let r = 0; r < 6; r++) s += J[r * n + c] * y[r];
      return s;
    });
  }

  private writeCtrl(): void {
    const ctrl = this.physics.ctrl;
    this.armActuators.forEach((a, i) => (ctrl[a] = this.jointTargets[i]));
    const opening = FINGER_OPEN * (1 - this.gripper);
    for (const a of this.fingerActuators) ctrl[a] = opening;
  }
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

function clampNorm(v: readonly number[], maxNorm: number): Vec3 {
  const safe = v.map((x) => (Number.isFinite(x) ? x : 0));
  const n = Math.hypot(safe[0], safe[1], safe[2]);
  const s = n > maxNorm ? maxNorm / n : 1;
  return [safe[0] * s, safe[1] * s, safe[2] * s];
}

/** Rotation matrix of angular velocity w applied for dt (Rodrigues). */
function axisAngle(w: readonly number[], dt: number): Mat3 {
  const angle = Math.hypot(w[0], w[1], w[2]) * dt;
  if (angle < 1e-12) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const [x, y, z] = w.map((c) => (c * dt) / angle);
  const c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  return [
    t * x * x + c, t * x * y - s * z, t * x * z + s * y,
    t * x * y + s * z, t * y * y + c, t * y * z - s * x,
    t * x * z - s * y, t * y * z + s * x, t * z * z + c,
  ];
}
