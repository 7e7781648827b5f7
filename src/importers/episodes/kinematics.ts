/**
 * Forward kinematics over a URDF joint tree, in plain TypeScript so it runs in the import worker and
 * in Node tests (urdf-loader needs three.js and a DOM). Checked against urdf-loader on the SO-101
 * description in kinematics.test.ts.
 */

import type { Vec3 } from '../../core/vec3';

export type { Vec3 };

export interface UrdfJoint {
  name: string;
  type: 'revolute' | 'continuous' | 'prismatic' | 'fixed' | 'floating' | 'planar';
  parent: string;
  child: string;
  xyz: Vec3;
  rpy: Vec3;
  axis: Vec3;
  limit?: { lower: number; upper: number };
  mimic?: { joint: string; multiplier: number; offset: number };
}

export interface KinematicModel {
  robotName: string;
  rootLink: string;
  links: string[];
  joints: UrdfJoint[];
}

/** Row-major 4×4. */
export type Mat4 = number[];

const IDENTITY: Mat4 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];

export function mul4(a: Mat4, b: Mat4): Mat4 {
  const o = new Array<number>(16);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) o[i * 4 + j] = a[i * 4] * b[j] + a[i * 4 + 1] * b[4 + j] + a[i * 4 + 2] * b[8 + j] + a[i * 4 + 3] * b[12 + j];
  return o;
}

/** URDF origin: translation, then fixed-axis roll-pitch-yaw (R = Rz(yaw) · Ry(pitch) · Rx(roll)). */
export function originTransform(xyz: Vec3, rpy: Vec3): Mat4 {
  const [r, p, y] = rpy;
  const cr = Math.cos(r), sr = Math.sin(r), cp = Math.cos(p), sp = Math.sin(p), cy = Math.cos(y), sy = Math.sin(y);
  return [
    cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr, xyz[0],
    sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr, xyz[1],
    -sp, cp * sr, cp * cr, xyz[2],
    0, 0, 0, 1,
  ];
}

/** Rotation by `angle` about a unit `axis` (Rodrigues). */
export function axisAngle(axis: Vec3, angle: number): Mat4 {
  const n = Math.hypot(...axis) || 1;
  const [x, y, z] = axis.map((a) => a / n);
  const c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  return [
    t * x * x + c, t * x * y - s * z, t * x * z + s * y, 0,
    t * x * y + s * z, t * y * y + c, t * y * z - s * x, 0,
    t * x * z - s * y, t * y * z + s * x, t * z * z + c, 0,
    0, 0, 0, 1,
  ];
}

/** Joints from the root to `link`, in order. Throws when the link is not in the tree. */
export function chainTo(model: KinematicModel, link: string): UrdfJoint[] {
  const byChild = new Map(model.joints.map((j) => [j.child, j]));
  const chain: UrdfJoint[] = [];
  let cur = link;
  while (cur !== model.rootLink) {
    const j = byChild.get(cur);
    if (!j) throw new Error(`link "${link}" is not connected to the root link "${model.rootLink}"`);
    chain.unshift(j);
    cur = j.parent;
    if (chain.length > model.joints.length) throw new Error('the URDF joint tree has a cycle');
  }
  return chain;
}

/** Pose of the last link of `chain` in the root frame for joint values by name (missing = 0). */
export function forwardKinematics(chain: readonly UrdfJoint[], q: ReadonlyMap<string, number>): Mat4 {
  let t = IDENTITY;
  for (const j of chain) {
    t = mul4(t, originTransform(j.xyz, j.rpy));
    let v = q.get(j.name) ?? 0;
    if (j.mimic) v = (q.get(j.mimic.joint) ?? 0) * j.mimic.multiplier + j.mimic.offset;
    if (j.type === 'revolute' || j.type === 'continuous') t = mul4(t, axisAngle(j.axis, v));
    else if (j.type === 'prismatic') {
      const n = Math.hypot(...j.axis) || 1;
      t = mul4(t, [1, 0, 0, (j.axis[0] / n) * v, 0, 1, 0, (j.axis[1] / n) * v, 0, 0, 1, (j.axis[2] / n) * v, 0, 0, 0, 1]);
    }
  }
  return t;
}

/** Leaf links, the likely end effector first (tcp / ee / gripper frame / tool), then the deepest. */
export function endEffectorCandidates(model: KinematicModel): string[] {
  const parents = new Set(model.joints.map((j) => j.parent));
  const leaves = model.links.filter((l) => !parents.has(l) && l !== model.rootLink);
  const depth = (l: string) => { try { return chainTo(model, l).length; } catch { return -1; } };
  const score = (l: string) => (/(tcp|end_?effector|ee_?link|gripper_?frame|tool0?|eef)/i.test(l) ? 1000 : 0) + depth(l);
  return leaves.filter((l) => depth(l) >= 0).sort((a, b) => score(b) - score(a));
}

/** How a dataset stores joint positions. */
export type JointUnits = 'rad' | 'deg' | 'range100';

export const JOINT_UNIT_LABELS: Record<JointUnits, string> = {
  rad: 'radians',
  deg: 'degrees',
  range100: '−100…100 of the joint range (LeRobot SO-100/101 default)',
};

/** Converts one stored value to the joint's URDF value (radians or metres). */
export function toJointValue(value: number, units: JointUnits, joint: UrdfJoint | undefined): number {
  if (units === 'rad') return value;
  if (units === 'deg') return (value * Math.PI) / 180;
  const lim = joint?.limit;
  if (!lim || !(lim.upper > lim.lower)) return value;
  // LeRobot normalises grippers to 0…100 and other joints to −100…100 of their calibrated range.
  const t = /gripper/i.test(joint!.name) ? value / 100 : (value + 100) / 200;
  return lim.lower + t * (lim.upper - lim.lower);
}

/** Dataset column name → URDF joint name, matched by name without `.pos`-like suffixes. */
export function matchJointColumns(columns: readonly string[], model: KinematicModel): Record<string, string> {
  const movable = model.joints.filter((j) => j.type !== 'fixed' && !j.mimic);
  const key = (s: string) => s.toLowerCase().replace(/([._-](pos|position|angle|q))$/, '').replace(/[^a-z0-9]/g, '');
  const out: Record<string, string> = {};
  for (const col of columns) {
    const j = movable.find((m) => key(m.name) === key(col));
    if (j && !Object.values(out).includes(j.name)) out[col] = j.name;
  }
  return out;
}

export interface FkPlan {
  chain: UrdfJoint[];
  /** State column index → joint name. */
  columns: { index: number; joint: string }[];
  units: JointUnits;
  /** Joints of the whole model by name (for limits when converting units). */
  joints: Record<string, UrdfJoint>;
}

/** End-effector positions for every state row. */
export function endEffectorTrack(plan: FkPlan, states: readonly (readonly number[])[]): Vec3[] {
  return states.map((row) => {
    const q = new Map<string, number>();
    for (const c of plan.columns) q.set(c.joint, toJointValue(row[c.index], plan.units, plan.joints[c.joint]));
    const t = forwardKinematics(plan.chain, q);
    return [t[3], t[7], t[11]];
  });
}
