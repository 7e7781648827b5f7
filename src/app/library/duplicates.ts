/**
 * Duplicate samples in a dataset: the same image (asset) with a path that matches — every point
 * within a tolerance, the same gripper state at every point (so the same gripper events) — or,
 * with no path yet, the same instruction. The oldest of each group is kept; the rest are the
 * extra copies the Library offers to select (and then delete, undoably). Pure.
 */
import type { Path } from '../../core/path';

export type DuplicateCandidate = { id: string; assetId: string; instruction: string; path: Path | null; createdAt: number; order: number };

export interface DuplicateGroup {
  /** The oldest sample: the one kept. */
  keep: string;
  /** Its copies, oldest first. */
  extras: string[];
}

export const PATH_TOLERANCE = 1e-3;

export function pathsMatch(a: Path, b: Path, tolerance = PATH_TOLERANCE): boolean {
  if (a.initialGripper !== b.initialGripper || a.points.length !== b.points.length) return false;
  return a.points.every((p, i) => {
    const q = b.points[i];
    return p.gripper === q.gripper && Math.abs(p.x - q.x) <= tolerance && Math.abs(p.y - q.y) <= tolerance;
  });
}

/**
 * What must be equal for two samples of one image to be copies: the instruction when there is no
 * path; the gripper states (and so the point count) when there is. Only samples with the same key
 * are compared point by point.
 */
const exactKey = (s: DuplicateCandidate) => (s.path ? `path:${s.path.initialGripper}:${s.path.points.map((p) => p.gripper[0]).join('')}` : `text:${s.instruction.trim()}`);

const oldestFirst = (a: DuplicateCandidate, b: DuplicateCandidate) => a.createdAt - b.createdAt || a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Groups of copies, in the order of their kept sample. Within one image each sample is compared
 * with the samples kept so far, oldest first, and joins the first it matches: a chain of near
 * matches does not drift beyond the tolerance from what is kept.
 */
export function findDuplicates(samples: readonly DuplicateCandidate[], tolerance = PATH_TOLERANCE): DuplicateGroup[] {
  const buckets = new Map<string, DuplicateCandidate[]>();
  for (const s of samples) {
    const key = `${s.assetId}\n${exactKey(s)}`;
    const list = buckets.get(key);
    if (list) list.push(s);
    else buckets.set(key, [s]);
  }
  const groups: { keep: DuplicateCandidate; extras: string[] }[] = [];
  for (const list of buckets.values()) {
    if (list.length < 2) continue;
    const kept: { keep: DuplicateCandidate; extras: string[] }[] = [];
    for (const s of [...list].sort(oldestFirst)) {
      const original = kept.find((g) => !s.path || pathsMatch(g.keep.path!, s.path, tolerance));
      if (original) original.extras.push(s.id);
      else kept.push({ keep: s, extras: [] });
    }
    groups.push(...kept.filter((g) => g.extras.length));
  }
  return groups.sort((a, b) => oldestFirst(a.keep, b.keep)).map((g) => ({ keep: g.keep.id, extras: g.extras }));
}

export const extraCopies = (groups: readonly DuplicateGroup[]): string[] => groups.flatMap((g) => g.extras);
