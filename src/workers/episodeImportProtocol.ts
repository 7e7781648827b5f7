/** Typed messages between the Import panel and the episode import worker. */
import type { EpisodeImportOptions, EpisodeImportReport } from '../importers/episodes/importEpisodes';

export type EpisodeImportRequest =
  | { type: 'start'; entries: { path: string; file: Blob }[]; folderName: string; options: EpisodeImportOptions }
  | { type: 'cancel' };

export type EpisodeImportResponse =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; report: EpisodeImportReport }
  | { type: 'error'; message: string };
