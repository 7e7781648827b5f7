/**
 * The camera of a MuJoCo model (robosuite/robomimic `model_file`, docs/CAMERAS.md): position and
 * orientation accumulated through the enclosing bodies, converted from MuJoCo's camera frame
 * (looking along −z, y up) to the OpenCV optical frame with diag(1, −1, −1). A small tag scanner
 * instead of an XML library: it only needs `<body>`/`<camera>` attributes and must run in a worker.
 */
import { invertRigid, projectionFromIntrinsics, type Projection } from '../../core/camera/projection';

type V3 = [number, number, number];
/** MuJoCo quaternions are w, x, y, z. */
type Quat = [number, number, number, number];

function qmul(a: Quat, b: Quat): Quat {
  return [
    a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
    a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
    a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
    a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
  ];
}

/** Row-major rotation matrix of a (normalised) wxyz quaternion. */
export function quatToMatrix(q: Quat): number[] {
  const n = Math.hypot(...q) || 1;
  const [w, x, y, z] = q.map((v) => v / n);
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}

const rotate = (q: Quat, v: V3): V3 => {
  const m = quatToMatrix(q);
  return [0, 1, 2].map((r) => m[r * 3] * v[0] + m[r * 3 + 1] * v[1] + m[r * 3 + 2] * v[2]) as V3;
};

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]] = m[3] ?? m[4];
  return out;
}

const nums = (s: string | undefined, n: number, fallback: number[]) => {
  const v = s?.trim().split(/\s+/).map(Number);
  return v && v.length === n && v.every(Number.isFinite) ? v : fallback;
};

export interface MjcfCamera {
  name: string;
  /** Camera-to-world in the OpenCV optical frame, row-major 4×4. */
  cameraToWorld: number[];
  fovyDeg: number;
}

/** Finds `<camera name=…>` and its world pose. Null when the model has no such camera. */
export function findMjcfCamera(xml: string, name: string): MjcfCamera | null {
  const stack: { pos: V3; quat: Quat }[] = [{ pos: [0, 0, 0], quat: [1, 0, 0, 0] }];
  for (const m of xml.matchAll(/<(\/?)(body|camera|worldbody)\b([^>]*?)(\/?)>/g)) {
    const [, closing, tagName, rest, selfClosing] = m;
    if (tagName === 'worldbody') continue;
    if (closing) { if (tagName === 'body' && stack.length > 1) stack.pop(); continue; }
    const a = attrs(rest);
    const parent = stack[stack.length - 1];
    if (a.euler || a.axisangle || a.xyaxes || a.zaxis) {
      if (tagName === 'camera' && a.name === name) throw new Error(`camera “${name}” uses an orientation form other than quat (${Object.keys(a).filter((k) => ['euler', 'axisangle', 'xyaxes', 'zaxis'].includes(k)).join(', ')}), which is not supported`);
    }
    const local = { pos: nums(a.pos, 3, [0, 0, 0]) as V3, quat: nums(a.quat, 4, [1, 0, 0, 0]) as Quat };
    const offset = rotate(parent.quat, local.pos);
    const world = { pos: [0, 1, 2].map((i) => parent.pos[i] + offset[i]) as V3, quat: qmul(parent.quat, local.quat) };
    if (tagName === 'body' && !selfClosing) stack.push(world);
    if (tagName === 'camera' && a.name === name) {
      const r = quatToMatrix(world.quat);
      // MuJoCo camera axes (x right, y up, looking along −z) → OpenCV (x right, y down, z forward).
      const cv = [r[0], -r[1], -r[2], r[3], -r[4], -r[5], r[6], -r[7], -r[8]];
      return {
        name,
        cameraToWorld: [cv[0], cv[1], cv[2], world.pos[0], cv[3], cv[4], cv[5], world.pos[1], cv[6], cv[7], cv[8], world.pos[2], 0, 0, 0, 1],
        fovyDeg: Number(a.fovy ?? 45),
      };
    }
  }
  return null;
}

/** P for an image of width × height rendered by this camera (square pixels, centred principal point). */
export function projectionFromMjcfCamera(cam: MjcfCamera, width: number, height: number): Projection {
  const f = height / 2 / Math.tan((cam.fovyDeg * Math.PI) / 360);
  return projectionFromIntrinsics([[f, 0, (width - 1) / 2], [0, f, (height - 1) / 2], [0, 0, 1]], invertRigid(cam.cameraToWorld));
}
