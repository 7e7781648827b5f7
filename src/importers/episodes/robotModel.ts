/**
 * The robot of a forward-kinematics import, stored with each episode so the player can pose it:
 * the URDF text, its meshes as assets (content-addressed: stored once for every episode) and the
 * joint values per frame, converted to the URDF's units here, where the FK plan is known.
 */
import type { StoredRobotModel } from '../../storage/episodes';
import type { AssetRecord } from '../../storage/types';
import { toJointValue, type FkPlan } from './kinematics';

/** The URDF folder the user picked for forward kinematics. */
export interface RobotFiles {
  urdf: string;
  /** Path relative to the URDF's folder → file. */
  meshFiles: Map<string, File>;
  tip: string;
}

const MESH_FILE = /\.(stl|dae)$/i;
/** Meshes above this (all together) are not copied: the player then shows the trail without the arm. */
export const MAX_ROBOT_MESH_BYTES = 100e6;

/** The folder's mesh files as assets, and the path → asset id map the player resolves them with. */
export async function robotMeshAssets(robot: RobotFiles, hash: (blob: Blob) => Promise<string>): Promise<{ assets: AssetRecord[]; meshes: Record<string, string>; problem?: string }> {
  const files = [...robot.meshFiles].filter(([path]) => MESH_FILE.test(path));
  const bytes = files.reduce((sum, [, f]) => sum + f.size, 0);
  if (bytes > MAX_ROBOT_MESH_BYTES) {
    return { assets: [], meshes: {}, problem: `The URDF's meshes (${Math.round(bytes / 1e6)} MB) were not copied into the studio; the player shows the end-effector trail without the arm.` };
  }
  const assets: AssetRecord[] = [];
  const meshes: Record<string, string> = {};
  for (const [path, file] of files) {
    const id = await hash(file);
    meshes[path] = id;
    const mime = /\.stl$/i.test(path) ? 'model/stl' : 'model/vnd.collada+xml';
    assets.push({ id, blob: file, mime, size: file.size, width: 0, height: 0, createdAt: Date.now() });
  }
  return { assets, meshes };
}

/** The stored model for one episode: the joints the plan drives and their values per frame. */
export function storedRobotModel(robot: RobotFiles, meshes: Record<string, string>, plan: FkPlan, states: readonly (readonly number[])[]): StoredRobotModel {
  const joints = plan.columns.map((c) => c.joint);
  const values = new Float32Array(states.length * joints.length);
  states.forEach((row, i) => plan.columns.forEach((c, j) => (values[i * joints.length + j] = toJointValue(row[c.index], plan.units, plan.joints[c.joint]))));
  return { urdf: robot.urdf, meshes, tip: robot.tip, joints, values };
}
