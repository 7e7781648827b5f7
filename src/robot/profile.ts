/**
 * A robot profile: where the rosbridge server is and which topics the robot uses (docs/LIVE.md,
 * Robot topics: the defaults, every name configurable), plus the studio-side limits.
 */
import { DEFAULT_LIMITS, type VelocityLimits, type Workspace } from './safety';

export interface RobotTopics {
  image: string;
  cameraInfo: string;
  /** Optional: lifts the 2D path into 3D. Empty = not subscribed. */
  depth: string;
  jointStates: string;
  tf: string;
  tfStatic: string;
  robotDescription: string;
  twist: string;
  gripper: string;
  /** Optional task topics (the sim's); empty = none. */
  instruction: string;
  success: string;
}

export interface RobotProfile {
  id: string;
  name: string;
  url: string;
  topics: RobotTopics;
  /** `/sim/reset`-style service; empty = the robot has none. */
  resetService: string;
  baseFrame: string;
  eeFrame: string;
  limits: VelocityLimits;
  workspace?: Workspace;
  /** Larger incoming messages are dropped and counted. */
  maxMessageBytes: number;
  /**
   * Motion is withheld once the robot has been silent this long (ms): a frozen robot process
   * still accepts bytes into its socket and would act on them, late, when it resumes.
   */
  motionTimeoutMs: number;
  /** A run stops (nothing moves until the operator starts again) after this long without a message (ms). */
  silenceStopMs: number;
}

export const DEFAULT_TOPICS: RobotTopics = {
  image: '/camera/color/image_raw/compressed',
  cameraInfo: '/camera/color/camera_info',
  depth: '/camera/depth/image_raw',
  jointStates: '/joint_states',
  tf: '/tf',
  tfStatic: '/tf_static',
  robotDescription: '/robot_description',
  twist: '/servo_node/delta_twist_cmds',
  gripper: '/gripper_cmd',
  instruction: '/sim/task/instruction',
  success: '/sim/task/success',
};

export const SIM_PROFILE: RobotProfile = {
  id: 'sim',
  name: 'Simulator (localhost)',
  url: 'ws://localhost:9090',
  topics: DEFAULT_TOPICS,
  resetService: '/sim/reset',
  baseFrame: 'base_link',
  eeFrame: 'ee_link',
  limits: DEFAULT_LIMITS,
  // Slightly inside the sim's own box (docs/SIM.md): the studio clamps first.
  workspace: { min: [0.16, -0.54, 0.075], max: [0.84, 0.54, 0.64] },
  maxMessageBytes: 4 * 1024 * 1024,
  motionTimeoutMs: 250,
  silenceStopMs: 1000,
};

/** Checks a profile (from the form or an imported JSON) and lists every problem in words. */
export function validateProfile(p: unknown): { ok: true; profile: RobotProfile } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  if (typeof p !== 'object' || p === null) return { ok: false, errors: ['the profile must be an object'] };
  const r = p as Partial<RobotProfile>;
  if (typeof r.name !== 'string' || !r.name.trim()) errors.push('name is empty');
  if (typeof r.url !== 'string' || !/^wss?:\/\/[^\s/]+/.test(r.url)) errors.push(`URL "${String(r.url)}" is not a ws:// or wss:// address`);
  const topics = r.topics as Partial<RobotTopics> | undefined;
  const required: (keyof RobotTopics)[] = ['image', 'jointStates', 'twist', 'gripper'];
  for (const key of Object.keys(DEFAULT_TOPICS) as (keyof RobotTopics)[]) {
    const v = topics?.[key];
    if (typeof v !== 'string') errors.push(`topic "${key}" is missing`);
    else if (v && !/^\/?[A-Za-z_][\w/]*$/.test(v)) errors.push(`topic "${key}" = "${v}" is not a valid ROS name`);
    else if (!v && required.includes(key)) errors.push(`topic "${key}" is required`);
  }
  const lim = r.limits;
  if (!lim || !(lim.maxLinear > 0 && lim.maxLinear <= 2) || !(lim.maxAngular > 0 && lim.maxAngular <= 6)) errors.push('limits must be 0 < linear ≤ 2 m/s and 0 < angular ≤ 6 rad/s');
  if (!(typeof r.maxMessageBytes === 'number' && r.maxMessageBytes >= 1024)) errors.push('maxMessageBytes must be at least 1024');
  if (r.workspace != null) {
    const { min, max } = r.workspace ?? {};
    const bounds = Array.isArray(min) && Array.isArray(max) && min.length === 3 && max.length === 3 ? [...min, ...max] : [];
    if (bounds.length !== 6 || !bounds.every(Number.isFinite)) errors.push('the workspace needs three numbers each for min and max (m), or none at all');
    else if ([0, 1, 2].some((i) => min![i] >= max![i])) errors.push('each workspace min must be below its max');
  }
  const motion = r.motionTimeoutMs ?? SIM_PROFILE.motionTimeoutMs, silence = r.silenceStopMs ?? SIM_PROFILE.silenceStopMs;
  if (!(typeof motion === 'number' && motion >= 50 && motion <= 2000)) errors.push('motionTimeoutMs must be between 50 and 2000 (ms)');
  if (!(typeof silence === 'number' && silence >= motion && silence <= 3000)) errors.push('silenceStopMs must be between motionTimeoutMs and 3000 (ms)');
  if (errors.length) return { ok: false, errors };
  return { ok: true, profile: { ...SIM_PROFILE, ...r, topics: { ...DEFAULT_TOPICS, ...topics } } as RobotProfile };
}
