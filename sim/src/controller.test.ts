import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from './controller.ts';
import { Simulation } from './sim.ts';
import { completeScene } from './scene/tasks.ts';
import type { Vec3 } from './math.ts';

// An empty table (only a button far away) so nothing touches the arm.
const scene = completeScene({
  objects: [{ id: 'b', shape: 'button', rgb: [1, 0, 0], position: [0.6, -0.3] }],
  task: { kind: 'press_button', objectId: 'b', instruction: 'press the red button' },
});

let sim: Simulation;
beforeAll(async () => { sim = await Simulation.create(scene); });
beforeEach(async () => { await sim.reset(scene); });
afterAll(() => sim.dispose());

/** Drives with a constant twist for `seconds`, re-sending the command every control period. */
function drive(linear: Vec3, seconds: number, angular: Vec3 = [0, 0, 0]): void {
  for (let t = 0; t < seconds - 1e-9; t += 0.01) {
    sim.controller.commandTwist({ linear, angular }, sim.time);
    sim.step();
  }
}

const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

describe('end-effector velocity control', () => {
  it('moves the end effector along the commanded base-frame velocity and keeps the orientation', () => {
    const start = sim.eePosition();
    const rot0 = sim.eeRotation();
    drive([0.1, 0, 0], 1.0);
    drive([0, 0, 0], 0.3); // settle
    const end = sim.eePosition();
    expect(end[0] - start[0]).toBeGreaterThan(0.09);
    expect(end[0] - start[0]).toBeLessThan(0.11);
    expect(Math.abs(end[1] - start[1])).toBeLessThan(0.005);
    expect(Math.abs(end[2] - start[2])).toBeLessThan(0.005);
    const rot = sim.eeRotation();
    const cosAngle = (rot0[0] * rot[0] + rot0[1] * rot[1] + rot0[2] * rot[2] + rot0[3] * rot[3] + rot0[4] * rot[4] + rot0[5] * rot[5] + rot0[6] * rot[6] + rot0[7] * rot[7] + rot0[8] * rot[8] - 1) / 2;
    expect(Math.acos(Math.min(1, cosAngle))).toBeLessThan((2 * Math.PI) / 180);
  });

  it('follows an angular velocity about the base z axis', () => {
    const yaw = () => { const r = sim.eeRotation(); return Math.atan2(-r[1], r[4]); };
    const y0 = yaw();
    drive([0, 0, 0], 1.0, [0, 0, 0.5]);
    drive([0, 0, 0], 0.3);
    expect(yaw() - y0).toBeGreaterThan(0.45);
    expect(yaw() - y0).toBeLessThan(0.55);
  });

  it('does not wind up: after spinning against the wrist limit, reversing responds at once', () => {
    const yaw = () => { const r = sim.eeRotation(); return Math.atan2(-r[1], r[4]); };
    drive([0, 0, 0], 4, [0, 0, 1]); // the wrist roll limit (±2.9 rad) stops this
    const stuck = yaw();
    drive([0, 0, 0], 0.5, [0, 0, -1]);
    // ~0.15 rad of bounded lead to unwind, then 1 rad/s; a wound-up reference (1.1 rad) would not move yet.
    expect(yaw() - stuck).toBeLessThan(-0.25);
  });

  it('clamps the commanded speed', () => {
    const start = sim.eePosition();
    drive([0, 3, 0], 0.5);
    expect(dist(sim.eePosition(), start)).toBeLessThan(DEFAULT_LIMITS.maxLinear * 0.5 + 0.01);
  });

  it('keeps the end effector inside the workspace box', () => {
    drive([0, 0, -0.3], 2.5);
    expect(sim.eePosition()[2]).toBeGreaterThan(DEFAULT_LIMITS.workspace.min[2] - 0.005);
    drive([0.3, 0, 0], 3);
    expect(sim.eePosition()[0]).toBeLessThan(DEFAULT_LIMITS.workspace.max[0] + 0.005);
  });

  it('ignores non-finite commands', () => {
    const start = sim.eePosition();
    drive([Number.NaN, Infinity, 0], 0.5);
    expect(dist(sim.eePosition(), start)).toBeLessThan(0.002);
  });

  it('deadman: stops within 250 ms after the last command, then holds still', () => {
    drive([0, 0.2, 0], 0.6); // mid-motion at full speed
    const lastCommand = sim.time;
    while (sim.time < lastCommand + 0.25) sim.step();
    const at250 = sim.eePosition();
    const speed = Math.hypot(...sim.armVelocities());
    expect(speed).toBeLessThan(0.02); // joint speeds ~0 rad/s
    expect(sim.controller.isHolding).toBe(true);
    for (let i = 0; i < 100; i++) sim.step();
    expect(dist(sim.eePosition(), at250)).toBeLessThan(0.001);
  });

  it('gripper command opens and closes the fingers', () => {
    sim.controller.commandGripper(1);
    for (let i = 0; i < 50; i++) sim.step();
    expect(sim.gripperClosure()).toBeGreaterThan(0.95);
    sim.controller.commandGripper(0);
    for (let i = 0; i < 50; i++) sim.step();
    expect(sim.gripperClosure()).toBeLessThan(0.05);
  });
});
