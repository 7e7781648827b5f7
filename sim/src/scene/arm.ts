/**
 * The arm: a 6-DoF anthropomorphic arm with a spherical wrist (the PUMA / UR family layout) and a
 * parallel two-finger gripper, built from primitives only. One description feeds both the MJCF used
 * by the simulator and the URDF served on /robot_description, so the two cannot drift apart.
 */
import type { Rgb } from './types.ts';

export type PrimitiveGeom =
  | { type: 'box'; halfSize: [number, number, number]; pos: [number, number, number]; rgb: Rgb; name: string }
  | { type: 'cylinder' | 'capsule'; radius: number; halfLength: number; pos: [number, number, number]; rgb: Rgb; name: string }
  | { type: 'sphere'; radius: number; pos: [number, number, number]; rgb: Rgb; name: string };

export interface ArmLink {
  name: string;
  parent: string | null;
  joint?: {
    name: string;
    type: 'revolute' | 'prismatic';
    axis: [number, number, number];
    /** Joint origin in the parent link frame (no rotation anywhere in this arm). */
    origin: [number, number, number];
    limits: [number, number];
  };
  /** Fixed offset to the parent, for links without a joint. */
  origin?: [number, number, number];
  geoms: PrimitiveGeom[];
}

const LINK_GREY: Rgb = [0.75, 0.76, 0.78];
const JOINT_DARK: Rgb = [0.25, 0.27, 0.3];
/** The gripper has its own colour so images and tests can tell it apart. */
export const GRIPPER_RGB: Rgb = [0.12, 0.12, 0.14];

export const ARM_JOINTS = ['shoulder_pan', 'shoulder_lift', 'elbow', 'forearm_roll', 'wrist_pitch', 'wrist_roll'] as const;
export const FINGER_JOINTS = ['finger_left', 'finger_right'] as const;
/** Finger travel: 0 = closed (fingers touch), FINGER_OPEN = fully open (per finger). */
export const FINGER_OPEN = 0.045;
/** Distance along the tool z axis from the end-effector site (palm centre) to the middle of the finger pads. */
export const SITE_TO_GRASP = 0.05;
/** Name of the end-effector frame (MuJoCo site and URDF link). */
export const EE_FRAME = 'ee_link';

export const ARM_LINKS: ArmLink[] = [
  { name: 'base_link', parent: null, geoms: [{ type: 'cylinder', radius: 0.07, halfLength: 0.05, pos: [0, 0, 0.05], rgb: JOINT_DARK, name: 'base' }] },
  {
    name: 'shoulder_link', parent: 'base_link',
    joint: { name: 'shoulder_pan', type: 'revolute', axis: [0, 0, 1], origin: [0, 0, 0.1], limits: [-2.9, 2.9] },
    geoms: [{ type: 'cylinder', radius: 0.06, halfLength: 0.04, pos: [0, 0, 0.04], rgb: LINK_GREY, name: 'shoulder' }],
  },
  {
    name: 'upper_arm_link', parent: 'shoulder_link',
    joint: { name: 'shoulder_lift', type: 'revolute', axis: [0, 1, 0], origin: [0, 0, 0.08], limits: [-1.9, 1.9] },
    geoms: [{ type: 'capsule', radius: 0.045, halfLength: 0.2, pos: [0, 0, 0.2], rgb: LINK_GREY, name: 'upper_arm' }],
  },
  {
    name: 'forearm_link', parent: 'upper_arm_link',
    joint: { name: 'elbow', type: 'revolute', axis: [0, 1, 0], origin: [0, 0, 0.4], limits: [-2.7, 2.7] },
    geoms: [{ type: 'capsule', radius: 0.04, halfLength: 0.1, pos: [0, 0, 0.1], rgb: LINK_GREY, name: 'forearm' }],
  },
  {
    name: 'forearm_roll_link', parent: 'forearm_link',
    joint: { name: 'forearm_roll', type: 'revolute', axis: [0, 0, 1], origin: [0, 0, 0.2], limits: [-2.9, 2.9] },
    geoms: [{ type: 'capsule', radius: 0.035, halfLength: 0.085, pos: [0, 0, 0.085], rgb: JOINT_DARK, name: 'forearm_roll' }],
  },
  {
    name: 'wrist_link', parent: 'forearm_roll_link',
    joint: { name: 'wrist_pitch', type: 'revolute', axis: [0, 1, 0], origin: [0, 0, 0.17], limits: [-2.3, 2.3] },
    geoms: [{ type: 'capsule', radius: 0.03, halfLength: 0.03, pos: [0, 0, 0.03], rgb: LINK_GREY, name: 'wrist' }],
  },
  {
    name: 'tool_link', parent: 'wrist_link',
    joint: { name: 'wrist_roll', type: 'revolute', axis: [0, 0, 1], origin: [0, 0, 0.06], limits: [-2.9, 2.9] },
    geoms: [
      { type: 'cylinder', radius: 0.035, halfLength: 0.005, pos: [0, 0, 0.005], rgb: GRIPPER_RGB, name: 'flange' },
      { type: 'box', halfSize: [0.025, 0.065, 0.015], pos: [0, 0, 0.025], rgb: GRIPPER_RGB, name: 'palm' },
    ],
  },
  // The end-effector frame: palm centre, z along the fingers, fingers open along y.
  { name: EE_FRAME, parent: 'tool_link', origin: [0, 0, 0.025], geoms: [] },
  {
    name: 'left_finger', parent: 'tool_link',
    joint: { name: 'finger_left', type: 'prismatic', axis: [0, 1, 0], origin: [0, 0, 0.04], limits: [0, FINGER_OPEN] },
    geoms: [{ type: 'box', halfSize: [0.012, 0.006, 0.025], pos: [0, 0.006, 0.025], rgb: GRIPPER_RGB, name: 'finger_left' }],
  },
  {
    name: 'right_finger', parent: 'tool_link',
    joint: { name: 'finger_right', type: 'prismatic', axis: [0, -1, 0], origin: [0, 0, 0.04], limits: [0, FINGER_OPEN] },
    geoms: [{ type: 'box', halfSize: [0.012, 0.006, 0.025], pos: [0, -0.006, 0.025], rgb: GRIPPER_RGB, name: 'finger_right' }],
  },
];

/** Joint angles that put the gripper about 0.3 m above the table, pointing down (refined by IK at load). */
export const HOME_GUESS = [0, 0.35, 1.75, 0, 1.04, 0];

const f = (xs: readonly number[]): string => xs.map((x) => +x.toFixed(6)).join(' ');

function mjcfGeom(g: PrimitiveGeom, prefix: string): string {
  const common = `name="${prefix}:${g.name}" pos="${f(g.pos)}" rgba="${f(g.rgb)} 1"`;
  switch (g.type) {
    case 'box': return `<geom type="box" size="${f(g.halfSize)}" ${common}/>`;
    case 'sphere': return `<geom type="sphere" size="${g.radius}" ${common}/>`;
    default: return `<geom type="${g.type}" size="${g.radius} ${g.halfLength}" ${common}/>`;
  }
}

/** MJCF worldbody fragment of the arm (bodies nested like the kinematic tree). */
export function armMjcf(): string {
  const children = (parent: string): ArmLink[] => ARM_LINKS.filter((l) => l.parent === parent);
  const emit = (link: ArmLink, indent: string): string => {
    if (!link.joint && link.parent) {
      return `${indent}<site name="${link.name}" pos="${f(link.origin ?? [0, 0, 0])}" size="0.005" rgba="1 0 0 0"/>\n`;
    }
    const pos = link.joint ? link.joint.origin : [0, 0, 0];
    const isFinger = link.joint?.type === 'prismatic';
    const prefix = link.name === 'tool_link' || isFinger ? 'gripper' : 'arm';
    let s = `${indent}<body name="${link.name}" pos="${f(pos)}" gravcomp="1">\n`;
    if (link.joint) {
      const j = link.joint;
      const kind = j.type === 'revolute' ? 'hinge' : 'slide';
      s += `${indent}  <joint name="${j.name}" type="${kind}" axis="${f(j.axis)}" range="${f(j.limits)}" ${isFinger ? 'damping="2" armature="0.01"' : 'damping="2" armature="0.05"'}/>\n`;
    }
    for (const g of link.geoms) s += `${indent}  ${mjcfGeom(g, prefix).replace('/>', isFinger ? ' friction="1.5 0.02 0.001" condim="4" mass="0.05"/>' : ' density="700"/>')}\n`;
    for (const c of children(link.name)) s += emit(c, indent + '  ');
    return s + `${indent}</body>\n`;
  };
  return emit(ARM_LINKS[0], '    ');
}

/** Position servos: stiff for the arm, softer and force-limited for the fingers (a compliant grasp). */
export function armActuatorsMjcf(): string {
  const arm = ARM_JOINTS.map((j, i) => `<position name="${j}" joint="${j}" kp="${i < 3 ? 1500 : 400}" kv="${i < 3 ? 120 : 30}" ctrlrange="-3 3"/>`);
  const fingers = FINGER_JOINTS.map((j) => `<position name="${j}" joint="${j}" kp="400" kv="10" ctrlrange="0 ${FINGER_OPEN}" forcerange="-25 25"/>`);
  return [...arm, ...fingers].map((s) => `    ${s}`).join('\n');
}

/** The same arm as a URDF string (primitives only; loads in urdf-loader and robot_state_publisher). */
export function armUrdf(): string {
  const origin = (xyz: readonly number[]) => `<origin xyz="${f(xyz)}" rpy="0 0 0"/>`;
  const material = (rgb: Rgb) => `<material name="c${rgb.map((c) => Math.round(c * 255)).join('_')}"><color rgba="${f(rgb)} 1"/></material>`;
  const visual = (g: PrimitiveGeom): string[] => {
    if (g.type === 'box') return [`<visual>${origin(g.pos)}<geometry><box size="${f(g.halfSize.map((h) => 2 * h))}"/></geometry>${material(g.rgb)}</visual>`];
    if (g.type === 'sphere') return [`<visual>${origin(g.pos)}<geometry><sphere radius="${g.radius}"/></geometry>${material(g.rgb)}</visual>`];
    const cyl = `<visual>${origin(g.pos)}<geometry><cylinder radius="${g.radius}" length="${2 * g.halfLength}"/></geometry>${material(g.rgb)}</visual>`;
    if (g.type === 'cylinder') return [cyl];
    // URDF has no capsule: a cylinder with two spheres is the same shape.
    const caps = [-1, 1].map((s) => `<visual>${origin([g.pos[0], g.pos[1], g.pos[2] + s * g.halfLength])}<geometry><sphere radius="${g.radius}"/></geometry>${material(g.rgb)}</visual>`);
    return [cyl, ...caps];
  };
  const lines: string[] = ['<?xml version="1.0"?>', '<robot name="path_studio_arm">'];
  for (const link of ARM_LINKS) {
    lines.push(`  <link name="${link.name}">`, ...link.geoms.flatMap(visual).map((v) => `    ${v}`), '  </link>');
    if (!link.parent) continue;
    if (link.joint) {
      const j = link.joint;
      lines.push(
        `  <joint name="${j.name}" type="${j.type}">`,
        `    <parent link="${link.parent}"/><child link="${link.name}"/>`,
        `    ${origin(j.origin)}<axis xyz="${f(j.axis)}"/>`,
        `    <limit lower="${j.limits[0]}" upper="${j.limits[1]}" effort="100" velocity="${j.type === 'revolute' ? 2 : 0.2}"/>`,
        '  </joint>',
      );
    } else {
      lines.push(`  <joint name="${link.name}_fixed" type="fixed"><parent link="${link.parent}"/><child link="${link.name}"/>${origin(link.origin ?? [0, 0, 0])}</joint>`);
    }
  }
  lines.push('</robot>');
  return lines.join('\n');
}
