/** The episode import worker's calls (src/core/workerRpc.ts). */
import type { EpisodeImportOptions, EpisodeImportReport } from './importEpisodes';
import type { Method } from '../../core/workerRpc';

export type EpisodeImportProtocol = {
  /** Imports the dataset in `entries` (Blobs, passed by reference); progress is episodes done of total. */
  import: Method<[entries: { path: string; file: Blob }[], folderName: string, options: EpisodeImportOptions], EpisodeImportReport, { done: number; total: number }>;
};
