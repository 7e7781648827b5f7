/**
 * Presence: who has which sample of a shared dataset open right now (docs/TEAMS.md, Presence). One
 * small document per user in the dataset's database, `presence:<user>`, rewritten when they open
 * another sample and every PRESENCE_BEAT_MS while it stays open; it replicates like everything else
 * and is never mirrored into Dexie. A document older than PRESENCE_FRESH_MS is someone who left
 * without saying so (a closed laptop), and is not shown. The server's rules let each user write only
 * their own (validate.ts).
 */
import type { Stamp } from './docs';
import type { PouchDatabase } from './pouch';

export const PRESENCE_PREFIX = 'presence:';
export const PRESENCE_BEAT_MS = 45_000;
export const PRESENCE_FRESH_MS = 120_000;

export const presenceDocId = (user: string): string => `${PRESENCE_PREFIX}${user}`;

export interface Presence {
  user: string;
  /** The sample open, null when none is. */
  sampleId: string | null;
  /** When it was last said (ms, the user's clock). */
  at: number;
}

export interface PresenceDoc extends Presence, Stamp {
  _id: string;
  _rev?: string;
  type: 'presence';
}

/** The others working now, on some sample: fresh ones only, newest first. */
export function livePresence(all: Presence[], self: string, now: number): Presence[] {
  return all.filter((p) => p.user !== self && p.sampleId !== null && now - p.at < PRESENCE_FRESH_MS).sort((a, b) => b.at - a.at);
}

/** A document read from the replica as presence; null for anything else. */
export function presenceFromDoc(doc: unknown): Presence | null {
  const d = doc as Partial<PresenceDoc> | null;
  if (!d || d.type !== 'presence' || typeof d.user !== 'string' || typeof d.at !== 'number') return null;
  return { user: d.user, sampleId: typeof d.sampleId === 'string' ? d.sampleId : null, at: d.at };
}

/** Says which sample this user has open (null: none) in the local replica; it replicates from there. */
export async function writePresence(local: PouchDatabase, sampleId: string | null, stamp: Stamp): Promise<void> {
  const id = presenceDocId(stamp.changedBy);
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await local.get<PresenceDoc>(id).catch(() => null);
    const doc: PresenceDoc = { _id: id, type: 'presence', user: stamp.changedBy, sampleId, at: stamp.changedAt, ...stamp, ...(existing ? { _rev: existing._rev } : {}) };
    try {
      await local.put(doc);
      return;
    } catch (err) {
      // Our own older presence arriving from the server meanwhile: read it again and write on top.
      if ((err as { status?: number }).status !== 409) throw err;
    }
  }
}
