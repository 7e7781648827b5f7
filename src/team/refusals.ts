/**
 * What the replica does when the server refuses a change of this browser (its validate_doc_update,
 * validate.ts): the server's current version of the document is written here on top of the refused
 * revision, stamped as this user's. It reaches Dexie through the mirror (the person sees their edit
 * undone, and is told why), and the next edit of the same sample builds on a revision the server
 * accepts — instead of on the refused one, which the server would refuse again and again.
 */
import { parseDocId, type Stamp } from './docs';
import type { PouchDatabase } from './pouch';
import type { RefusedChange } from './syncStatus';

const DROP = new Set(['_rev', '_revisions', '_conflicts', '_attachments', 'changedBy', 'changedAt']);

export async function revertRefused(local: PouchDatabase, remote: PouchDatabase | null, docId: string, reason: string, stamp: Stamp): Promise<RefusedChange> {
  const parsed = parseDocId(docId);
  const base: Omit<RefusedChange, 'outcome'> = { sampleId: parsed?.kind === 'sample' ? parsed.id : null, docId, reason, at: stamp.changedAt };
  // Images are never refused by the studio's rules; anything else the studio does not mirror stays as it is.
  if (!parsed || parsed.kind === 'asset' || !remote) return { ...base, outcome: 'kept-here' };
  const theirs = await remote.get<Record<string, unknown>>(docId).catch(() => null);
  const mine = await local.get(docId).catch(() => null);
  if (!theirs || !mine) return { ...base, outcome: 'kept-here' };
  const content: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(theirs)) if (!DROP.has(k)) content[k] = v;
  await local.put({ ...content, _id: docId, _rev: mine._rev, ...stamp });
  return { ...base, outcome: 'reverted' };
}
