/**
 * One simulated robot cell: MuJoCo physics of a scene, the end-effector velocity controller and the
 * task's success check. Time advances in control periods (10 ms = 5 physics steps of 2 ms).
 */
import { ArmController, type ControllerLimits } from './controller.ts';
import { matMul, rotationVector, solveLinear, transpose, type Mat3, type Vec3 } from './math.ts';
import { Physics } from './physics.ts';
import { ARM_JOINTS, EE_FRAME, FINGER_JOINTS, FINGER_OPEN, HOME_GUESS } from './scene/arm.ts';
import { buildSceneMjcf, objectSize } from './scene/mjcf.ts';
import type { SceneObject, SceneSpec } from './scene/types.ts';

export const CONTROL_PERIOD = 0.01;
/** Home pose of the end-effector site: above the middle of the workspace, fingers down. */
export const HOME_POSITION: Vec3 = [0.4, 0, 0.32];
/** Fingers pointing down (tool z = −world z), fingers opening along world y. */
export const DOWN: Mat3 = [-1, 0, 0, 0, 1, 0, 0, 0, -1];

let homeJointsCache: number[] | null = null;

export class Simulation {
  physics!: Physics;
  controller!: ArmController;
  scene!: SceneSpec;
  private siteId = 0;
  private armQposAdr: number[] = [];
  private armDofAdr: number[] = [];
  private fingerQposAdr: number[] = [];
  private succeeded = false;
  private controlSteps = 0;

  private constructor(private readonly limits: Partial<ControllerLimits>) {}

  static async create(scene: SceneSpec, limits: Partial<ControllerLimits> = {}): Promise<Simulation> {
    const sim = new Simulation(limits);
    await sim.reset(scene);
    return sim;
  }

  /** Loads a new scene (rebuilds the model: objects differ between scenes) and homes the arm. */
  async reset(scene: SceneSpec): Promise<void> {
    const physics = await Physics.fromXml(buildSceneMjcf(scene));
    this.physics?.dispose();
    this.physics = physics;
    this.scene = scene;
    this.siteId = physics.id('site', EE_FRAME);
    this.armQposAdr = ARM_JOINTS.map((n) => physics.jointQposAddress(physics.id('joint', n)));
    this.armDofAdr = ARM_JOINTS.map((n) => physics.jointDofAddress(physics.id('joint', n)));
    this.fingerQposAdr = FINGER_JOINTS.map((n) => physics.jointQposAddress(physics.id('joint', n)));
    this.controller = new ArmController(physics, this.limits);
    homeJointsCache ??= this.solveIk(HOME_POSITION, DOWN, HOME_GUESS);
    const q = physics.qpos;
    this.fingerQposAdr.forEach((a) => (q[a] = FINGER_OPEN));
    this.controller.setJoints(homeJointsCache);
    this.succeeded = false;
    this.controlSteps = 0;
    // Let objects settle on the table before anyone looks.
    for (let i = 0; i < 10; i++) this.step();
    this.controlSteps = 0;
  }

  /** One control period: controller update, then physics. `now` is the controller's clock (deadman). */
  step(now = this.physics.time): void {
    this.controller.update(now, CONTROL_PERIOD);
    this.physics.step(Math.round(CONTROL_PERIOD / this.physics.timestep));
    this.controlSteps++;
    if (!this.succeeded && this.taskConditionMet()) this.succeeded = true;
  }

  get time(): number { return this.physics.time; }
  get steps(): number { return this.controlSteps; }
  /** The task was achieved at some point in this episode (latched). */
  get success(): boolean { return this.succeeded; }

  eePosition(): Vec3 { return this.physics.sitePosition(this.siteId); }
  eeRotation(): Mat3 { return this.physics.siteRotation(this.siteId); }
  armJoints(): number[] { const q = this.physics.qpos; return this.armQposAdr.map((a) => q[a]); }
  armVelocities(): number[] { const v = this.physics.qvel; return this.armDofAdr.map((a) => v[a]); }
  /** Finger opening per finger, metres (0 closed … FINGER_OPEN). */
  fingerPositions(): number[] { const q = this.physics.qpos; return this.fingerQposAdr.map((a) => q[a]); }
  /** Measured gripper closure 0 (open) … 1 (closed), from the finger positions. */
  gripperClosure(): number {
    const f = this.fingerPositions();
    return 1 - (f[0] + f[1]) / (2 * FINGER_OPEN);
  }

  object(id: string): SceneObject {
    const o = this.scene.objects.find((x) => x.id === id);
    if (!o) throw new Error(`scene has no object ${id}`);
    return o;
  }
  objectPosition(id: string): Vec3 { return this.physics.bodyPosition(this.physics.id('body', `obj:${id}`)); }
  objectRotation(id: string): Mat3 { return this.physics.bodyRotation(this.physics.id('body', `obj:${id}`)); }
  /** Button cap travel (negative when pressed), metres. */
  buttonTravel(id: string): number { return this.physics.qpos[this.physics.jointQposAddress(this.physics.id('joint', `obj:${id}:press`))]; }

  /** Whether the task's goal holds right now. */
  taskConditionMet(): boolean {
    const task = this.scene.task;
    switch (task.kind) {
      case 'press_button':
        return this.buttonTravel(task.objectId) < -0.006;
      case 'knock_down':
        // Upright axis tilted more than 45°: no bottle or can stands like that on its own
        // (it lies on the table or leans on something).
        return this.objectRotation(task.objectId)[8] < Math.SQRT1_2;
      case 'pick_place': {
        const target = this.object(task.targetId!);
        const [radius] = objectSize(target);
        const p = this.objectPosition(task.objectId);
        const inside = Math.hypot(p[0] - target.position[0], p[1] - target.position[1]) < radius * 0.9;
        const resting = p[2] < 0.07; // on the plate / in the bowl, not held above it
        const released = this.gripperClosure() < 0.5 || Math.hypot(...subtract(this.eePosition(), p)) > 0.1;
        return inside && resting && released;
      }
    }
  }

  /** Damped-least-squares IK on the kinematic shadow (no physics), for homing. */
  solveIk(position: Vec3, rotation: Mat3, guess: readonly number[]): number[] {
    const q = [...guess];
    const nv = this.physics.nv;
    for (let iter = 0; iter < 300; iter++) {
      const site = this.physics.siteAt(this.siteId, this.armQposAdr.map((a, i) => [a, q[i]] as [number, number]));
      const err = [...subtract(position, site.pos), ...rotationVector(matMul(rotation, transpose(site.rot)))];
      if (Math.hypot(...err) < 1e-9) break;
      const J = new Float64Array(36);
      for (let r = 0; r < 3; r++) for (let c = 0; c < 6; c++) { J[r * 6 + c] = site.jacp[r * nv + this.armDofAdr[c]]; J[(r + 3) * 6 + c] = site.jacr[r * nv + this.armDofAdr[c]]; }
      const A = new Float64Array(36);
      for (let r = 0; r < 6; r++) for (let c = 0; c < 6; c++) {
        let s = 0;
        for (let k = 0; k < 6; k++) s += J[r * 6 + k] * J[c * 6 + k];
        A[r * 6 + c] = s + (r === c ? 1e-6 : 0);
      }
      const y = solveLinear(A, Float64Array.from(err), 6);
      for (let c = 0; c < 6; c++) { let s = 0; for (let r = 0; r < 6; r++) s += J[r * 6 + c] * y[r]; q[c] += 0.5 * s; }
    }
    return q;
  }

  dispose(): void { this.physics.dispose(); }
}

function subtract(a: readonly number[], b: readonly number[]): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
