/**
 * Pre-labelling: the active planner proposes a path for every sample of a dataset that has an
 * instruction but no path yet. Proposed paths are stored with `prelabeled: true` (Annotate clears
 * the mark as soon as a person edits the path). Cancellable; a sample a person labels while the
 * job runs is never overwritten.
 */
import { getAsset } from '../storage/assets';
import { getSample, getSamples, querySampleIds, updateSample } from '../storage/samples';
import { CancelledError } from './client';
import { suggestPath } from './suggest';
import { errorMessage } from '../core/errorMessage';

export interface PrelabelReport {
  candidates: number;
  labelled: number;
  /** Samples without an instruction (the planner needs one). */
  noInstruction: number;
  failed: { sampleId: string; error: string }[];
  cancelled: boolean;
}

export async function findUnlabelled(datasetId: string): Promise<{ ids: string[]; noInstruction: number }> {
  const all = await querySampleIds(datasetId);
  const ids: string[] = [];
  let noInstruction = 0;
  for (let i = 0; i < all.length; i += 500) {
    for (const s of await getSamples(all.slice(i, i + 500))) {
      if (!s || s.path) continue;
      if (!s.instruction.trim()) noInstruction++;
      else ids.push(s.id);
    }
  }
  return { ids, noInstruction };
}

export async function prelabelDataset(datasetId: string, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<PrelabelReport> {
  const { ids, noInstruction } = await findUnlabelled(datasetId);
  const report: PrelabelReport = { candidates: ids.length, labelled: 0, noInstruction, failed: [], cancelled: false };
  opts.onProgress?.(0, ids.length);
  for (const [i, id] of ids.entries()) {
    if (opts.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    try {
      const sample = await getSample(id);
      const asset = sample && (await getAsset(sample.assetId));
      if (!sample || !asset) continue;
      const path = await suggestPath(asset.blob, sample.instruction, opts.signal);
      const now = await getSample(id);
      if (now && !now.path) {
        await updateSample(id, { path, prelabeled: true });
        report.labelled++;
      }
    } catch (err) {
      if (err instanceof CancelledError || opts.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      report.failed.push({ sampleId: id, error: errorMessage(err) });
      // A planner that fails on every sample (server down) should not grind through thousands.
      if (report.failed.length >= 5 && report.labelled === 0) break;
    }
    opts.onProgress?.(i + 1, ids.length);
  }
  return report;
}
