/** The end-effector trajectories of chosen episodes, for the import screen's 3D view: tracks and their extents. */
import type { Vec3 } from '../../core/camera/projection';
import { endEffectorPositions, type EeSource } from '../../importers/episodes/importEpisodes';
import { toJointValue, type FkPlan } from '../../importers/episodes/kinematics';
import type { EpisodeSource } from '../../importers/episodes/source';

/** The 3D view draws at most this many episodes. */
export const TRAJECTORY_LIMIT = 50;

export interface TrajectoryStats {
  episode: number;
  frames: number;
  lengthM: number;
  reachMin: number;
  reachMax: number;
  zMin: number;
  zMax: number;
}

export interface Trajectories {
  tracks: { name: string; points: Vec3[] }[];
  stats: TrajectoryStats[];
  /** The state at the first frame of the first episode (to pose the robot there). */
  firstState: number[] | null;
}

function statsOf(episode: number, pts: Vec3[]): TrajectoryStats {
  let lengthM = 0;
  for (let i = 1; i < pts.length; i++) lengthM += Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1], pts[i][2] - pts[i - 1][2]);
  const reach = pts.map((p) => Math.hypot(...p));
  const z = pts.map((p) => p[2]);
  return { episode, frames: pts.length, lengthM, reachMin: Math.min(...reach), reachMax: Math.max(...reach), zMin: Math.min(...z), zMax: Math.max(...z) };
}

/** Reads the first TRAJECTORY_LIMIT of `episodes` and their end-effector tracks. */
export async function readTrajectories(source: EpisodeSource, ee: EeSource, episodes: readonly number[]): Promise<Trajectories> {
  const tracks: Trajectories['tracks'] = [];
  let firstState: number[] | null = null;
  for (const e of episodes.slice(0, TRAJECTORY_LIMIT)) {
    const table = await source.readEpisode(e);
    firstState ??= table.states[0];
    tracks.push({ name: `episode ${e}`, points: endEffectorPositions(table, ee) });
  }
  return { tracks, stats: tracks.map((t, i) => statsOf(episodes[i], t.points)), firstState };
}

/** The URDF joint values (radians or metres) of one state vector under an FK plan. */
export function jointValuesAt(plan: FkPlan, state: readonly number[]): Record<string, number> {
  return Object.fromEntries(plan.columns.map((c) => [c.joint, toJointValue(state[c.index], plan.units, plan.joints[c.joint])]));
}
