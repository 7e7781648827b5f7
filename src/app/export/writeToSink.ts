import { openSink, type ExportSink } from '../../exporters/sink';
import { isCancel, runJob } from '../jobs/runJob';
import { notify, notifyError } from '../toasts';

export interface SinkWrite {
  /** Name offered in the save dialog. */
  fileName: string;
  /** The job's label in the tray. */
  label: string;
  /** Progress total (bytes or items, whatever `write` reports). */
  total: number;
  /** Writes into the sink; resolves to the bytes written. */
  write: (sink: ExportSink, signal: AbortSignal, progress: (done: number, total?: number) => void) => Promise<number>;
  /** The success line, from the bytes written and the file's name. */
  describe: (bytes: number, sinkName: string) => string;
  /** The toast when the person cancels. */
  cancelled: string;
}

/**
 * One file written from click to toast: the save picker first (it needs the click's user
 * activation), then the job with progress/ETA/cancel, then a success toast or a clear error; a
 * cancelled write keeps no file (the sink discards it). Resolves to the success line, or null when
 * nothing was written (picker closed, cancelled, failed: the person has been told already).
 */
export async function writeToSink(run: SinkWrite, onJobStart: (jobId: number) => void): Promise<string | null> {
  try {
    const sink = await openSink(run.fileName, 'application/zip', 'zip');
    if (!sink) return null;
    const bytes = await runJob(run.label, run.total, (signal, progress) => run.write(sink, signal, progress), onJobStart);
    const message = run.describe(bytes, sink.name);
    notify({ kind: 'success', message });
    return message;
  } catch (e) {
    if (isCancel(e)) notify({ kind: 'info', message: run.cancelled });
    else notifyError(e);
    return null;
  }
}
