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

/**
 * The refused changes the person has not dismissed yet, kept in the replica as a `_local` document
 * (PouchDB never replicates those): a reload right after a refusal still says what was refused and
 * why — the edit itself is already undone by then.
 */
export class RefusedNotes {
  private static readonly ID = '_local/path-studio-refused';
  private rev: string | undefined;
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly local: PouchDatabase) {}

  async load(): Promise<RefusedChange[]> {
    const doc = await this.local.get<{ refused?: unknown }>(RefusedNotes.ID).catch(() => null);
    this.rev = doc?._rev;
    return Array.isArray(doc?.refused) ? (doc.refused as RefusedChange[]) : [];
  }

  /** Keeps `refused` as the list (writes one after another: each needs the last one's revision). */
  save(refused: readonly RefusedChange[]): Promise<void> {
    this.writes = this.writes.then(async () => {
      const res = await this.local.put({ _id: RefusedNotes.ID, _rev: this.rev, refused });
      this.rev = res.rev;
    }).catch((err: unknown) => {
      // Only the notice after a reload is lost; the refusal itself was handled.
      console.warn('The refused changes could not be kept for the next visit:', err);
    });
    return this.writes;
  }

  /** Resolves once every list given to `save` is written. */
  flush(): Promise<void> {
    return this.writes;
  }
}
