/**
 * The stored records' shapes and vocabularies, as the screens use them. Screens reach stored data
 * only through src/app (ESLint `floors/imports`), so where it lives — this browser's IndexedDB
 * today — is decided in one layer (docs/ARCHITECTURE.md).
 */
export { SAMPLE_SOURCES, SAMPLE_STATUSES } from '../storage/types';
export type { DatasetRecord, EpisodeRecord, ModelRecord, SampleRecord, SampleSource, SampleStatus, VideoRecord } from '../storage/types';
