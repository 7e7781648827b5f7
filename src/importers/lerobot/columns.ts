/**
 * Column roles of a LeRobot dataset, detected from the feature keys LeRobot writes
 * (`observation.state`, `action`) and the variants other projects write (`state`, `actions`,
 * `observation.state.*`, `observation.eef_*`, `action.*`…), and the state/action vectors they make.
 * Pure: info.json features in, columns out. The user may override any role before importing.
 */
import type { ColumnRole, InspectedColumn } from '../episodes/inspection';
import { featureNames, featureWidth, type LeRobotFeature } from '../../formats/lerobot/info';

const BOOKKEEPING = new Set(['timestamp', 'frame_index', 'episode_index', 'index', 'task_index']);
const NUMERIC = /^(float|int|uint|bool|double)/;

/** The role a feature gets from its key and dtype alone. */
export function detectRole(key: string, f: LeRobotFeature): ColumnRole {
  if (f.dtype === 'video' || f.dtype === 'image') return 'camera';
  const k = key.toLowerCase();
  if (BOOKKEEPING.has(k) || k.startsWith('next.')) return 'index';
  if (!NUMERIC.test(f.dtype)) return 'ignore';
  if (/^actions?($|[._])/.test(k)) return 'action';
  const stateLike = /^(observation\.)?states?($|[._])/.test(k)
    || /^observation\.(eef|ee|end_effector|tcp|joint|joints|gripper|qpos|cartesian|proprio)/.test(k)
    || /^(eef|ee|end_effector|tcp|joint|joints|gripper)[._]/.test(k);
  if (!stateLike) return 'ignore';
  // The part after observation.state / observation. says what the sub-feature holds.
  const rest = k.replace(/^(observation\.)?(states?)?[._]?/, '');
  if (/gripper/.test(rest)) return 'gripper';
  const orientation = /(quat|ori|rot|euler|rpy|axis_angle)/.test(rest);
  if (!orientation && /(^|[._])(eef|ee|end_effector|tcp|cartesian)([._]|pos|$)/.test(rest) && featureWidth(f) >= 3) return 'ee';
  return 'state';
}

/** Every feature as a column: detected role, the user's override where given, one name per dimension. */
export function datasetColumns(features: Record<string, LeRobotFeature>, overrides: Record<string, ColumnRole> = {}): InspectedColumn[] {
  return Object.entries(features).map(([key, f]) => {
    const detected = detectRole(key, f);
    const wanted = overrides[key];
    // A camera stays a camera and nothing else becomes one (frames are read from video files only).
    const role = wanted && (wanted === 'camera') === (detected === 'camera') ? wanted : detected;
    return { key, role, detected, names: f.dtype === 'video' || f.dtype === 'image' ? [] : featureNames(key, f), dtype: f.dtype, shape: f.shape };
  });
}

export interface VectorLayout {
  /** Columns concatenated into the vector, in feature order, with each one's offset. */
  parts: { key: string; offset: number; width: number }[];
  /** One name per value; names that repeat across columns are prefixed with their column's key. */
  names: string[];
}

function layout(columns: InspectedColumn[]): VectorLayout {
  const parts: VectorLayout['parts'] = [];
  const count = new Map<string, number>();
  for (const c of columns) for (const n of c.names) count.set(n, (count.get(n) ?? 0) + 1);
  const names: string[] = [];
  let offset = 0;
  for (const c of columns) {
    parts.push({ key: c.key, offset, width: c.names.length });
    names.push(...c.names.map((n) => (count.get(n)! > 1 ? `${c.key}:${n}` : n)));
    offset += c.names.length;
  }
  return { parts, names };
}

export const isStateRole = (r: ColumnRole) => r === 'state' || r === 'ee' || r === 'gripper';

/** The state vector (state, end-effector and gripper columns) and the action vector. */
export function vectorLayouts(columns: InspectedColumn[]): { state: VectorLayout; action: VectorLayout } {
  return { state: layout(columns.filter((c) => isStateRole(c.role))), action: layout(columns.filter((c) => c.role === 'action')) };
}

/** Offset of the first value of the first column with `role` in the state vector, or null. */
export function offsetOfRole(columns: InspectedColumn[], state: VectorLayout, role: ColumnRole): number | null {
  const c = columns.find((x) => x.role === role);
  return c ? state.parts.find((p) => p.key === c.key)?.offset ?? null : null;
}
