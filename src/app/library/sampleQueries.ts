/** The samples and images the Library (and the Models page's try-out) read. */
export { countByStatus, getSamples, querySampleIds, type SampleFilter } from '../../storage/samples';
export { getAsset, getThumbnailBlob } from '../../storage/assets';
