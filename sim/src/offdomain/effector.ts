/**
 * The off-domain end effector, as the renderer sees it. The arm still moves the gripper in the
 * physics (the expert's motion is the target robot's), but its links are never drawn: what the
 * image shows is either the gripper floating on its own, repainted, or a human-like hand — palm,
 * four fingers, a thumb and a sleeved wrist, all primitives posed from the end-effector frame,
 * the fingers curling with the gripper's closure.
 */
import { GeomType, type GeomInfo } from '../physics.ts';
import { matMul, matVec, type Mat3, type Vec3 } from '../math.ts';
import type { EffectorStyle } from './domain.ts';

/** Where the effector is in one frame: the `ee_link` site's pose and the gripper's closure (0 open … 1 closed). */
export interface EffectorPose {
  position: Vec3;
  rotation: Mat3;
  closure: number;
}

/** One hand part in the end-effector frame (z along the fingers, fingers open along y). */
interface HandPart {
  name: string;
  type: number;
  size: Vec3;
  /** Where a capsule starts (its knuckle), or an ellipsoid's centre. */
  base: Vec3;
  /** Capsule direction as rotations about x (then y), radians, at closure 0 and 1. */
  tiltX: [open: number, closed: number];
  tiltY?: number;
  sleeve?: boolean;
}

const FINGER = { radius: 0.008, half: 0.021 };
const HAND: HandPart[] = [
  { name: 'palm', type: GeomType.ellipsoid, size: [0.04, 0.032, 0.016], base: [0, 0, -0.004], tiltX: [0, 0] },
  ...[-0.027, -0.009, 0.009, 0.027].map((x, i): HandPart => ({
    // Fingers on the +y side, splayed outwards when open, curled toward the thumb when closed.
    name: `finger${i}`, type: GeomType.capsule, size: [FINGER.radius, FINGER.half - (i === 0 || i === 3 ? 0.004 : 0), 0], base: [x, 0.022, 0.004], tiltX: [-0.35, 0.55],
  })),
  { name: 'thumb', type: GeomType.capsule, size: [0.009, 0.017, 0], base: [0.012, -0.026, 0], tiltX: [0.45, -0.5] },
  // The wrist in a sleeve, up and back toward the robot's base; short, so that it hides little.
  { name: 'wrist', type: GeomType.capsule, size: [0.027, 0.045, 0], base: [0.01, 0, -0.02], tiltX: [0, 0], tiltY: Math.PI - 0.65, sleeve: true },
];

export class EffectorScene {
  /** The physics' geoms (arm hidden; gripper repainted, or hidden for the hand), then the hand's parts. */
  readonly geoms: GeomInfo[];
  private readonly first: number;
  private readonly parts: HandPart[];

  constructor(physicsGeoms: readonly GeomInfo[], readonly style: EffectorStyle) {
    const hidden = (g: GeomInfo) => g.name.startsWith('arm:') || (style.kind === 'hand' && g.name.startsWith('gripper:'));
    this.geoms = physicsGeoms.map((g) => {
      if (hidden(g)) return { ...g, rgba: [0, 0, 0, 0] };
      if (g.name.startsWith('gripper:')) return { ...g, rgba: [...style.rgb, 1] };
      return g;
    });
    this.first = physicsGeoms.length;
    this.parts = style.kind === 'hand' ? HAND : [];
    this.parts.forEach((p, k) => this.geoms.push({
      id: this.first + k, name: `hand:${p.name}`, type: p.type, size: p.size, rgba: [...(p.sleeve ? style.sleeveRgb : style.rgb), 1],
    }));
  }

  /** Geom poses for the rasterizer: the physics' own, followed by the hand's parts at `ee`. */
  poses(xpos: ArrayLike<number>, xmat: ArrayLike<number>, ee: EffectorPose): { xpos: Float64Array; xmat: Float64Array } {
    const n = this.geoms.length;
    const pos = new Float64Array(3 * n), mat = new Float64Array(9 * n);
    pos.set(Array.from({ length: 3 * this.first }, (_, i) => xpos[i]));
    mat.set(Array.from({ length: 9 * this.first }, (_, i) => xmat[i]));
    const c = Math.min(1, Math.max(0, ee.closure));
    this.parts.forEach((p, k) => {
      const tilt = p.tiltX[0] + c * (p.tiltX[1] - p.tiltX[0]);
      const local = matMul(rotationX(tilt), rotationY(p.tiltY ?? 0));
      const axis: Vec3 = [local[2], local[5], local[8]];
      // Capsules start at their base and reach along their axis; the palm sits at its base.
      const reach = p.type === GeomType.capsule ? p.size[1] + p.size[0] : 0;
      const centre = matVec(ee.rotation, [p.base[0] + reach * axis[0], p.base[1] + reach * axis[1], p.base[2] + reach * axis[2]]);
      pos.set([ee.position[0] + centre[0], ee.position[1] + centre[1], ee.position[2] + centre[2]], 3 * (this.first + k));
      mat.set(matMul(ee.rotation, local), 9 * (this.first + k));
    });
    return { xpos: pos, xmat: mat };
  }
}

/** Rotation about x: a positive angle turns +z toward −y. */
function rotationX(a: number): Mat3 {
  const c = Math.cos(a), s = Math.sin(a);
  return [1, 0, 0, 0, c, -s, 0, s, c];
}

/** Rotation about y: a positive angle turns +z toward +x. */
function rotationY(a: number): Mat3 {
  const c = Math.cos(a), s = Math.sin(a);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
}
