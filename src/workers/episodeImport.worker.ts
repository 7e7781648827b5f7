/// <reference lib="webworker" />
// Runs an episode import off the main thread: parquet parsing, video decoding, projection,
// PNG encoding and hashing, and the per-episode database transactions.
import { importEpisodes } from '../importers/episodes/importEpisodes';
import { openEpisodeSource } from '../importers/episodes/openSource';
import { datasetFilesFromEntries } from '../importers/episodes/source';
import type { EpisodeImportRequest, EpisodeImportResponse } from './episodeImportProtocol';

declare const self: DedicatedWorkerGlobalScope;

let controller: AbortController | null = null;
const post = (m: EpisodeImportResponse) => self.postMessage(m);

self.onmessage = async (e: MessageEvent<EpisodeImportRequest>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    controller?.abort();
    return;
  }
  controller = new AbortController();
  const files = datasetFilesFromEntries(msg.entries, msg.folderName);
  let source;
  try {
    source = await openEpisodeSource(files, { roles: msg.options.roles, bag: msg.options.bag });
    const report = await importEpisodes(source, files, msg.options, (done, total) => post({ type: 'progress', done, total }), controller.signal);
    post({ type: 'done', report });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  } finally {
    source?.close();
  }
};
