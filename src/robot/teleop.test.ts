import { describe, expect, it } from 'vitest';
import { cameraRelativeTwist, deadzone, gamepadCommand, gizmoTwist, keyboardTwist } from './teleop';
import { TeleopInput } from './teleopInput';

const speeds = { linear: 0.1, angular: 0.5, fine: 0.3 };

describe('keyboard teleop', () => {
  it('maps WASD/RF/QE to base-frame directions', () => {
    expect(keyboardTwist(new Set(['KeyW']), speeds).linear).toEqual([0.1, 0, 0]);
    expect(keyboardTwist(new Set(['KeyD']), speeds).linear).toEqual([0, -0.1, 0]);
    expect(keyboardTwist(new Set(['KeyR']), speeds).linear).toEqual([0, 0, 0.1]);
    expect(keyboardTwist(new Set(['KeyQ']), speeds).angular).toEqual([0, 0, 0.5]);
  });
  it('diagonals are not faster than one key; Shift slows down', () => {
    expect(Math.hypot(...keyboardTwist(new Set(['KeyW', 'KeyA']), speeds).linear)).toBeCloseTo(0.1);
    expect(keyboardTwist(new Set(['KeyW']), speeds, true).linear[0]).toBeCloseTo(0.03);
  });
  it('opposite keys cancel', () => {
    expect(keyboardTwist(new Set(['KeyW', 'KeyS']), speeds).linear).toEqual([0, 0, 0]);
  });
  it('G toggles the gripper; losing focus releases every key', () => {
    const t = new TeleopInput();
    t.keyDown('KeyG', false);
    expect(t.command(undefined).gripper).toBe(1);
    t.keyDown('KeyW', false);
    expect(t.command(undefined).twist.linear[0]).toBeGreaterThan(0);
    t.releaseAll();
    expect(t.command(undefined).twist.linear).toEqual([0, 0, 0]);
    expect(t.keyDown('KeyZ', false)).toBe(false);
  });
});

describe('gamepad teleop', () => {
  it('ignores stick noise inside the dead zone', () => {
    expect(deadzone(0.1, 0.05)).toEqual([0, 0]);
    const [x] = deadzone(1, 0);
    expect(x).toBeCloseTo(1);
  });
  it('left stick forward = +x, right trigger closes', () => {
    const c = gamepadCommand({ axes: [0, -1, 0, 0], buttons: [0, 0, 0, 0, 0, 0, 0, 0.8] }, speeds);
    expect(c.twist.linear[0]).toBeCloseTo(0.1);
    expect(c.gripper).toBeCloseTo(0.8);
  });
});

describe('gizmo teleop', () => {
  it('servos toward the target and stops within tolerance', () => {
    const t = gizmoTwist([0.6, 0, 0.3], [0.5, 0, 0.3], 2, 0.15);
    expect(t.linear[0]).toBeCloseTo(0.15);
    expect(gizmoTwist([0.5, 0, 0.3], [0.5005, 0, 0.3]).linear).toEqual([0, 0, 0]);
  });
});

describe('camera-relative teleop', () => {
  // A camera in front of the robot looking back at it (along −x of the base), image up = +z:
  // optical x (image right) = +y of the base, y (image down) = −z, z (view) = −x.
  const facingRobot = [0, 0, -1, 1, 0, 0, 0, -1, 0];
  // Straight down from above, image up = +x of the base: right = −y, down = −x, view = −z.
  const fromAbove = [0, -1, 0, -1, 0, 0, 0, 0, -1];
  const linear = (t: { linear: number[] }) => t.linear.map((v) => +v.toFixed(6) + 0);

  it('A moves left in the image and W away from the camera (in base mode A moved right in this view)', () => {
    const a = keyboardTwist(new Set(['KeyA']));
    expect(linear(a)).toEqual([0, 0.1, 0]); // base +y: right in this camera's image
    expect(linear(cameraRelativeTwist(a, facingRobot))).toEqual([0, -0.1, 0]);
    expect(linear(cameraRelativeTwist(keyboardTwist(new Set(['KeyW'])), facingRobot))).toEqual([-0.1, 0, 0]);
    expect(linear(cameraRelativeTwist(keyboardTwist(new Set(['KeyR'])), facingRobot))).toEqual([0, 0, 0.1]);
  });

  it('looking straight down, W is the image’s up and D its right', () => {
    expect(linear(cameraRelativeTwist(keyboardTwist(new Set(['KeyW'])), fromAbove))).toEqual([0.1, 0, 0]);
    expect(linear(cameraRelativeTwist(keyboardTwist(new Set(['KeyD'])), fromAbove))).toEqual([0, -0.1, 0]);
  });

  it('the input uses the camera’s axes only when asked and when the camera’s pose is known', () => {
    const input = new TeleopInput();
    input.keyDown('KeyA', false);
    expect(linear(input.command(undefined).twist)).toEqual([0, 0.1, 0]);
    input.frame = 'camera';
    expect(linear(input.command(undefined).twist)).toEqual([0, 0.1, 0]); // pose unknown: base axes
    input.cameraToBase = () => facingRobot;
    expect(linear(input.command(undefined).twist)).toEqual([0, -0.1, 0]);
  });
});
