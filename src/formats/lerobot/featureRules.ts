/**
 * The rules the `lerobot` library applies to a dataset's features (meta/info.json → features) and
 * statistics (meta/stats.json) when it loads the dataset and builds a policy on it, written once
 * here and applied to every LeRobot dataset the project writes (the studio's export, the
 * simulator's generator) and to real lerobot datasets in the tests. Pure: parsed JSON in, problems out.
 *
 * Sources (huggingface/lerobot, read with the search tool; file @ commit read):
 *  - src/lerobot/datasets/utils.py @ 00448aa: `_validate_feature_names`, `DEFAULT_FEATURES`,
 *    `hw_to_dataset_features`, `build_dataset_frame`, `dataset_to_policy_features`,
 *    `get_hf_features_from_features`
 *  - src/lerobot/datasets/feature_utils.py @ 034693f: `validate_feature_dtype_and_shape`
 *  - src/lerobot/datasets/compute_stats.py @ db69121: `compute_episode_stats`, `get_feature_stats`,
 *    `_validate_stat_value`, `aggregate_feature_stats`, `DEFAULT_QUANTILES`
 *  - src/lerobot/processor/normalize_processor.py @ 06364ce: `_NormalizationMixin._apply_transform`
 *  - src/lerobot/configs/policies.py: `robot_state_feature` / `action_feature` (`observation.state`, `action`)
 *
 * Each rule has an id; a problem names the rule, the feature and what to change.
 */

export type FeatureRuleId =
  | 'key-no-slash'
  | 'dtype-known'
  | 'shape'
  | 'visual-shape'
  | 'video-info'
  | 'policy-input-float32'
  | 'names'
  | 'state-and-action'
  | 'default-features'
  | 'stats-present'
  | 'stats-keys'
  | 'stats-count'
  | 'stats-shape'
  | 'stats-values';

export interface FeatureRule {
  id: FeatureRuleId;
  /** What lerobot requires, in one sentence. */
  rule: string;
  /** Where lerobot enforces or relies on it. */
  source: string;
}

export const FEATURE_RULES: readonly FeatureRule[] = [
  { id: 'key-no-slash', rule: 'A feature key contains no "/".', source: 'datasets/utils.py _validate_feature_names (ValueError "Feature names should not contain \'/\'")' },
  { id: 'dtype-known', rule: 'dtype is a numpy dtype name (bool, int8…int64, uint8…uint64, float16/32/64), "image", "video" or "string".', source: 'datasets/feature_utils.py validate_feature_dtype_and_shape (NotImplementedError for any other dtype)' },
  { id: 'shape', rule: 'shape is a list of 1 to 5 positive integers.', source: 'datasets/utils.py get_hf_features_from_features (Value for (1,), Sequence for 1-D, Array2D…Array5D, ValueError otherwise)' },
  { id: 'visual-shape', rule: 'An image/video feature has shape [height, width, 3] and names ["height", "width", "channels"] (or "channel"), so the policy sees (C, H, W).', source: 'datasets/utils.py dataset_to_policy_features (ValueError unless 3 dims; transposes only when names[2] is "channel(s)")' },
  { id: 'video-info', rule: 'A video feature\'s info holds video.codec, video.pix_fmt, video.height, video.width, video.fps and video.channels agreeing with its shape and the dataset fps.', source: 'datasets/video_utils.py get_video_info (what lerobot writes from the encoded stream)' },
  { id: 'policy-input-float32', rule: 'Every non-visual feature under observation.* or action* is float32 with a 1-D shape: policies normalize all of them, and the normalizer casts the stats to the input tensor\'s dtype (bool → "Subtraction … with two bool tensors is not supported", integers truncate the stats, float64 does not meet the float32 weights).', source: 'datasets/utils.py dataset_to_policy_features (STATE for every other observation* key, ACTION for action*); processor/normalize_processor.py _apply_transform (self.to(dtype=tensor.dtype) then (tensor - mean) / std)' },
  { id: 'names', rule: 'names of a non-visual feature is null, or lists one string per value (flat list, or lists/dicts of lists as older datasets write them); a float32 1-D observation/action feature lists them (build_dataset_frame reads one value per name).', source: 'datasets/utils.py hw_to_dataset_features ("names": list(joint_fts), "shape": (len(joint_fts),)), build_dataset_frame' },
  { id: 'state-and-action', rule: 'observation.state and action are present, float32, 1-D: the robot state and action every policy reads.', source: 'configs/policies.py robot_state_feature / action_feature (key == OBS_STATE / ACTION)' },
  { id: 'default-features', rule: 'timestamp (float32), frame_index, episode_index, index, task_index (int64) are present with shape [1] and names null.', source: 'datasets/utils.py DEFAULT_FEATURES' },
  { id: 'stats-present', rule: 'meta/stats.json has stats for every feature but strings (the normalizer silently skips a feature without stats).', source: 'datasets/compute_stats.py compute_episode_stats (skips only dtype "string"); normalize_processor.py _apply_transform (key not in stats → returned unnormalized)' },
  { id: 'stats-keys', rule: 'Each feature\'s stats hold min, max, mean, std, count and the quantiles q01, q10, q50, q90, q99.', source: 'datasets/compute_stats.py get_feature_stats, DEFAULT_QUANTILES = [0.01, 0.10, 0.50, 0.90, 0.99]' },
  { id: 'stats-count', rule: 'count is [n], one positive integer.', source: 'datasets/compute_stats.py _validate_stat_value ("Shape of \'count\' must be (1)")' },
  { id: 'stats-shape', rule: 'Image/video stats (and any feature whose key contains "image") other than count have shape (3, 1, 1); other features\' stats have the feature\'s shape.', source: 'datasets/compute_stats.py _validate_stat_value ("must be (3,1,1)"), get_feature_stats over axis 0 (one value per dimension)' },
  { id: 'stats-values', rule: 'Stats are finite numbers with min ≤ mean ≤ max and std ≥ 0; image stats lie in [0, 1].', source: 'datasets/compute_stats.py compute_episode_stats (image stats divided by 255)' },
];

export interface FeatureProblem {
  rule: FeatureRuleId;
  feature: string | null;
  message: string;
}

export interface FeatureSpec {
  dtype?: unknown;
  shape?: unknown;
  names?: unknown;
  info?: unknown;
}

const NUMPY_DTYPES = new Set(['bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float16', 'float32', 'float64']);
const VISUAL = new Set(['image', 'video']);
export const STAT_NAMES = ['min', 'max', 'mean', 'std', 'count', 'q01', 'q10', 'q50', 'q90', 'q99'] as const;
export const DEFAULT_FEATURES: Record<string, string> = { timestamp: 'float32', frame_index: 'int64', episode_index: 'int64', index: 'int64', task_index: 'int64' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.length >= 1 && v.length <= 5 && v.every((d) => Number.isInteger(d) && d > 0);

/** Which kind of policy feature lerobot makes of a dataset feature (dataset_to_policy_features), or null if none. */
export function policyFeatureType(key: string, f: FeatureSpec): 'VISUAL' | 'ENV' | 'STATE' | 'ACTION' | null {
  if (typeof f.dtype === 'string' && VISUAL.has(f.dtype)) return 'VISUAL';
  if (key === 'observation.environment_state') return 'ENV';
  if (key.startsWith('observation')) return 'STATE';
  if (key.startsWith('action')) return 'ACTION';
  return null;
}

/** The strings of a names value in any nesting (flat list, list of lists, dict of lists); null when it is not one. */
function flatNames(v: unknown): string[] | null {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) { const inner = flatNames(x); if (!inner) return null; out.push(...inner); }
    return out;
  }
  if (isRecord(v)) return flatNames(Object.values(v));
  return null;
}

/** The shape of a stat value as numpy would give it (nested arrays), or null if ragged / not numbers. */
function arrayShape(v: unknown): number[] | null {
  if (typeof v === 'number') return [];
  if (!Array.isArray(v) || v.length === 0) return Array.isArray(v) ? [0] : null;
  const inner = v.map(arrayShape);
  const first = inner[0];
  if (!first || inner.some((s) => !s || s.join() !== first.join())) return null;
  return [v.length, ...first];
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

export interface FeatureRuleOptions {
  /** Require observation.state and action (what a policy trains on). Default true. */
  requireStateAndAction?: boolean;
  /** Dataset fps, to check video.fps. */
  fps?: number;
}

/** Checks info.json's features (and stats.json, when given) against lerobot's rules. Empty list: all hold. */
export function checkFeatureRules(features: Record<string, FeatureSpec>, stats: Record<string, unknown> | null, o: FeatureRuleOptions = {}): FeatureProblem[] {
  const out: FeatureProblem[] = [];
  const add = (rule: FeatureRuleId, feature: string | null, message: string) => out.push({ rule, feature, message });

  for (const [key, f] of Object.entries(features)) {
    if (key.includes('/')) add('key-no-slash', key, `feature "${key}" contains "/"; lerobot refuses such names — rename it (e.g. with "." or "_")`);
    const dtype = typeof f.dtype === 'string' ? f.dtype : String(f.dtype);
    const visual = VISUAL.has(dtype);
    if (!NUMPY_DTYPES.has(dtype) && !visual && dtype !== 'string') add('dtype-known', key, `feature "${key}" has dtype "${dtype}", which lerobot does not handle; use a numpy dtype name (e.g. float32), "image", "video" or "string"`);
    if (!isShape(f.shape)) { add('shape', key, `feature "${key}" has shape ${JSON.stringify(f.shape)}; it must be a list of 1–5 positive integers`); continue; }
    const shape = f.shape;
    if (visual) {
      const names = f.names;
      if (shape.length !== 3 || shape[2] !== 3) add('visual-shape', key, `${dtype} feature "${key}" has shape ${JSON.stringify(shape)}; it must be [height, width, 3]`);
      if (!Array.isArray(names) || names.length !== 3 || !['channel', 'channels'].includes(String(names[2]))) add('visual-shape', key, `${dtype} feature "${key}" has names ${JSON.stringify(names)}; write ["height", "width", "channels"] so policies transpose it to (C, H, W)`);
      if (dtype === 'video') checkVideoInfo(key, f, shape, o.fps, add);
    } else if (dtype !== 'string') {
      const type = policyFeatureType(key, f);
      if ((type === 'STATE' || type === 'ENV' || type === 'ACTION') && (dtype !== 'float32' || shape.length !== 1)) {
        add('policy-input-float32', key, `"${key}" is ${dtype} ${JSON.stringify(shape)}, but lerobot feeds every observation.*/action* feature to the policy and normalizes it; write it as float32 with a 1-D shape (e.g. a flag as 0.0/1.0)`);
      }
      const width = shape.reduce((a, b) => a * b, 1);
      if (f.names !== null && f.names !== undefined) {
        const names = flatNames(f.names);
        if (!names || names.length !== width) add('names', key, `"${key}" has ${names ? names.length : 'unreadable'} names for ${width} values; list one name per value, or write null`);
        else if (new Set(names).size !== names.length) add('names', key, `"${key}" repeats a name; names must tell the values apart`);
      } else if (type !== null && dtype === 'float32' && shape.length === 1) {
        add('names', key, `"${key}" has no names; a float32 observation/action feature lists one name per value (lerobot's build_dataset_frame reads values by name)`);
      }
    }
  }

  if (o.requireStateAndAction ?? true) {
    for (const key of ['observation.state', 'action']) {
      const f = features[key];
      if (!f) add('state-and-action', key, `"${key}" is missing; every lerobot policy reads it — export at least one ${key === 'action' ? 'action' : 'state'} column`);
      else if (f.dtype !== 'float32' || !Array.isArray(f.shape) || f.shape.length !== 1) add('state-and-action', key, `"${key}" must be float32 with a 1-D shape, is ${String(f.dtype)} ${JSON.stringify(f.shape)}`);
    }
  }
  for (const [key, dtype] of Object.entries(DEFAULT_FEATURES)) {
    const f = features[key];
    if (!f) add('default-features', key, `"${key}" is missing (lerobot's DEFAULT_FEATURES)`);
    else if (f.dtype !== dtype || JSON.stringify(f.shape) !== '[1]' || f.names !== null) add('default-features', key, `"${key}" must be {dtype: "${dtype}", shape: [1], names: null}, is ${JSON.stringify({ dtype: f.dtype, shape: f.shape, names: f.names })}`);
  }

  if (stats) out.push(...checkStats(features, stats));
  return out;
}

function checkVideoInfo(key: string, f: FeatureSpec, shape: number[], fps: number | undefined, add: (r: FeatureRuleId, k: string, m: string) => void): void {
  const info = isRecord(f.info) ? f.info : null;
  if (!info) { add('video-info', key, `video feature "${key}" has no "info" (video.codec, video.pix_fmt, …)`); return; }
  for (const k of ['video.codec', 'video.pix_fmt']) if (typeof info[k] !== 'string' || !info[k]) add('video-info', key, `"${key}" info lacks ${k}`);
  const expect: [string, number | undefined][] = [['video.height', shape[0]], ['video.width', shape[1]], ['video.channels', shape[2]], ['video.fps', fps]];
  for (const [k, v] of expect) if (v !== undefined && info[k] !== v) add('video-info', key, `"${key}" info says ${k} = ${JSON.stringify(info[k])}, expected ${v}`);
}

function checkStats(features: Record<string, FeatureSpec>, stats: Record<string, unknown>): FeatureProblem[] {
  const out: FeatureProblem[] = [];
  const add = (rule: FeatureRuleId, feature: string, message: string) => out.push({ rule, feature, message });
  for (const [key, f] of Object.entries(features)) {
    if (f.dtype === 'string') continue;
    const s = stats[key];
    if (!isRecord(s)) { add('stats-present', key, `meta/stats.json has no stats for "${key}"`); continue; }
    const missing = STAT_NAMES.filter((n) => s[n] === undefined);
    if (missing.length) add('stats-keys', key, `stats of "${key}" lack ${missing.join(', ')}`);
    const count = s.count;
    if (count !== undefined && (!Array.isArray(count) || count.length !== 1 || !Number.isInteger(count[0]) || count[0] < 1)) add('stats-count', key, `stats of "${key}": count is ${JSON.stringify(count)}, must be [n] with n ≥ 1`);
    const visual = typeof f.dtype === 'string' && VISUAL.has(f.dtype);
    const want = visual || key.includes('image') ? [3, 1, 1] : isShape(f.shape) ? f.shape : null;
    for (const n of STAT_NAMES) {
      if (n === 'count' || s[n] === undefined) continue;
      const shape = arrayShape(s[n]);
      if (want && (!shape || shape.join() !== want.join())) add('stats-shape', key, `stats of "${key}": ${n} has shape ${shape ? `(${shape.join(', ')})` : 'ragged'}, must be (${want.join(', ')})`);
      else if (flat(s[n]).some((v) => typeof v !== 'number' || !Number.isFinite(v))) add('stats-values', key, `stats of "${key}": ${n} holds a value that is not a finite number`);
    }
    if (out.some((p) => p.feature === key && p.rule !== 'stats-values')) continue;
    const [mn, mx, mean, std] = (['min', 'max', 'mean', 'std'] as const).map((n) => (s[n] === undefined ? null : flat(s[n])));
    if (mn && mx && mean && std) {
      const eps = 1e-6;
      mean.forEach((m, i) => {
        if (!(mn[i] <= m + eps && m <= mx[i] + eps)) add('stats-values', key, `stats of "${key}": mean[${i}] = ${m} is outside [min, max] = [${mn[i]}, ${mx[i]}]`);
        if (!(std[i] >= 0)) add('stats-values', key, `stats of "${key}": std[${i}] = ${std[i]} is negative`);
      });
      if (visual && [...mn, ...mx].some((v) => v < -eps || v > 1 + eps)) add('stats-values', key, `stats of "${key}": image stats must lie in [0, 1] (pixel / 255)`);
    }
  }
  return out;
}

/** "rule: message" lines, as validators and test failures print them. */
export const formatProblems = (ps: readonly FeatureProblem[]): string[] => ps.map((p) => `${p.rule}: ${p.message}`);

/**
 * Compares a video feature's info with what a prober (ffprobe, or the exporter reading its own
 * file) found in the stream: codec name, pixel format, size. lerobot fills these from the stream
 * (get_video_info), and readers pick a decoding path from them.
 */
export function checkVideoStream(key: string, f: FeatureSpec, stream: { codec_name: string; pix_fmt: string; width: number; height: number }): FeatureProblem[] {
  const info = isRecord(f.info) ? f.info : {};
  const out: FeatureProblem[] = [];
  const pairs: [string, unknown, unknown][] = [
    ['video.codec', info['video.codec'], stream.codec_name],
    ['video.pix_fmt', info['video.pix_fmt'], stream.pix_fmt],
    ['video.width', info['video.width'], stream.width],
    ['video.height', info['video.height'], stream.height],
  ];
  for (const [k, said, found] of pairs) if (said !== found) out.push({ rule: 'video-info', feature: key, message: `"${key}" info says ${k} = ${JSON.stringify(said)}, the stream is ${JSON.stringify(found)}` });
  return out;
}
