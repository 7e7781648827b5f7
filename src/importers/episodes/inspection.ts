/**
 * What a reader found in a dataset before anything is imported: the episodes listed and present,
 * every column with its role and one name per dimension, every camera's files found and missing,
 * and the problems, each as one sentence. Plain data (JSON-serialisable), built without the DOM, so
 * the import screen renders it and a command-line `inspect` can print it as is.
 */

/**
 * What a column is used for. `state`, `ee` (end-effector position) and `gripper` columns make up the
 * state vector (in the dataset's feature order); `action` columns the action vector; `camera` frames;
 * `index` is bookkeeping (timestamp, frame_index, next.*); `ignore` is listed and not read.
 */
export type ColumnRole = 'state' | 'ee' | 'gripper' | 'action' | 'camera' | 'index' | 'ignore';

export const COLUMN_ROLES: readonly ColumnRole[] = ['state', 'ee', 'gripper', 'action', 'camera', 'index', 'ignore'];

export const ROLE_LABELS: Record<ColumnRole, string> = {
  state: 'state',
  ee: 'end-effector position',
  gripper: 'gripper',
  action: 'action',
  camera: 'camera',
  index: 'bookkeeping',
  ignore: 'not used',
};

export interface InspectedColumn {
  key: string;
  role: ColumnRole;
  /** The role detection gave (before any choice of the user). */
  detected: ColumnRole;
  /** One name per dimension. */
  names: string[];
  dtype: string;
  shape: number[];
}

export interface InspectedCamera {
  key: string;
  /** Codec read from the first present file's sample entry (never from metadata); null when no file is present. */
  codec: string | null;
  width: number;
  height: number;
  /** Files present in the picked folder (where they were found). */
  found: string[];
  /** Files the metadata names that the folder lacks. */
  missing: string[];
  /** Episodes (present ones) without frames from this camera. */
  episodesWithout: number[];
}

export interface DatasetInspection {
  format: 'lerobot' | 'robomimic-hdf5';
  version: string | null;
  fps: number | null;
  episodes: { listed: number; present: number; absent: number[] };
  columns: InspectedColumn[];
  cameras: InspectedCamera[];
  problems: string[];
}

/** "0–28, 31, 33–99" for sorted or unsorted integer indices. */
export function formatIndexRanges(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** A short codec name from an MP4/MOV sample-entry fourcc (avc1 → h264), as LeRobot's info.json spells them. */
export function codecFromFourcc(fourcc: string): string {
  const map: Record<string, string> = { avc1: 'h264', avc3: 'h264', hvc1: 'hevc', hev1: 'hevc', av01: 'av1', vp09: 'vp9', vp08: 'vp8', mp4v: 'mpeg4' };
  return map[fourcc] ?? fourcc.trim();
}
