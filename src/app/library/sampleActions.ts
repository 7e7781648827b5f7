/**
 * What the Library does to many samples at once — delete, set their status, move them to another
 * dataset — each one transaction, each undoable from the toast that reports it (the samples are
 * written back exactly as they were).
 */
import { moveSamples, putSamples, removeSamples, setSamplesStatus } from '../../storage/samples';
import type { SampleRecord, SampleStatus } from '../../storage/types';
import { notify, notifyError } from '../toasts';

const plural = (n: number) => `${n} sample${n === 1 ? '' : 's'}`;

/** Reports a change with an Undo that writes the records back; `changed` runs after either. */
function reportWithUndo(message: string, before: SampleRecord[], changed: () => void): void {
  notify({
    kind: 'success',
    message,
    ttl: 10_000,
    action: {
      label: 'Undo',
      run: () => void putSamples(before).then(() => {
        notify({ kind: 'info', message: `${plural(before.length)} back as they were.` });
        changed();
      }, notifyError),
    },
  });
  changed();
}

export async function deleteSamplesWithUndo(ids: string[], changed: () => void): Promise<void> {
  try {
    const before = await removeSamples(ids);
    reportWithUndo(`Deleted ${plural(before.length)}.`, before, changed);
  } catch (e) {
    notifyError(e);
  }
}

export async function setStatusWithUndo(ids: string[], status: SampleStatus, changed: () => void): Promise<void> {
  try {
    const before = await setSamplesStatus(ids, status);
    reportWithUndo(`${plural(before.length)} marked ${status}.`, before, changed);
  } catch (e) {
    notifyError(e);
  }
}

export async function moveSamplesWithUndo(ids: string[], toDatasetId: string, toName: string, changed: () => void): Promise<void> {
  try {
    const before = await moveSamples(ids, toDatasetId);
    reportWithUndo(`Moved ${plural(before.length)} to “${toName}”.`, before, changed);
  } catch (e) {
    notifyError(e);
  }
}
