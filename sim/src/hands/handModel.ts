/**
 * A right hand as a skeleton of 21 joints in MediaPipe's order (0 wrist, 1–4 thumb, 5–8 index,
 * 9–12 middle, 13–16 ring, 17–20 little), posed by one number: the pinch (0 open, 1 thumb tip on
 * index tip). Units are pixels of the image, hand frame x right, y down (image), z toward the camera.
 * The palm faces the camera, so a pinch happens in front of the hand, in view.
 */
export type Vec3 = [number, number, number];

export interface HandPose {
  /** Image position of the wrist joint (px). */
  wrist: [number, number];
  /** Hand length wrist → middle fingertip (px). */
  size: number;
  /** In-plane rotation (radians, positive turns the fingers clockwise on screen). */
  roll: number;
  /** 0 open hand, 1 thumb and index tips touching. */
  pinch: number;
  /** Turn about the hand's long axis (radians; positive brings the thumb side toward the camera). */
  yaw?: number;
}

/** Bone lengths as fractions of the hand length (wrist → middle tip ≈ 1). */
const FINGERS = [
  // base x (fraction of size, + = toward the thumb side on screen), base y, phalanx lengths, splay (rad)
  { base: [0.17, -0.43], bones: [0.19, 0.11, 0.09], splay: -0.12 }, // index
  { base: [0.05, -0.46], bones: [0.21, 0.13, 0.09], splay: -0.02 }, // middle
  { base: [-0.06, -0.44], bones: [0.19, 0.12, 0.09], splay: 0.08 }, // ring
  { base: [-0.16, -0.39], bones: [0.15, 0.09, 0.08], splay: 0.2 }, // little
] as const;

const lerp = (a: number, b: number, t: number): number => a + (b - a) * t;
const lerp3 = (a: Vec3, b: Vec3, t: number): Vec3 => [lerp(a[0], b[0], t), lerp(a[1], b[1], t), lerp(a[2], b[2], t)];

/** One finger's four joints, bent by `curl` (radians per joint, toward the palm = toward the camera). */
function fingerChain(base: Vec3, bones: readonly number[], splay: number, curls: readonly number[]): Vec3[] {
  const joints: Vec3[] = [base];
  let pitch = 0; // angle from the hand's "up" toward -z (into the scene)
  let p = base;
  for (let i = 0; i < bones.length; i++) {
    pitch += curls[i] ?? 0;
    const len = bones[i]!;
    const up = Math.cos(pitch) * len;
    const next: Vec3 = [p[0] + Math.sin(splay) * up, p[1] - Math.cos(splay) * up, p[2] + Math.sin(pitch) * len];
    joints.push(next);
    p = next;
  }
  return joints;
}

/** The 21 joints in the hand frame (units of the hand length, origin at the wrist). */
export function handJointsLocal(pinch: number): Vec3[] {
  const t = Math.min(1, Math.max(0, pinch));
  const fingers = FINGERS.map((f, i) => {
    // The index bends to meet the thumb; the others curl a little along with it.
    const curl = i === 0 ? [0.55 * t + 0.1, 0.75 * t + 0.1, 0.45 * t + 0.05] : [0.15 + 0.25 * t, 0.2 + 0.3 * t, 0.1 + 0.15 * t];
    return fingerChain([f.base[0], f.base[1], 0], f.bones, f.splay, curl);
  });
  const indexTip = fingers[0]![3]!;
  // Thumb: open it points out to the side and up; closed its tip meets the index tip.
  const cmc: Vec3 = [0.14, -0.08, 0.02];
  const open: Vec3[] = [cmc, [0.27, -0.17, 0.03], [0.37, -0.27, 0.03], [0.44, -0.36, 0.02]];
  const tipClosed: Vec3 = [indexTip[0] + 0.02, indexTip[1] + 0.035, indexTip[2] + 0.01];
  const closed: Vec3[] = [cmc, [0.25, -0.16, 0.08], lerp3([0.25, -0.16, 0.08], tipClosed, 0.55), tipClosed];
  const thumb = open.map((o, k) => lerp3(o, closed[k]!, t));
  return [[0, 0, 0], ...thumb.slice(0, 4), ...fingers.flat()] as Vec3[];
}

/** The 21 joints in image pixels (x, y) with depth z (px, toward the camera). */
export function handJointsImage(pose: HandPose): Vec3[] {
  const c = Math.cos(pose.roll);
  const s = Math.sin(pose.roll);
  const cy = Math.cos(pose.yaw ?? 0);
  const sy = Math.sin(pose.yaw ?? 0);
  return handJointsLocal(pose.pinch).map(([x0, y, z0]) => {
    const x = cy * x0 - sy * z0;
    const z = sy * x0 + cy * z0;
    // A right hand seen from its palm side has the thumb (local +x) on the viewer's right.
    const lx = x * pose.size;
    const ly = y * pose.size;
    return [pose.wrist[0] + c * lx - s * ly, pose.wrist[1] + s * lx + c * ly, z * pose.size] as Vec3;
  });
}

/** The grasp point: midway between thumb tip (4) and index tip (8), image pixels. */
export function graspPointOf(joints: readonly Vec3[]): [number, number] {
  const a = joints[4]!;
  const b = joints[8]!;
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
}
