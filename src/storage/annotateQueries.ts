import Dexie from 'dexie';
import { getDb } from './db';
import { guardedWrite } from './errors';
import { newId } from './ids';
import { SAMPLE_STATUSES, type SampleRecord, type SampleStatus } from './types';

/**
 * Queries the Annotate screen needs on top of the sample repository: the whole queue in one
 * read, distinct instructions for autocomplete, and adding another path on the same image next
 * to the sample it came from.
 */

/** What the queue keeps about every sample: enough for navigation and counts, nothing more. */
export interface QueueEntry {
  id: string;
  status: SampleStatus;
}

const whole = (datasetId: string, ...prefix: unknown[]) =>
  [[datasetId, ...prefix, Dexie.minKey], [datasetId, ...prefix, Dexie.maxKey]] as const;

/**
 * The dataset's queue in order, from primary-key reads of two indexes only (no record is
 * deserialized), so a 100,000-sample dataset opens in a fraction of a second.
 */
export async function loadQueueEntries(datasetId: string): Promise<QueueEntry[]> {
  const samples = getDb().samples;
  const [ids, ...idsByStatus] = await Promise.all([
    samples.where('[datasetId+order]').between(...whole(datasetId)).primaryKeys(),
    ...SAMPLE_STATUSES.map((status) => samples.where('[datasetId+status+order]').between(...whole(datasetId, status)).primaryKeys()),
  ]);
  const statusOf = new Map<string, SampleStatus>();
  SAMPLE_STATUSES.forEach((status, i) => idsByStatus[i].forEach((id) => statusOf.set(id as string, status)));
  return ids.map((id) => ({ id: id as string, status: statusOf.get(id as string) ?? 'draft' }));
}

/** Ids of the dataset's samples on one image (several instructions may share it). */
export async function sampleIdsOnImage(datasetId: string, assetId: string): Promise<string[]> {
  return (await getDb().samples.where('[datasetId+assetId]').equals([datasetId, assetId]).primaryKeys()) as string[];
}

/**
 * Distinct non-empty instructions of the dataset, most used first. Reads the records in pages
 * of `pageSize`, reporting after each, so a big dataset fills the autocomplete progressively
 * without one long pause.
 */
export async function scanInstructions(datasetId: string, onPage: (instructions: string[]) => void, pageSize = 2000): Promise<string[]> {
  const uses = new Map<string, number>();
  const sorted = () => [...uses.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([text]) => text);
  let after: number | null = null;
  for (;;) {
    const range: [unknown[], unknown[]] = [[datasetId, after ?? Dexie.minKey], [datasetId, Dexie.maxKey]];
    const page: SampleRecord[] = await getDb().samples.where('[datasetId+order]').between(range[0], range[1], after === null, true).limit(pageSize).toArray();
    for (const s of page) {
      const text = s.instruction.trim();
      if (text) uses.set(text, (uses.get(text) ?? 0) + 1);
    }
    onPage(sorted());
    if (page.length < pageSize) return sorted();
    after = page[page.length - 1].order;
    await new Promise((resolve) => setTimeout(resolve, 0)); // let input and frames through
  }
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
