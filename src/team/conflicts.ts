/**
 * Conflicts: two offline edits of one sample (docs/TEAMS.md, Conflicts). CouchDB keeps both
 * revisions, picks a winner the same way on every replica, and lists the others in `_conflicts`;
 * the studio shows the winner until someone resolves it. Resolving writes the chosen content (one
 * version, or fields merged from several) on top of the winner and deletes every losing revision,
 * in one write — so the conflict ends on every replica once that replicates, and nothing is lost
 * before a person chose.
 */
import type { SampleRecord } from '../storage/types';
import { sampleDocId, sampleFromDoc, sampleToDoc, type SampleDoc, type Stamp } from './docs';
import type { PouchDatabase } from './pouch';

export interface ConflictVersion {
  rev: string;
  /** CouchDB's pick, shown everywhere until the conflict is resolved. */
  winner: boolean;
  record: SampleRecord;
  changedBy: string;
  changedAt: number;
}

/** The sample's versions, winner first; empty when it has no conflict (any more). */
export async function readConflict(local: PouchDatabase, sampleId: string): Promise<ConflictVersion[]> {
  const id = sampleDocId(sampleId);
  const winner = await local.get<SampleDoc>(id, { conflicts: true }).catch(() => null);
  if (!winner?._conflicts?.length) return [];
  const losers = await Promise.all(winner._conflicts.map((rev) => local.get<SampleDoc>(id, { rev }).catch(() => null)));
  return [winner, ...losers].filter((d): d is SampleDoc & { _rev: string } => d !== null).map((doc, i) => ({
    rev: doc._rev, winner: i === 0, record: sampleFromDoc(doc), changedBy: doc.changedBy, changedAt: doc.changedAt,
  }));
}

/** The fields a person picks between when merging two versions. */
export const MERGE_FIELDS = ['path', 'instruction', 'status'] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/**
 * A version made of fields of several: `picks` names, per field, the version (by revision) it comes
 * from; fields not named come from `base`. The review goes with the status it belongs to.
 */
export function mergeVersions(versions: ConflictVersion[], base: string, picks: Partial<Record<MergeField, string>>): SampleRecord {
  const byRev = new Map(versions.map((v) => [v.rev, v.record]));
  const from = byRev.get(base);
  if (!from) throw new Error(`No version ${base} of this sample.`);
  const merged: SampleRecord = { ...from };
  for (const field of MERGE_FIELDS) {
    const source = byRev.get(picks[field] ?? base) ?? from;
    if (field === 'path') merged.path = source.path;
    else if (field === 'instruction') merged.instruction = source.instruction;
    else {
      merged.status = source.status;
      if (source.review) merged.review = source.review;
      else delete merged.review;
    }
  }
  merged.updatedAt = Math.max(...versions.map((v) => v.record.updatedAt));
  return merged;
}

/**
 * Ends the conflict: `chosen` becomes the next revision of the winner, every losing revision is
 * deleted. Returns the new winning revision. Fails with 409 when another revision arrived
 * meanwhile (read it again and choose again).
 */
export async function resolveConflict(local: PouchDatabase, sampleId: string, chosen: SampleRecord, stamp: Stamp, reviewFrom?: string): Promise<string> {
  const id = sampleDocId(sampleId);
  const winner = await local.get<SampleDoc>(id, { conflicts: true });
  const previous = reviewFrom ? await local.get<SampleDoc>(id, { rev: reviewFrom }).catch(() => null) : winner;
  const docs: object[] = [
    { ...sampleToDoc({ ...chosen, id: sampleId }, stamp, previous), _rev: winner._rev },
    ...(winner._conflicts ?? []).map((rev) => ({ _id: id, _rev: rev, _deleted: true, type: 'sample', ...stamp })),
  ];
  const results = await local.bulkDocs(docs);
  const failed = results.find((r) => !r.ok);
  if (failed) throw Object.assign(new Error(`Could not resolve the conflict of ${id}: ${failed.message ?? failed.name ?? 'unknown error'}`), { status: failed.status });
  return results[0].rev!;
}
