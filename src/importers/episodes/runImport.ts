/** Main-thread side of the episode import worker: a promise with progress and cancel. */
import type { EpisodeImportRequest, EpisodeImportResponse } from '../../workers/episodeImportProtocol';
import type { EpisodeImportOptions, EpisodeImportReport } from './importEpisodes';

export function runEpisodeImportInWorker(
  entries: { path: string; file: Blob }[],
  folderName: string,
  options: EpisodeImportOptions,
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<EpisodeImportReport> {
  const worker = new Worker(new URL('../../workers/episodeImport.worker.ts', import.meta.url), { type: 'module', name: 'episode-import' });
  const send = (m: EpisodeImportRequest) => worker.postMessage(m);
  return new Promise<EpisodeImportReport>((resolve, reject) => {
    const onAbort = () => send({ type: 'cancel' });
    signal.addEventListener('abort', onAbort);
    worker.onmessage = (e: MessageEvent<EpisodeImportResponse>) => {
      const m = e.data;
      if (m.type === 'progress') onProgress(m.done, m.total);
      else {
        signal.removeEventListener('abort', onAbort);
        worker.terminate();
        if (m.type === 'done') resolve(m.report);
        else reject(new Error(m.message));
      }
    };
    worker.onerror = (e) => {
      signal.removeEventListener('abort', onAbort);
      worker.terminate();
      reject(new Error(`The import worker failed: ${e.message}`));
    };
    send({ type: 'start', entries, folderName, options });
  });
}
