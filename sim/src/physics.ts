/**
 * MuJoCo (official WASM build) behind a small typed facade: load an MJCF string, step, read poses,
 * site Jacobians and the geoms the renderer draws. The WASM module loads once per process.
 */
import loadMujoco from 'mujoco-js';
import type { Mat3, Vec3 } from './math.ts';

/* The mujoco-js typings type most arrays as `any`; this is the part of the API we use. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type MujocoModule = any;
type MjModel = any;
type MjData = any;
/* eslint-enable @typescript-eslint/no-explicit-any */

let modulePromise: Promise<MujocoModule> | null = null;
let fileCounter = 0;

async function mujoco(): Promise<MujocoModule> {
  if (!modulePromise) {
    modulePromise = loadMujoco().then((mj: MujocoModule) => {
      mj.FS.mkdir('/scenes');
      mj.FS.mount(mj.MEMFS, { root: '.' }, '/scenes');
      return mj;
    });
  }
  return modulePromise;
}

/** MuJoCo geom type codes (mjtGeom). */
export const GeomType = { plane: 0, hfield: 1, sphere: 2, capsule: 3, ellipsoid: 4, cylinder: 5, box: 6, mesh: 7 } as const;
const OBJ_BODY = 1, OBJ_JOINT = 3, OBJ_GEOM = 5, OBJ_SITE = 6, OBJ_ACTUATOR = 19;

export interface GeomInfo {
  id: number;
  name: string;
  type: number;
  /** MuJoCo size triple (meaning depends on type). */
  size: Vec3;
  rgba: [number, number, number, number];
}

export class Physics {
  readonly geoms: GeomInfo[];
  readonly timestep: number;
  private readonly jacp: MujocoModule;
  private readonly jacr: MujocoModule;
  /** A second MjData for kinematics at hypothetical joint angles (IK), never stepped. */
  private readonly shadow: MjData;

  private constructor(private readonly mj: MujocoModule, private readonly model: MjModel, private readonly data: MjData) {
    this.shadow = new mj.MjData(model);
    this.timestep = model.opt.timestep;
    const size = model.geom_size as Float64Array, rgba = model.geom_rgba as Float32Array, type = model.geom_type as Int32Array;
    this.geoms = Array.from({ length: model.ngeom as number }, (_, id) => ({
      id,
      name: mj.mj_id2name(model, OBJ_GEOM, id) ?? '',
      type: type[id],
      size: [size[3 * id], size[3 * id + 1], size[3 * id + 2]] as Vec3,
      rgba: [rgba[4 * id], rgba[4 * id + 1], rgba[4 * id + 2], rgba[4 * id + 3]] as [number, number, number, number],
    }));
    this.jacp = new mj.DoubleBuffer(3 * model.nv);
    this.jacr = new mj.DoubleBuffer(3 * model.nv);
    mj.mj_forward(model, data);
  }

  static async fromXml(xml: string): Promise<Physics> {
    const mj = await mujoco();
    const path = `/scenes/scene_${process.pid}_${fileCounter++}.xml`;
    mj.FS.writeFile(path, xml);
    try {
      const model = mj.MjModel.loadFromXML(path);
      return new Physics(mj, model, new mj.MjData(model));
    } finally {
      mj.FS.unlink(path);
    }
  }

  get nv(): number { return this.model.nv; }
  get time(): number { return this.data.time; }

  step(n = 1): void {
    for (let i = 0; i < n; i++) this.mj.mj_step(this.model, this.data);
  }

  /** Recomputes positions (and everything derived) after qpos was set by hand. */
  forward(): void {
    this.mj.mj_forward(this.model, this.data);
  }

  id(kind: 'body' | 'joint' | 'geom' | 'site' | 'actuator', name: string): number {
    const code = { body: OBJ_BODY, joint: OBJ_JOINT, geom: OBJ_GEOM, site: OBJ_SITE, actuator: OBJ_ACTUATOR }[kind];
    const id = this.mj.mj_name2id(this.model, code, name);
    if (id < 0) throw new Error(`MuJoCo model has no ${kind} named "${name}"`);
    return id;
  }

  jointQposAddress(jointId: number): number { return (this.model.jnt_qposadr as Int32Array)[jointId]; }
  jointDofAddress(jointId: number): number { return (this.model.jnt_dofadr as Int32Array)[jointId]; }

  /** Live views into MuJoCo memory (re-read each call: the WASM heap may move). */
  get qpos(): Float64Array { return this.data.qpos; }
  get qvel(): Float64Array { return this.data.qvel; }
  get ctrl(): Float64Array { return this.data.ctrl; }

  sitePosition(siteId: number): Vec3 {
    const p = this.data.site_xpos as Float64Array;
    return [p[3 * siteId], p[3 * siteId + 1], p[3 * siteId + 2]];
  }
  siteRotation(siteId: number): Mat3 {
    return Array.from((this.data.site_xmat as Float64Array).subarray(9 * siteId, 9 * siteId + 9));
  }
  bodyPosition(bodyId: number): Vec3 {
    const p = this.data.xpos as Float64Array;
    return [p[3 * bodyId], p[3 * bodyId + 1], p[3 * bodyId + 2]];
  }
  bodyRotation(bodyId: number): Mat3 {
    return Array.from((this.data.xmat as Float64Array).subarray(9 * bodyId, 9 * bodyId + 9));
  }
  /** World poses of all geoms: positions (3 per geom) and row-major rotations (9 per geom). */
  geomPoses(): { xpos: Float64Array; xmat: Float64Array } {
    return { xpos: this.data.geom_xpos, xmat: this.data.geom_xmat };
  }

  /**
   * Site pose and Jacobian with some qpos entries replaced (the rest as in the live state);
   * the live simulation is untouched.
   */
  siteAt(siteId: number, overrides: ReadonlyArray<readonly [qposAddress: number, value: number]>): { pos: Vec3; rot: Mat3; jacp: Float64Array; jacr: Float64Array } {
    const q = this.shadow.qpos as Float64Array;
    q.set(this.data.qpos as Float64Array);
    for (const [adr, value] of overrides) q[adr] = value;
    this.mj.mj_kinematics(this.model, this.shadow);
    this.mj.mj_comPos(this.model, this.shadow);
    this.mj.mj_jacSite(this.model, this.shadow, this.jacp, this.jacr, siteId);
    const p = this.shadow.site_xpos as Float64Array;
    return {
      pos: [p[3 * siteId], p[3 * siteId + 1], p[3 * siteId + 2]],
      rot: Array.from((this.shadow.site_xmat as Float64Array).subarray(9 * siteId, 9 * siteId + 9)),
      jacp: Float64Array.from(this.jacp.GetView()),
      jacr: Float64Array.from(this.jacr.GetView()),
    };
  }

  dispose(): void {
    this.shadow.delete();
    this.jacp.delete();
    this.jacr.delete();
    this.data.delete();
    this.model.delete();
  }
}
