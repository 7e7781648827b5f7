import { useJobs } from './jobs';

/**
 * Runs long work as a job (tray entry with progress, ETA and cancel) and returns its result.
 * `work` gets the AbortSignal and a progress callback (throttled to ~10 updates a second).
 */
export async function runJob<T>(label: string, total: number, work: (signal: AbortSignal, progress: (done: number, total?: number) => void) => Promise<T>, onStart?: (jobId: number) => void): Promise<T> {
  const abort = new AbortController();
  const jobs = useJobs.getState();
  const id = jobs.start(label, total, () => abort.abort());
  onStart?.(id);
  let last = 0;
  const progress = (done: number, t?: number) => {
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    useJobs.getState().progress(id, done, t);
  };
  try {
    return await work(abort.signal, progress);
  } finally {
    useJobs.getState().finish(id);
  }
}

export const isCancel = (e: unknown) =>
  typeof e === 'object' && e !== null && 'name' in e && ((e as { name: string }).name === 'AbortError' || (e as { name: string }).name === 'ExportCancelledError');
