/**
 * The Library's image import: files dropped or picked into a dataset, checked, hashed and
 * thumbnailed by the ingest workers (created here, once, never by the screen), refused above the
 * pixel cap set in Settings.
 */
import { importImages, type ImageImportReport } from '../../importers/imageImport';
import { maxImagePixels } from '../../storage/settings';
import { IngestPool } from '../../importers/ingestPool';

let pool: IngestPool | undefined;

export function importImageFiles(datasetId: string, files: File[], opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal }): Promise<ImageImportReport> {
  return importImages(datasetId, files, { ...opts, process: (f) => (pool ??= new IngestPool()).process(f, maxImagePixels()) });
}
