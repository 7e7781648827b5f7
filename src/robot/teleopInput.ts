/**
 * The operator's input devices folded into one command per control step: keyboard (held keys),
 * gamepad (polled, Gamepad API) and the 3D gizmo's end-effector target. Losing focus releases
 * every key, so a key-up that never arrives cannot keep the robot moving.
 */
import type { TeleopCommand } from './controlLoop';
import { cameraRelativeTwist, DEFAULT_TELEOP_SPEEDS, GRIPPER_KEY, TELEOP_KEYS, gamepadCommand, gizmoTwist, keyboardTwist, type GamepadSnapshot, type TeleopFrame, type TeleopSpeeds } from './teleop';
import type { Vec3 } from './types';

export class TeleopInput {
  readonly pressed = new Set<string>();
  fine = false;
  gripper = 0;
  speeds: TeleopSpeeds = { ...DEFAULT_TELEOP_SPEEDS };
  /** Set while the operator drags the 3D gizmo. */
  gizmoTarget: Vec3 | null = null;
  readGamepad: () => GamepadSnapshot | null = () => null;
  /** Keys and sticks in the base's axes or the camera view's (when the camera's pose is known). */
  frame: TeleopFrame = 'base';
  /** The camera's rotation in the base frame (3×3 row-major), or null while unknown. */
  cameraToBase: () => readonly number[] | null = () => null;
  /** Any input since the last read (the console highlights "teleop active"). */
  lastInputAt = 0;

  /** Returns true when the key is a teleop key (the caller then prevents its default action). */
  keyDown(code: string, shift: boolean, now = performance.now()): boolean {
    this.fine = shift;
    if (code === GRIPPER_KEY) {
      this.gripper = this.gripper > 0.5 ? 0 : 1;
      this.lastInputAt = now;
      return true;
    }
    if (!TELEOP_KEYS[code]) return false;
    this.pressed.add(code);
    this.lastInputAt = now;
    return true;
  }

  keyUp(code: string, shift: boolean): void {
    this.fine = shift;
    this.pressed.delete(code);
  }

  releaseAll(): void {
    this.pressed.clear();
    this.gizmoTarget = null;
  }

  command(ee: Vec3 | undefined): TeleopCommand {
    if (this.gizmoTarget && ee) return { twist: gizmoTwist(this.gizmoTarget, ee, 2, this.speeds.linear * 1.5), gripper: this.gripper };
    const key = keyboardTwist(this.pressed, this.speeds, this.fine);
    const pad = this.readGamepad();
    if (pad) {
      const g = gamepadCommand(pad, this.speeds);
      if (g.gripper !== undefined) this.gripper = g.gripper;
      for (let i = 0; i < 3; i++) {
        key.linear[i] += g.twist.linear[i];
        key.angular[i] += g.twist.angular[i];
      }
    }
    const rotation = this.frame === 'camera' ? this.cameraToBase() : null;
    return { twist: rotation ? cameraRelativeTwist(key, rotation) : key, gripper: this.gripper };
  }

  get active(): boolean {
    return this.pressed.size > 0 || this.gizmoTarget !== null;
  }
}
