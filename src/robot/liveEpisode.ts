/**
 * The layout of a recorded live episode inside `EpisodeRecord.data` (docs/LIVE.md, Episode layout): per-step
 * arrays (LeRobot-like: one frame = one control step = one action), frames as asset ids, the
 * paths the run followed, intervention segments and the outcome. `status` stays `recording` until
 * the run ends, so an episode cut short by a crash is kept and shown as incomplete.
 */
import type { Path } from '../core/path';

export const LIVE_EPISODE_FORMAT = 'path-studio/live-episode@1';

export interface LivePathEntry {
  version: number;
  source: 'planner' | 'operator';
  /** The first step that used this path. */
  atStep: number;
  path: Path;
}

export interface InterventionSegment {
  /** First step under operator control. */
  start: number;
  /** First step handed back to the model (exclusive); null while still intervening / until the end. */
  end: number | null;
}

export interface LiveEpisodeCamera {
  width: number;
  height: number;
  /** Row-major 3×3. */
  K: number[][];
  /** Row-major 4×4, base_link → camera optical frame (as docs/SIM.md's calibration block). */
  worldToCamera?: number[][];
}

export interface LiveEpisodeData {
  format: typeof LIVE_EPISODE_FORMAT;
  status: 'recording' | 'complete';
  mode: 'model' | 'teleop';
  instruction: string;
  robot: { name: string; url: string };
  /** The robot's /robot_description and its end-effector link, so the player can pose the arm (not a URDF loaded from a folder: its meshes are not stored). */
  robotModel?: { urdf: string; tip: string };
  fps: number;
  models?: { planner?: string; policy?: string };
  stateNames: string[];
  actionNames: string[];
  camera?: LiveEpisodeCamera;
  /** Per step: asset id of the frame the step used ('' when there was none). */
  frames: string[];
  states: number[][];
  actions: number[][];
  /** Seconds since the start. */
  timestamps: number[];
  sources: ('policy' | 'teleop')[];
  latencyMs: (number | null)[];
  paths: LivePathEntry[];
  interventions: InterventionSegment[];
  /** From the robot's success topic, or the operator's verdict; null = unknown. */
  success: boolean | null;
  outcomeBy: 'robot' | 'operator' | null;
  startedAt: number;
  endedAt?: number;
  /** Why it ended: stopped, e-stop, disconnected, finished… */
  endReason?: string;
  metrics?: Record<string, unknown>;
  /** The Library sample made from this episode (first frame + path). */
  sampleId?: string;
}

export const ACTION_NAMES = ['ee.dx', 'ee.dy', 'ee.dz', 'gripper'];

export function isLiveEpisode(data: Record<string, unknown>): data is Record<string, unknown> & LiveEpisodeData {
  return data.format === LIVE_EPISODE_FORMAT;
}
