/**
 * A HAMSTER / VILA SFT zip imported as a new dataset named after the file, its images through
 * ingest workers that live as long as the import.
 */
import { importHamsterZip, type HamsterImportReport } from '../../importers/hamsterZip';
import { maxImagePixels } from '../../storage/settings';
import { IngestPool } from '../../importers/ingestPool';

export async function importHamsterZipFile(file: File, opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal }): Promise<HamsterImportReport> {
  const pool = new IngestPool();
  try {
    return await importHamsterZip(file, file.name.replace(/\.zip$/i, ''), { ...opts, process: (f) => pool.process(f, maxImagePixels()) });
  } finally {
    pool.terminate();
  }
}
