/**
 * What the Library does to many samples at once — delete, set their status, move them to another
 * dataset — each one transaction, each undoable (the samples are written back exactly as they
 * were): from the toast that reports it while it shows, and through the returned `UndoStep` for as
 * long as the caller keeps it (the dataset page keeps its steps until it is closed).
 */
import { moveSamples, putSamples, removeSamples, setSamplesStatus } from '../../storage/samples';
import type { SampleRecord, SampleStatus } from '../../storage/types';
import { notify, notifyError } from '../toasts';

const plural = (n: number) => `${n} sample${n === 1 ? '' : 's'}`;

/** A change that can be undone once: from its toast or from the page's undo (Ctrl+Z). */
export interface UndoStep {
  /** What was done, e.g. "Deleted 3 samples." */
  readonly label: string;
  /** Writes the records back; a second call does nothing. */
  undo(): Promise<void>;
  readonly undone: boolean;
}

/**
 * Reports a change in a toast with an Undo, and returns the same undo as a step the page keeps.
 * `undo` writes the change back; `undoneMessage` is shown after; `changed` runs after the change
 * and after its undo.
 */
export function reportUndoable(message: string, undo: () => Promise<void>, undoneMessage: string, changed: () => void): UndoStep {
  let undone = false;
  const step: UndoStep = {
    label: message,
    get undone() {
      return undone;
    },
    undo: async () => {
      if (undone) return;
      undone = true;
      try {
        await undo();
        notify({ kind: 'info', message: undoneMessage });
        changed();
      } catch (e) {
        undone = false;
        notifyError(e);
      }
    },
  };
  notify({ kind: 'success', message, ttl: 10_000, action: { label: 'Undo', run: () => void step.undo() } });
  changed();
  return step;
}

/** Reports a change to samples with an Undo that writes the records back as they were. */
const reportWithUndo = (message: string, before: SampleRecord[], changed: () => void): UndoStep =>
  reportUndoable(message, () => putSamples(before), `${plural(before.length)} back as they were.`, changed);

export async function deleteSamplesWithUndo(ids: string[], changed: () => void): Promise<UndoStep | null> {
  try {
    const before = await removeSamples(ids);
    return reportWithUndo(`Deleted ${plural(before.length)}.`, before, changed);
  } catch (e) {
    notifyError(e);
    return null;
  }
}

export async function setStatusWithUndo(ids: string[], status: SampleStatus, changed: () => void): Promise<UndoStep | null> {
  try {
    const before = await setSamplesStatus(ids, status);
    return reportWithUndo(`${plural(before.length)} marked ${status}.`, before, changed);
  } catch (e) {
    notifyError(e);
    return null;
  }
}

export async function moveSamplesWithUndo(ids: string[], toDatasetId: string, toName: string, changed: () => void): Promise<UndoStep | null> {
  try {
    const before = await moveSamples(ids, toDatasetId);
    return reportWithUndo(`Moved ${plural(before.length)} to “${toName}”.`, before, changed);
  } catch (e) {
    notifyError(e);
    return null;
  }
}
