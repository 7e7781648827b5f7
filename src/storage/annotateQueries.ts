import Dexie from 'dexie';
import { getDb } from './db';
import { guardedWrite } from './errors';
import { newId } from './ids';
import type { SampleRecord, SampleStatus } from './types';

/**
 * Queries the Annotate screen needs on top of the sample repository: the whole queue in one
 * read, distinct instructions for autocomplete, and adding another path on the same image next
 * to the sample it came from.
 */

/** What the queue needs to know about every sample without keeping their paths in memory. */
export interface QueueEntry {
  id: string;
  assetId: string;
  order: number;
  status: SampleStatus;
}

export interface AnnotateQueue {
  entries: QueueEntry[];
  /** Distinct non-empty instructions, most used first. */
  instructions: string[];
}

const inDataset = (datasetId: string) =>
  getDb().samples.where('[datasetId+order]').between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey]);

export async function loadAnnotateQueue(datasetId: string): Promise<AnnotateQueue> {
  const entries: QueueEntry[] = [];
  const uses = new Map<string, number>();
  await inDataset(datasetId).each((s) => {
    entries.push({ id: s.id, assetId: s.assetId, order: s.order, status: s.status });
    const text = s.instruction.trim();
    if (text) uses.set(text, (uses.get(text) ?? 0) + 1);
  });
  const instructions = [...uses.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([text]) => text);
  return { entries, instructions };
}

/**
 * A new empty sample on the same image, placed right after `from` in the queue (orders are
 * not dense, so the midpoint to the next sample keeps everyone else's order unchanged).
 */
export async function addSampleOnSameImage(from: SampleRecord): Promise<SampleRecord> {
  const db = getDb();
  return guardedWrite('add another path on this image', () =>
    db.transaction('rw', db.samples, async () => {
      const next = await db.samples
        .where('[datasetId+order]')
        .between([from.datasetId, from.order], [from.datasetId, Dexie.maxKey], false, true)
        .first();
      const now = Date.now();
      const record: SampleRecord = {
        id: newId(),
        datasetId: from.datasetId,
        assetId: from.assetId,
        order: next ? (from.order + next.order) / 2 : from.order + 1,
        instruction: '',
        path: null,
        status: 'draft',
        source: from.source,
        provenance: { ...from.provenance, note: 'another path on the same image' },
        createdAt: now,
        updatedAt: now,
      };
      await db.samples.add(record);
      return record;
    }),
  );
}
