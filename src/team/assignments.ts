/**
 * Work assignment (docs/TEAMS.md, Assignment): a reviewer or admin gives an annotator a range of a
 * shared dataset's samples (by position in the dataset, optionally only those in some statuses);
 * the annotator sees it as their queue. One document per annotator, `assignment:<user>`, in the
 * dataset's database: it replicates like everything else, is never mirrored into Dexie, and the
 * server's rules let only reviewers and admins write it (validate.ts).
 */
import type { SampleRecord, SampleStatus } from '../storage/types';
import type { Stamp } from './docs';
import type { PouchDatabase } from './pouch';

export const ASSIGNMENT_PREFIX = 'assignment:';
export const assignmentDocId = (annotator: string): string => `${ASSIGNMENT_PREFIX}${annotator}`;

export interface Assignment {
  annotator: string;
  /** Positions in the dataset (1 = its first sample, in the Library's order), inclusive. */
  from: number;
  to: number;
  /** Only samples in these statuses (empty: all of the range). */
  statuses: SampleStatus[];
  assignedBy: string;
  at: number;
}

export interface AssignmentDoc extends Assignment, Stamp {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  type: 'assignment';
}

export function assignmentFromDoc(doc: unknown): Assignment | null {
  const d = doc as Partial<AssignmentDoc> | null;
  if (!d || d.type !== 'assignment' || typeof d.annotator !== 'string' || typeof d.from !== 'number' || typeof d.to !== 'number') return null;
  return { annotator: d.annotator, from: d.from, to: d.to, statuses: Array.isArray(d.statuses) ? d.statuses : [], assignedBy: String(d.assignedBy ?? ''), at: Number(d.at ?? 0) };
}

/** The samples an assignment names, in the dataset's order (`samples` in any order). */
export function queueOf(assignment: Assignment, samples: SampleRecord[]): SampleRecord[] {
  const ordered = [...samples].sort((a, b) => a.order - b.order);
  return ordered.filter((s, i) => i + 1 >= assignment.from && i + 1 <= assignment.to && (!assignment.statuses.length || assignment.statuses.includes(s.status)));
}

/** Writes (or, with `range` null, withdraws) an annotator's assignment in the local replica. */
export async function writeAssignment(local: PouchDatabase, annotator: string, range: Pick<Assignment, 'from' | 'to' | 'statuses'> | null, stamp: Stamp): Promise<void> {
  const id = assignmentDocId(annotator);
  const existing = await local.get<AssignmentDoc>(id).catch(() => null);
  const rev = existing ? { _rev: existing._rev } : {};
  if (!range) {
    if (existing) await local.put({ _id: id, ...rev, _deleted: true, type: 'assignment', ...stamp });
    return;
  }
  if (!(range.from >= 1 && range.to >= range.from)) throw new Error('Give a range of positions, e.g. 1 to 50.');
  const doc: AssignmentDoc = { _id: id, ...rev, type: 'assignment', annotator, ...range, assignedBy: stamp.changedBy, at: stamp.changedAt, ...stamp };
  await local.put(doc);
}
