/**
 * Builds the MJCF of a scene: table, arm, objects. Names are the contract with the rest of the sim:
 * body `obj:<id>`, geoms `obj:<id>:<part>`, arm geoms `arm:*`, gripper geoms `gripper:*`,
 * the end-effector site `ee_link`, the button cap joint `obj:<id>:press`.
 */
import { armActuatorsMjcf, armMjcf } from './arm.ts';
import { SHAPE_DEFAULT_SIZE, type SceneObject, type SceneSpec } from './types.ts';

/** Table top is z = 0; the table reaches from behind the arm base to past the workspace. */
export const TABLE = { center: [0.35, 0, -0.025] as const, halfSize: [0.65, 0.75, 0.025] as const };
export const PHYSICS_TIMESTEP = 0.002;

const f = (xs: readonly number[]): string => xs.map((x) => +x.toFixed(6)).join(' ');

export function objectSize(obj: SceneObject): number[] {
  return obj.size && obj.size.length >= SHAPE_DEFAULT_SIZE[obj.shape].length ? obj.size : SHAPE_DEFAULT_SIZE[obj.shape];
}

/** Height of an object's body origin above the table when it rests upright. */
export function restingHeight(obj: SceneObject): number {
  const s = objectSize(obj);
  switch (obj.shape) {
    case 'cube': return s[0];
    case 'block': return s[2];
    case 'cylinder': case 'bottle': case 'can': return s[1];
    default: return 0;
  }
}

function objectMjcf(obj: SceneObject): string {
  const s = objectSize(obj);
  const rgba = `${f(obj.rgb)} 1`;
  const name = `obj:${obj.id}`;
  const yaw = obj.yaw ?? 0;
  const pos = [obj.position[0], obj.position[1], restingHeight(obj)];
  const bodyOpen = (extra = '') => `    <body name="${name}" pos="${f(pos)}" euler="0 0 ${+yaw.toFixed(6)}"${extra}>`;
  const free = `      <freejoint name="${name}:free"/>`;
  const dyn = 'friction="1 0.01 0.001" condim="4"';
  switch (obj.shape) {
    case 'cube':
      return [bodyOpen(), free, `      <geom name="${name}:body" type="box" size="${f([s[0], s[0], s[0]])}" rgba="${rgba}" mass="0.05" ${dyn}/>`, '    </body>'].join('\n');
    case 'block':
      return [bodyOpen(), free, `      <geom name="${name}:body" type="box" size="${f(s.slice(0, 3))}" rgba="${rgba}" mass="0.05" ${dyn}/>`, '    </body>'].join('\n');
    case 'cylinder':
    case 'can':
      return [bodyOpen(), free, `      <geom name="${name}:body" type="cylinder" size="${f([s[0], s[1]])}" rgba="${rgba}" mass="${obj.shape === 'can' ? 0.08 : 0.05}" ${dyn}/>`, '    </body>'].join('\n');
    case 'bottle':
      return [
        bodyOpen(), free,
        `      <geom name="${name}:body" type="cylinder" size="${f([s[0], s[1]])}" rgba="${rgba}" mass="0.08" ${dyn}/>`,
        `      <geom name="${name}:neck" type="cylinder" pos="0 0 ${+(s[1] + 0.02).toFixed(4)}" size="${f([s[0] * 0.45, 0.02])}" rgba="${rgba}" mass="0.01" ${dyn}/>`,
        '    </body>',
      ].join('\n');
    case 'plate':
      return [bodyOpen(), `      <geom name="${name}:body" type="cylinder" pos="0 0 ${s[1]}" size="${f([s[0], s[1]])}" rgba="${rgba}"/>`, '    </body>'].join('\n');
    case 'bowl': {
      // A flat bottom and a ring of wall slabs: a concave container from primitives.
      const [r, h] = s;
      const slabs = 14;
      const half = Math.tan(Math.PI / slabs) * r + 0.002;
      const walls = Array.from({ length: slabs }, (_, i) => {
        const a = (2 * Math.PI * i) / slabs;
        return `      <geom name="${name}:wall${i}" type="box" pos="${f([Math.cos(a) * r, Math.sin(a) * r, h / 2])}" euler="0 0 ${+a.toFixed(6)}" size="${f([0.004, half, h / 2])}" rgba="${rgba}"/>`;
      });
      return [bodyOpen(), `      <geom name="${name}:bottom" type="cylinder" pos="0 0 0.003" size="${f([r, 0.003])}" rgba="${rgba}"/>`, ...walls, '    </body>'].join('\n');
    }
    case 'button':
      return [
        bodyOpen(),
        `      <geom name="${name}:base" type="box" pos="0 0 0.012" size="0.04 0.04 0.012" rgba="0.2 0.2 0.22 1"/>`,
        `      <body name="${name}:cap" pos="0 0 0.024">`,
        `        <joint name="${name}:press" type="slide" axis="0 0 1" range="-0.012 0" stiffness="150" springref="0" damping="1" limited="true"/>`,
        `        <geom name="${name}:cap" type="cylinder" pos="0 0 0.008" size="${f([s[0], 0.008])}" rgba="${rgba}" mass="0.02"/>`,
        '        </body>',
        '    </body>',
      ].join('\n');
  }
}

export function buildSceneMjcf(scene: SceneSpec): string {
  const t = scene.look.tableRgb;
  return `<mujoco model="path_studio_tabletop">
  <compiler angle="radian" autolimits="true"/>
  <option timestep="${PHYSICS_TIMESTEP}" integrator="implicitfast" cone="elliptic" impratio="5"/>
  <worldbody>
    <geom name="floor" type="plane" pos="0 0 -0.75" size="3 3 0.1" rgba="0.35 0.35 0.38 1"/>
    <geom name="table" type="box" pos="${f(TABLE.center)}" size="${f(TABLE.halfSize)}" rgba="${f(t)} 1" friction="0.8 0.01 0.001"/>
${armMjcf()}${scene.objects.map(objectMjcf).join('\n')}
  </worldbody>
  <actuator>
${armActuatorsMjcf()}
  </actuator>
</mujoco>
`;
}
