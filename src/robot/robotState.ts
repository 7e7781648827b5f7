/**
 * The robot's latest state assembled from `/joint_states` and `/tf`, and the state vector the
 * policies were trained on (the sim's LeRobot layout, docs/SIM.md: ee xyz, gripper closure,
 * 6 arm joints).
 */
import type { FrameTransform, JointStates, Quat, Vec3 } from './types';

export const ARM_JOINT_NAMES = ['shoulder_pan', 'shoulder_lift', 'elbow', 'forearm_roll', 'wrist_pitch', 'wrist_roll'];
export const FINGER_JOINT_NAMES = ['finger_left', 'finger_right'];
/** Per-finger travel of the sim's gripper (m); closure = 1 − mean opening / this. */
export const FINGER_OPEN_M = 0.045;
export const STATE_NAMES = ['ee.x', 'ee.y', 'ee.z', 'gripper', ...ARM_JOINT_NAMES.map((j) => `${j}.pos`)];

export class RobotStateTracker {
  joints = new Map<string, number>();
  ee: Vec3 | undefined;
  eeRotation: Quat | undefined;
  jointsAt = 0;
  /** Static transforms by child frame (camera mount). */
  readonly staticFrames = new Map<string, FrameTransform>();

  constructor(private readonly baseFrame = 'base_link', private readonly eeFrame = 'ee_link') {}

  onJointStates(js: JointStates): void {
    js.names.forEach((n, i) => this.joints.set(n, js.positions[i]));
    this.jointsAt = js.receivedAt;
  }

  onTf(transforms: FrameTransform[]): void {
    for (const t of transforms) {
      if (t.parent === this.baseFrame && t.child === this.eeFrame) {
        this.ee = t.translation;
        this.eeRotation = t.rotation;
      }
    }
  }

  onTfStatic(transforms: FrameTransform[]): void {
    for (const t of transforms) this.staticFrames.set(t.child, t);
  }

  /** Measured closure 0 (open) … 1 (closed); NaN when the fingers are not reported. */
  gripperClosure(): number {
    const f = FINGER_JOINT_NAMES.map((n) => this.joints.get(n));
    if (f.some((v) => v === undefined)) return NaN;
    return 1 - ((f[0] as number) + (f[1] as number)) / (2 * FINGER_OPEN_M);
  }

  get ready(): boolean {
    return this.ee !== undefined && ARM_JOINT_NAMES.every((n) => this.joints.has(n));
  }

  stateVector(): Float32Array {
    const out = new Float32Array(STATE_NAMES.length);
    const ee = this.ee ?? [0, 0, 0];
    out.set(ee, 0);
    const g = this.gripperClosure();
    out[3] = Number.isFinite(g) ? g : 0;
    ARM_JOINT_NAMES.forEach((n, i) => (out[4 + i] = this.joints.get(n) ?? 0));
    return out;
  }
}
