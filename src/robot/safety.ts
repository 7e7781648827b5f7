/**
 * Studio-side safety (docs/LIVE.md, Robot topics: "both sides clamp velocity and workspace"). Pure code: the
 * console wires it to buttons, keys and page events; the tests drive it directly.
 */
import { Emitter } from './emitter';
import { ZERO_TWIST, type Twist, type Vec3 } from './types';

export interface VelocityLimits {
  /** m/s, on the norm of the linear part. */
  maxLinear: number;
  /** rad/s, on the norm of the angular part. */
  maxAngular: number;
}

export interface Workspace {
  min: Vec3;
  max: Vec3;
}

export const DEFAULT_LIMITS: VelocityLimits = { maxLinear: 0.25, maxAngular: 0.8 };

const finite = (v: Vec3): Vec3 => v.map((x) => (Number.isFinite(x) ? x : 0)) as Vec3;

function clampNorm(v: Vec3, max: number): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (n <= max || n === 0) return v;
  const s = max / n;
  return [v[0] * s, v[1] * s, v[2] * s];
}

/**
 * Scales each part down to its limit, keeping the direction (clipping axes separately would bend
 * the motion). Non-finite components become 0: a NaN from a model must never reach the robot.
 */
export function clampTwist(t: Twist, limits: VelocityLimits): Twist {
  return { linear: clampNorm(finite(t.linear), limits.maxLinear), angular: clampNorm(finite(t.angular), limits.maxAngular) };
}

/** Drops the linear components that would push the end effector further out of the box (as the sim does). */
export function clampToWorkspace(t: Twist, ee: Vec3 | undefined, ws: Workspace | undefined): Twist {
  if (!ee || !ws) return t;
  const linear = t.linear.map((v, i) => {
    if (ee[i] <= ws.min[i] && v < 0) return 0;
    if (ee[i] >= ws.max[i] && v > 0) return 0;
    return v;
  }) as Vec3;
  return { linear, angular: t.angular };
}

export const isZeroTwist = (t: Twist): boolean => t.linear.every((v) => v === 0) && t.angular.every((v) => v === 0);

export type StopKind = 'stop' | 'estop';

export interface SafetySnapshot {
  /** `running`: commands may move the robot; `stopped`: only zero velocity goes out. */
  state: 'running' | 'stopped';
  kind?: StopKind;
  reason: string;
  at: number;
}

/**
 * The gate every outgoing velocity passes. It starts stopped; after any stop (button, e-stop key,
 * tab hidden, disconnect, page unload, camera stalled) it lets nothing but zero through until the
 * operator starts again. `stop()` says whether the caller must publish zero now.
 */
export class SafetyGate {
  private snap: SafetySnapshot = { state: 'stopped', reason: 'not started', at: 0 };
  /** Isolates each listener: one that throws must not keep `stop()` from returning (the zero command follows it). */
  private readonly events = new Emitter<{ change: SafetySnapshot }>();

  constructor(
    public limits: VelocityLimits = DEFAULT_LIMITS,
    public workspace?: Workspace,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get snapshot(): SafetySnapshot {
    return this.snap;
  }

  get running(): boolean {
    return this.snap.state === 'running';
  }

  /** Always returns true: a stop is always followed by a zero command, even when already stopped. */
  stop(kind: StopKind, reason: string): true {
    // An e-stop is never downgraded to a plain stop by a later event (e.g. the tab hiding after it).
    const keepEstop = this.snap.state === 'stopped' && this.snap.kind === 'estop' && kind === 'stop';
    if (!keepEstop) this.set({ state: 'stopped', kind, reason, at: this.now() });
    return true;
  }

  start(): void {
    this.set({ state: 'running', reason: 'started by the operator', at: this.now() });
  }

  /** What may be sent: zero while stopped, otherwise clamped to the limits and the workspace. */
  filter(t: Twist, ee?: Vec3): Twist {
    if (!this.running) return ZERO_TWIST;
    return clampToWorkspace(clampTwist(t, this.limits), ee, this.workspace);
  }

  /** Gripper targets are clamped to [0, 1]; while stopped the gripper holds (undefined = send nothing). */
  filterGripper(v: number): number | undefined {
    if (!this.running || !Number.isFinite(v)) return undefined;
    return Math.min(1, Math.max(0, v));
  }

  subscribe(fn: (s: SafetySnapshot) => void): () => void {
    return this.events.on('change', fn);
  }

  private set(s: SafetySnapshot): void {
    this.snap = s;
    this.events.emit('change', s);
  }
}
