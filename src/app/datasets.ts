/** Datasets as every screen lists, creates and removes them. */
import { purgeDeletedDatasets } from '../storage/datasets';

export { createDataset, getDataset, listDatasets, renameDataset, restoreDataset, softDeleteDataset, type DatasetSummary } from '../storage/datasets';

/** How long a deleted dataset can be brought back from the toast (and until the next visit). */
export const DELETE_UNDO_WINDOW_MS = 30_000;

/** Removes for good the datasets deleted in an earlier visit, past their undo window. */
export function purgeExpiredDeletions(): Promise<void> {
  return purgeDeletedDatasets(DELETE_UNDO_WINDOW_MS).then(() => undefined);
}
