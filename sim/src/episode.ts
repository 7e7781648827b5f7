/**
 * Runs an episode at the dataset frame rate: observe, ask the expert, apply its command through
 * the controller for one frame period. Shared by the generator, the benchmark and the tests.
 */
import { CRUISE_SPEED, ScriptedExpert } from './expert.ts';
import { CONTROL_PERIOD, type Simulation } from './sim.ts';
import { ARM_JOINTS } from './scene/arm.ts';
import { Rng } from './scene/rng.ts';

export const FRAME_RATE = 10; // Hz: one dataset frame = one policy action

export const STATE_NAMES = ['ee.x', 'ee.y', 'ee.z', 'gripper', ...ARM_JOINTS.map((j) => `${j}.pos`)];
export const ACTION_NAMES = ['ee.dx', 'ee.dy', 'ee.dz', 'gripper'];

export interface StepRecord {
  /** STATE_NAMES: end effector xyz (base frame, m), gripper closure 0…1, 6 arm joints (rad); at the start of the step. */
  state: number[];
  /** ACTION_NAMES: commanded end-effector displacement over the step (m, base frame) + gripper target 0…1. */
  action: number[];
  /** Task achieved by the end of this step. */
  success: boolean;
}

export function observeState(sim: Simulation): number[] {
  return [...sim.eePosition(), sim.gripperClosure(), ...sim.armJoints()];
}

export interface ExpertEpisodeOptions {
  /**
   * DART-style noise injection (Laskey et al. 2017): the arm executes the expert's velocity plus
   * temporally correlated noise of this standard deviation (m/s), while the *clean* expert action
   * is recorded. The data then holds states off the expert's trajectory labelled with the
   * expert's correction back onto it — what a cloned policy needs to recover from its own errors.
   */
  actionNoise?: number;
  noiseSeed?: number;
}

/**
 * Holds an end-effector twist for one frame period of simulated time (the live loop's rule: each
 * command applies until the next one). Shared by expert episodes and policy rollouts.
 */
export function applyForOneFrame(sim: Simulation, linear: [number, number, number], yawRate = 0): void {
  for (let k = 0; k < Math.round(1 / FRAME_RATE / CONTROL_PERIOD); k++) {
    sim.controller.commandTwist({ linear, angular: [0, 0, yawRate] }, sim.time);
    sim.step();
  }
}

/** The scripted expert driving a simulation one frame at a time. */
export class ExpertEpisode {
  private readonly expert: ScriptedExpert;
  private tail = 3; // frames recorded after the plan ends (the settled outcome)
  private readonly noiseRng: Rng;
  private noise: [number, number, number] = [0, 0, 0];

  constructor(private readonly sim: Simulation, private readonly options: ExpertEpisodeOptions = {}) {
    this.expert = new ScriptedExpert(sim);
    this.noiseRng = new Rng(options.noiseSeed ?? 1);
  }

  /** Ornstein–Uhlenbeck noise, correlation ≈ 0.5 s at 10 Hz, stationary std `actionNoise`. */
  private nextNoise(): [number, number, number] {
    const sigma = this.options.actionNoise ?? 0;
    if (!sigma) return this.noise;
    const keep = 0.8, drive = sigma * Math.sqrt(1 - keep * keep);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - this.noiseRng.next())) * Math.cos(2 * Math.PI * this.noiseRng.next());
    this.noise = this.noise.map((n) => keep * n + drive * gauss()) as [number, number, number];
    return this.noise;
  }

  get finished(): boolean { return this.tail <= 0; }

  /**
   * One frame: the expert's command is the recorded action. The arm executes it (plus DART noise),
   * or `drive` instead when given — a policy's command, for DAgger: the states the policy reaches,
   * labelled with what the expert would do there.
   */
  step(drive?: { linear: [number, number, number]; gripper: number }): StepRecord {
    const sim = this.sim;
    const dt = 1 / FRAME_RATE;
    const state = observeState(sim);
    const cmd = this.expert.act(dt);
    const m = sim.controller.limits.maxLinear;
    const clampSpeed = (v: readonly number[]) => v.map((x) => Math.max(-m, Math.min(m, x))) as [number, number, number];
    const linear = clampSpeed(cmd.linear);
    let executed: [number, number, number];
    if (drive) {
      sim.controller.commandGripper(drive.gripper);
      executed = clampSpeed(drive.linear);
    } else {
      sim.controller.commandGripper(cmd.gripper);
      // Noise fades as the expert slows down: where it stops on purpose (grasp, release, press)
      // it must arrive, and a policy learns the stop from where the arm is, not from a shaky hold.
      const noise = this.nextNoise();
      const scale = Math.min(1, Math.hypot(...linear) / CRUISE_SPEED);
      executed = clampSpeed(linear.map((v, k) => v + scale * noise[k]));
    }
    applyForOneFrame(sim, executed, drive ? 0 : cmd.yawRate);
    if (this.expert.done) this.tail--;
    return { state, action: [linear[0] * dt, linear[1] * dt, linear[2] * dt, cmd.gripper], success: sim.success };
  }
}

/** Runs the expert for up to `maxSteps` frames; `onFrame` is called before each step (render there). */
export function runExpertEpisode(sim: Simulation, maxSteps: number, onFrame?: (step: number) => void): { steps: StepRecord[]; success: boolean } {
  const episode = new ExpertEpisode(sim);
  const steps: StepRecord[] = [];
  for (let i = 0; i < maxSteps && !episode.finished; i++) {
    onFrame?.(i);
    steps.push(episode.step());
  }
  return { steps, success: sim.success };
}
