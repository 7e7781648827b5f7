/**
 * Runs an episode at the dataset frame rate: observe, ask the expert, apply its command through
 * the controller for one frame period. Shared by the generator, the benchmark and the tests.
 */
import { ScriptedExpert } from './expert.ts';
import { CONTROL_PERIOD, type Simulation } from './sim.ts';
import { ARM_JOINTS } from './scene/arm.ts';

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

/** The scripted expert driving a simulation one frame at a time. */
export class ExpertEpisode {
  private readonly expert: ScriptedExpert;
  private tail = 3; // frames recorded after the plan ends (the settled outcome)

  constructor(private readonly sim: Simulation) {
    this.expert = new ScriptedExpert(sim);
  }

  get finished(): boolean { return this.tail <= 0; }

  step(): StepRecord {
    const sim = this.sim;
    const dt = 1 / FRAME_RATE;
    const state = observeState(sim);
    const cmd = this.expert.act(dt);
    const m = sim.controller.limits.maxLinear;
    const linear = cmd.linear.map((v) => Math.max(-m, Math.min(m, v))) as [number, number, number];
    sim.controller.commandGripper(cmd.gripper);
    for (let k = 0; k < Math.round(dt / CONTROL_PERIOD); k++) {
      sim.controller.commandTwist({ linear, angular: [0, 0, cmd.yawRate] }, sim.time);
      sim.step();
    }
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
