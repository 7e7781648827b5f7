/** The samples and images the Library (and the Models page's try-out) read. */
export { countByStatus, forEachSamplePage, getSamples, querySampleIds, type SampleFilter } from '../../storage/samples';
export { querySortedSampleIds, SAMPLE_SORT_KEYS, type SampleSort, type SampleSortKey, type SortDirection } from '../../storage/sampleSort';
export { episodeOutcomes, type EpisodeOutcome } from '../../storage/sampleOutcomes';
export { getAsset, getThumbnailBlob } from '../../storage/assets';
