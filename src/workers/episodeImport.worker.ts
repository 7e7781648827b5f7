/// <reference lib="webworker" />
// Runs an episode import off the main thread: parquet parsing, video decoding, projection,
// PNG encoding and hashing, and the per-episode database transactions.
import { importEpisodes } from '../importers/episodes/importEpisodes';
import { openEpisodeSource } from '../importers/episodes/openSource';
import { datasetFilesFromEntries } from '../importers/episodes/source';
import type { EpisodeImportProtocol } from '../importers/episodes/episodeImportProtocol';
import { serve } from '../core/workerRpc';

serve<EpisodeImportProtocol>({
  async import(ctx, entries, folderName, options) {
    const files = datasetFilesFromEntries(entries, folderName);
    const source = await openEpisodeSource(files, { roles: options.roles, bag: options.bag });
    try {
      return await importEpisodes(source, files, options, (done, total) => ctx.progress({ done, total }), ctx.signal);
    } finally {
      source.close();
    }
  },
});
