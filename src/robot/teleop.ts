/**
 * Teleoperation inputs turned into end-effector twists (base frame: x forward, y left, z up).
 * Pure functions over input snapshots; the console polls them at the control rate.
 */
import type { Twist, Vec3 } from './types';

/** `KeyboardEvent.code` (layout-independent) → unit direction. */
export const TELEOP_KEYS: Record<string, { linear?: Vec3; angular?: Vec3; label: string }> = {
  KeyW: { linear: [1, 0, 0], label: 'forward (+x)' },
  KeyS: { linear: [-1, 0, 0], label: 'back (−x)' },
  KeyA: { linear: [0, 1, 0], label: 'left (+y)' },
  KeyD: { linear: [0, -1, 0], label: 'right (−y)' },
  KeyR: { linear: [0, 0, 1], label: 'up (+z)' },
  KeyF: { linear: [0, 0, -1], label: 'down (−z)' },
  KeyQ: { angular: [0, 0, 1], label: 'yaw left' },
  KeyE: { angular: [0, 0, -1], label: 'yaw right' },
};
export const GRIPPER_KEY = 'KeyG';

export interface TeleopSpeeds {
  linear: number;
  angular: number;
  /** Multiplier while Shift is held (fine positioning). */
  fine: number;
}

export const DEFAULT_TELEOP_SPEEDS: TeleopSpeeds = { linear: 0.1, angular: 0.5, fine: 0.3 };

export function keyboardTwist(pressed: ReadonlySet<string>, speeds: TeleopSpeeds = DEFAULT_TELEOP_SPEEDS, fine = false): Twist {
  const lin: Vec3 = [0, 0, 0], ang: Vec3 = [0, 0, 0];
  for (const code of pressed) {
    const k = TELEOP_KEYS[code];
    if (!k) continue;
    for (let i = 0; i < 3; i++) {
      lin[i] += k.linear?.[i] ?? 0;
      ang[i] += k.angular?.[i] ?? 0;
    }
  }
  const s = fine ? speeds.fine : 1;
  const n = Math.hypot(...lin) || 1; // diagonal keys are not faster than one key
  return { linear: lin.map((v) => (v / n) * speeds.linear * s) as Vec3, angular: ang.map((v) => Math.sign(v) * speeds.angular * s) as Vec3 };
}

/** Radial dead zone, rescaled so the output starts at 0 just outside it. */
export function deadzone(x: number, y: number, dz = 0.15): [number, number] {
  const m = Math.hypot(x, y);
  if (m < dz || !Number.isFinite(m)) return [0, 0];
  const s = Math.min(1, (m - dz) / (1 - dz)) / m;
  return [x * s, y * s];
}

export interface GamepadSnapshot {
  axes: readonly number[];
  /** Button values 0…1 (the standard mapping: 6 = left trigger, 7 = right trigger). */
  buttons: readonly number[];
}

/**
 * Standard-mapping gamepad: left stick = x/y in the table plane, right stick vertical = z,
 * right stick horizontal = yaw; right trigger closes the gripper proportionally, left trigger opens.
 */
export function gamepadCommand(pad: GamepadSnapshot, speeds: TeleopSpeeds = DEFAULT_TELEOP_SPEEDS): { twist: Twist; gripper?: number } {
  const [lx, ly] = deadzone(pad.axes[0] ?? 0, pad.axes[1] ?? 0);
  const [rx, ry] = deadzone(pad.axes[2] ?? 0, pad.axes[3] ?? 0);
  const twist: Twist = {
    linear: [-ly * speeds.linear, -lx * speeds.linear, -ry * speeds.linear],
    angular: [0, 0, -rx * speeds.angular],
  };
  const close = pad.buttons[7] ?? 0, open = pad.buttons[6] ?? 0;
  const gripper = close > 0.1 ? close : open > 0.1 ? 0 : undefined;
  return { twist, gripper };
}

/** Proportional servo toward a dragged end-effector target (the 3D gizmo), capped in speed. */
export function gizmoTwist(target: Vec3, ee: Vec3, gain = 2, maxSpeed = 0.15, tolerance = 0.003): Twist {
  const e: Vec3 = [target[0] - ee[0], target[1] - ee[1], target[2] - ee[2]];
  const d = Math.hypot(...e);
  if (d < tolerance) return { linear: [0, 0, 0], angular: [0, 0, 0] };
  const speed = Math.min(maxSpeed, gain * d);
  return { linear: e.map((v) => (v / d) * speed) as Vec3, angular: [0, 0, 0] };
}

/** Which way the movement keys point: the robot base's axes, or the camera view's. */
export type TeleopFrame = 'base' | 'camera';

/**
 * A base-frame twist from keys meant in the camera view: forward (+x) is away from the camera,
 * left (+y) is left in the image, up stays up, yaw stays yaw. `cameraToBase` is the camera's
 * rotation in the base frame (3×3 row-major; optical frame: x right, y down, z forward). Both
 * directions are taken in the table plane, so W and S never dive into the table.
 */
export function cameraRelativeTwist(twist: Twist, cameraToBase: readonly number[]): Twist {
  const column = (j: number): [number, number] => [cameraToBase[j], cameraToBase[3 + j]];
  const flat = ([x, y]: [number, number]) => {
    const n = Math.hypot(x, y);
    return n > 1e-6 ? [x / n, y / n] as const : null;
  };
  const right = flat(column(0)) ?? [0, -1] as const;
  // Looking straight down, "away" is the image's up (−y); otherwise the viewing direction.
  const view = column(2);
  const up = column(1);
  const away = Math.hypot(...view) > 0.2 ? flat(view) : flat([-up[0], -up[1]]);
  const [fx, fy] = away ?? [1, 0];
  const [lin0, lin1, lin2] = twist.linear;
  return {
    linear: [lin0 * fx - lin1 * right[0], lin0 * fy - lin1 * right[1], lin2],
    angular: [...twist.angular] as Vec3,
  };
}
