/**
 * The Library's image import: files dropped or picked into a dataset, checked, hashed and
 * thumbnailed by the ingest workers (created here, once, never by the screen), refused above the
 * pixel cap set in Settings.
 */
import { importImages, type ImageImportReport } from '../../importers/imageImport';
import { maxImagePixels } from '../../storage/settings';
import { IngestPool } from '../../importers/ingestPool';
import { exposeForAutomation } from '../automation';

let pool: IngestPool | undefined;
const workers = () => (pool ??= new IngestPool());

export function importImageFiles(datasetId: string, files: File[], opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal }): Promise<ImageImportReport> {
  return importImages(datasetId, files, { ...opts, process: (f) => workers().process(f, maxImagePixels()) });
}

/**
 * For the ingest benchmark (`npm run bench library`): the same workers on the same files —
 * read, check, decode, thumbnail, hash — with nothing stored: the rate an import can reach on
 * these cores. Returns the milliseconds it took.
 */
async function ingestAlone(files: File[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(files.map((f) => workers().process(f, maxImagePixels())));
  return performance.now() - t0;
}

/** Puts `window.__pathStudioIngest` up while a dataset page is open (automation builds only). */
export const exposeIngestForAutomation = (): (() => void) => exposeForAutomation('__pathStudioIngest', { ingestAlone });
