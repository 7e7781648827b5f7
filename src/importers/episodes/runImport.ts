/** Main-thread side of the episode import worker: a promise with progress and cancel. */
import type { EpisodeImportProtocol } from './episodeImportProtocol';
import { WorkerRpc } from '../../core/workerRpc';
import type { EpisodeImportOptions, EpisodeImportReport } from './importEpisodes';

export async function runEpisodeImportInWorker(
  entries: { path: string; file: Blob }[],
  folderName: string,
  options: EpisodeImportOptions,
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
): Promise<EpisodeImportReport> {
  const rpc = new WorkerRpc<EpisodeImportProtocol>(new Worker(new URL('../../workers/episodeImport.worker.ts', import.meta.url), { type: 'module', name: 'episode-import' }), 'import');
  try {
    return await rpc.call('import', [entries, folderName, options], { signal, onProgress: (p) => onProgress(p.done, p.total) });
  } finally {
    rpc.dispose();
  }
}
