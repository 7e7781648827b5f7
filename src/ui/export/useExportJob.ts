import { useState } from 'react';
import { openSink, type ExportSink } from '../../exporters/sink';
import { notify, notifyError } from '../../app/toasts';
import { isCancel, runJob } from '../../app/jobs/runJob';

/** A file-name stem from a dataset name: word characters, dots and dashes only. */
export const fileStem = (s: string) => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'dataset';

export interface ExportRun {
  /** Name offered in the save dialog. */
  fileName: string;
  label: string;
  /** Progress total (bytes or items, whatever `write` reports). */
  total: number;
  /** Writes into the sink; resolves to the bytes written. */
  write: (sink: ExportSink, signal: AbortSignal, progress: (done: number, total?: number) => void) => Promise<number>;
  /** The success line, from the bytes written and the file's name. */
  describe: (bytes: number, sinkName: string) => string;
}

/**
 * One export from click to toast: the save picker first (it needs the click's user activation),
 * then the job with progress/ETA/cancel, then the result line or a clear error; a cancelled export
 * keeps no file (the sink discards it).
 */
export function useExportJob() {
  const [jobId, setJobId] = useState<number | null>(null);
  const [result, setResult] = useState<string | null>(null);

  async function start(run: ExportRun): Promise<void> {
    setResult(null);
    try {
      const sink = await openSink(run.fileName, 'application/zip', 'zip');
      if (!sink) return;
      const bytes = await runJob(run.label, run.total, (signal, progress) => run.write(sink, signal, progress), setJobId);
      const message = run.describe(bytes, sink.name);
      setResult(message);
      notify({ kind: 'success', message });
    } catch (e) {
      if (isCancel(e)) notify({ kind: 'info', message: 'Export cancelled; no file was kept.' });
      else notifyError(e);
    } finally {
      setJobId(null);
    }
  }

  return { jobId, busy: jobId !== null, result, start };
}
