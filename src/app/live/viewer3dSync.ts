/**
 * What the Live 3D view shows, pulled from the session at the view's pace (30 Hz) rather than on
 * each message: the robot from /robot_description, joints, end effector, the camera's frustum,
 * and the path lifted into 3D where the depth image knows the surface under it. Headless: the
 * view is passed in as the few methods used, so the three.js class stays a plain view.
 */
import type { Path } from '../../core/path';
import { resamplePath } from '../../core/resample';
import { depthAt, liftPoint, transformToMat4 } from '../../robot/cameraGeometry';
import type { LiveSession } from '../../robot/liveSession';
import type { LiftedWaypoint } from '../../viewer3d/pathLayer';
import { errorMessage } from '../../core/errorMessage';

export interface SyncedView {
  loadRobot(urdf: string): { joints: string[] };
  setDriving(driving: boolean): void;
  setJoints(names: string[], positions: number[]): void;
  setEndEffector(p: [number, number, number]): void;
  setCamera(k: number[], width: number, height: number, pose: number[]): void;
  setPath(path: LiftedWaypoint[]): void;
}

/** Waypoints the path is resampled to before lifting: enough for a smooth tube in 3D. */
const LIFTED_POINTS = 40;

export class Viewer3dSync {
  private loadedUrdf: string | null = null;
  private cameraKey = '';
  private liftKey = '';

  constructor(private readonly session: LiveSession, private readonly onRobotNote: (note: string) => void) {}

  /** One look at the session; only what changed is passed to the view. */
  tick(view: SyncedView, path: Path | null): void {
    const session = this.session;
    if (session.robotDescription && session.robotDescription !== this.loadedUrdf && !session.customUrdf) {
      this.loadedUrdf = session.robotDescription;
      try {
        const { joints } = view.loadRobot(this.loadedUrdf);
        this.onRobotNote(`URDF from /robot_description · ${joints.length} joints`);
      } catch (err) {
        this.onRobotNote(`URDF could not be read: ${errorMessage(err)}`);
      }
    }
    view.setDriving(session.loop.mode !== 'idle');
    const s = session.state;
    if (s.joints.size) view.setJoints([...s.joints.keys()], [...s.joints.values()]);
    if (s.ee) view.setEndEffector(s.ee);
    const info = session.cameraInfo, mount = info ? s.staticFrames.get(info.frameId) : undefined;
    if (info && mount) {
      const key = JSON.stringify([info.k, mount.translation, mount.rotation]);
      if (key !== this.cameraKey) {
        this.cameraKey = key;
        view.setCamera(info.k, info.width, info.height, transformToMat4(mount));
      }
    }
    const depth = session.depth;
    const key = `${JSON.stringify(path)}|${depth?.receivedAt ?? 0}|${this.cameraKey}`;
    if (key === this.liftKey) return;
    this.liftKey = key;
    if (!path || path.points.length < 2 || !depth || !info || !mount) return view.setPath([]);
    let last = 0;
    view.setPath(resamplePath(path, LIFTED_POINTS).points.map((w) => {
      const d = depthAt(depth.depth, depth.width, depth.height, w.x, w.y);
      const known = d > 0;
      if (known) last = d;
      // Where the depth is unknown, the last known depth (or 1 m) keeps the tube continuous.
      return { position: liftPoint(w.x, w.y, known ? d : last || 1, info.k, mount, depth.width, depth.height), gripper: w.gripper, known };
    }));
  }
}
