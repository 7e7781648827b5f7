/**
 * What the studio exchanges with a robot (docs/LIVE.md, Robot topics), independent of the wire protocol.
 * `RobotLink` is the one interface over a live robot (rosbridge) and a recorded source (fixtures),
 * in the spirit of Lichtblick's `Player`: the console never knows which one it talks to.
 */

import type { Vec3 } from '../core/vec3';

export type { Vec3 };
/** Quaternion as ROS sends it: x, y, z, w. */
export type Quat = [number, number, number, number];

/** End-effector velocity in the robot base frame (m/s, rad/s). */
export interface Twist {
  linear: Vec3;
  angular: Vec3;
}

export const ZERO_TWIST: Twist = Object.freeze({ linear: [0, 0, 0], angular: [0, 0, 0] }) as Twist;

export interface CameraFrame {
  /** Encoded image bytes (JPEG or PNG). */
  data: Uint8Array;
  format: string;
  /** Header stamp, ms since the Unix epoch (robot clock). */
  stampMs: number;
  /** `performance.now()` when the studio received it. */
  receivedAt: number;
  /** Counts frames since connect (for dropped-frame accounting). */
  seq: number;
}

export interface CameraInfo {
  width: number;
  height: number;
  /** Row-major 3×3 intrinsics. */
  k: number[];
  frameId: string;
}

export interface DepthImage {
  width: number;
  height: number;
  /** Metres along the optical axis, 0 = nothing. */
  depth: Float32Array;
  receivedAt: number;
}

export interface JointStates {
  names: string[];
  positions: number[];
  receivedAt: number;
}

export interface FrameTransform {
  parent: string;
  child: string;
  translation: Vec3;
  rotation: Quat;
}

export type LinkState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface LinkStatus {
  state: LinkState;
  url: string;
  /** Human-readable reason of the last drop or failure. */
  error?: string;
  /** Reconnect attempt number (0 while connected). */
  attempt: number;
  /** `performance.now()` of the next reconnect attempt while reconnecting. */
  nextRetryAt?: number;
  /** `performance.now()` of the last state change. */
  since: number;
  /** `performance.now()` when the connection was lost (kept through the reconnect attempts). */
  lostAt?: number;
}

/** Counters every link keeps; the console shows them and the tests read them. */
export interface LinkCounters {
  received: number;
  /** Messages whose shape did not match their topic's type (dropped, never thrown). */
  malformed: number;
  /** Messages larger than the profile's limit (dropped before decoding when possible). */
  oversized: number;
  sentTwists: number;
  sentGrippers: number;
  /** Commands refused because the link was not connected (never queued for later). */
  refusedCommands: number;
  /**
   * Motion commands (non-zero twists, gripper targets) withheld because the robot had been silent
   * longer than the profile's `motionTimeoutMs`, or the socket had not drained its last send.
   */
  withheldMotion: number;
  /** The longest robot silence (ms) at the moment a motion command was still sent (≤ motionTimeoutMs). */
  maxSilenceAtMotionMs: number;
}

export interface ResetRequest {
  seed?: number;
  tasks?: string[];
  split?: 'train' | 'heldout';
}

export interface ResetResponse {
  seed: number;
  task: string;
  instruction: string;
}

export interface LinkEvents {
  status: LinkStatus;
  frame: CameraFrame;
  cameraInfo: CameraInfo;
  depth: DepthImage;
  jointStates: JointStates;
  /** Dynamic transforms (`/tf`). */
  tf: FrameTransform[];
  /** Static transforms (`/tf_static`): camera mount etc. */
  tfStatic: FrameTransform[];
  robotDescription: string;
  instruction: string;
  success: boolean;
  /** The robot has sent nothing for the profile's `silenceStopMs` while connected (ms of silence). */
  silence: number;
}

export type Unsubscribe = () => void;

export interface RobotLink {
  readonly status: LinkStatus;
  readonly counters: LinkCounters;
  connect(): void;
  /** Sends zero velocity first (if it can), then closes; no automatic reconnect afterwards. */
  disconnect(): void;
  on<K extends keyof LinkEvents>(event: K, handler: (value: LinkEvents[K]) => void): Unsubscribe;
  /** Returns false (and counts it) when not connected: commands are never queued for later. */
  sendTwist(twist: Twist): boolean;
  sendGripper(closed01: number): boolean;
  /** Task reset, where the robot offers one (the sim's `/sim/reset`). */
  reset?(req: ResetRequest): Promise<ResetResponse>;
}
