/** The episode import worker's calls (src/workers/rpc.ts). */
import type { EpisodeImportOptions, EpisodeImportReport } from '../importers/episodes/importEpisodes';
import type { Method } from './rpc';

export type EpisodeImportProtocol = {
  /** Imports the dataset in `entries` (Blobs, passed by reference); progress is episodes done of total. */
  import: Method<[entries: { path: string; file: Blob }[], folderName: string, options: EpisodeImportOptions], EpisodeImportReport, { done: number; total: number }>;
};
