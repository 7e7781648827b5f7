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

/** What the queue needs to know about every sample without keeping their paths in memory. */
export interface QueueEntry {
  id: string;
  assetId: string;
  order: number;
  status: SampleStatus;
}

const between = (datasetId: string, ...prefix: unknown[]) =>
  [[datasetId, ...prefix, Dexie.minKey], [datasetId, ...prefix, Dexie.maxKey]] as const;

/**
 * The dataset's queue in order, read from indexes only (no record is deserialized), so a
 * 100,000-sample dataset opens quickly: order from `[datasetId+order]`, status from
 * `[datasetId+status+order]`, image from `[datasetId+assetId]`.
 */
export async function loadQueueEntries(datasetId: string): Promise<QueueEntry[]> {
  const samples = getDb().samples;
  const byOrder = samples.where('[datasetId+order]').between(...between(datasetId));
  const [orderKeys, ids, assetKeys, assetIds, ...statusIds] = await Promise.all([
    byOrder.keys(),
    byOrder.primaryKeys(),
    samples.where('[datasetId+assetId]').between(...between(datasetId)).keys(),
    samples.where('[datasetId+assetId]').between(...between(datasetId)).primaryKeys(),
    ...SAMPLE_STATUSES.map((status) => samples.where('[datasetId+status+order]').between(...between(datasetId, status)).primaryKeys()),
  ]);
  const statusOf = new Map<string, SampleStatus>();
  SAMPLE_STATUSES.forEach((status, i) => statusIds[i].forEach((id) => statusOf.set(id as string, status)));
  const assetOf = new Map<string, string>();
  assetIds.forEach((id, i) => assetOf.set(id as string, (assetKeys[i] as unknown as [string, string])[1]));
  return ids.map((id, i) => ({
    id: id as string,
    order: (orderKeys[i] as unknown as [string, number])[1],
    assetId: assetOf.get(id as string)!,
    status: statusOf.get(id as string) ?? 'draft',
  }));
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
