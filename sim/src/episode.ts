/**
 * Runs one episode at the dataset frame rate: observe, ask the expert (or any policy), apply the
 * command through the controller for one frame period. Shared by the generator and the tests.
 */
import { ScriptedExpert } from './expert.ts';
import { CONTROL_PERIOD, type Simulation } from './sim.ts';

export const FRAME_RATE = 10; // Hz: one dataset frame = one policy action

export interface StepRecord {
  /** [ee x, y, z, gripper closure, 6 arm joints] at the start of the step. */
  state: number[];
  /** [dx, dy, dz, gripper target]: commanded end-effector displacement over the step (m) + gripper. */
  action: number[];
  /** Task achieved by the end of this step. */
  success: boolean;
}

export function observeState(sim: Simulation): number[] {
  return [...sim.eePosition(), sim.gripperClosure(), ...sim.armJoints()];
}

/**
 * Runs the scripted expert for up to `maxSteps` frames, calling `onFrame` before each step (render
 * there). Stops a few frames after the plan ends.
 */
export function runExpertEpisode(sim: Simulation, maxSteps: number, onFrame?: (step: number) => void): { steps: StepRecord[]; success: boolean } {
  const expert = new ScriptedExpert(sim);
  const dt = 1 / FRAME_RATE;
  const substeps = Math.round(dt / CONTROL_PERIOD);
  const steps: StepRecord[] = [];
  let tail = 3;
  for (let i = 0; i < maxSteps; i++) {
    onFrame?.(i);
    const state = observeState(sim);
    const cmd = expert.act(dt);
    const linear = cmd.linear.map((v) => clampAbs(v, sim.controller.limits.maxLinear)) as [number, number, number];
    sim.controller.commandGripper(cmd.gripper);
    for (let k = 0; k < substeps; k++) {
      sim.controller.commandTwist({ linear, angular: [0, 0, cmd.yawRate] }, sim.time);
      sim.step();
    }
    steps.push({ state, action: [linear[0] * dt, linear[1] * dt, linear[2] * dt, cmd.gripper], success: sim.success });
    if (expert.done && --tail <= 0) break;
  }
  return { steps, success: sim.success };
}

const clampAbs = (v: number, m: number) => Math.max(-m, Math.min(m, v));
