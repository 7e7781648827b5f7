import { addSamplesWithAssets, assetsInDataset, type NewSample } from '../storage/samples';
import type { AssetRecord } from '../storage/types';
import type { IngestResponse } from './ingestProtocol';

export interface FileProblem {
  fileName: string;
  message: string;
}

export interface ImageImportReport {
  imported: number;
  /** Files whose exact bytes are already in this dataset (or twice in this drop). */
  duplicates: string[];
  problems: FileProblem[];
  cancelled: boolean;
}

export interface ImageImportOptions {
  /** Checks, hashes and thumbnails one file (the worker pool in the app; a stub in tests). */
  process: (file: File) => Promise<IngestResponse>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Files we never show as problems: OS metadata picked up when a folder is dropped. */
export function isIgnorableFile(name: string): boolean {
  return name === '.DS_Store' || name === 'Thumbs.db' || name === 'desktop.ini' || name.startsWith('._');
}

/**
 * Imports image files as draft samples. Bad files are reported one by one and skipped; the good
 * ones are written in one transaction at the end, so a cancelled or failed import stores nothing.
 */
export async function importImages(datasetId: string, files: File[], opts: ImageImportOptions): Promise<ImageImportReport> {
  const candidates = files.filter((f) => !isIgnorableFile(f.name));
  const problems: FileProblem[] = [];
  const accepted: { file: File; asset: AssetRecord }[] = [];
  let done = 0;
  // Progress at most ~10 times a second: re-rendering per file would steal a core from decoding.
  let lastReport = 0;
  const progress = () => {
    const now = performance.now();
    if (done === candidates.length || now - lastReport > 100) {
      lastReport = now;
      opts.onProgress?.(done, candidates.length);
    }
  };
  opts.onProgress?.(0, candidates.length);
  const concurrency = 8;
  let cursor = 0;
  const worker = async () => {
    while (cursor < candidates.length && !opts.signal?.aborted) {
      const file = candidates[cursor++];
      const r = await opts.process(file);
      if (r.ok) {
        accepted.push({
          file,
          asset: { id: r.hash, crc32: r.crc32, blob: file, mime: r.mime, size: r.size, width: r.width, height: r.height, thumbnail: r.thumbnail, createdAt: Date.now() },
        });
      } else if (!opts.signal?.aborted) {
        problems.push({ fileName: file.name, message: r.error });
      }
      done++;
      progress();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, candidates.length) }, worker));
  if (opts.signal?.aborted) return { imported: 0, duplicates: [], problems, cancelled: true };
  // The benchmark reads where the time goes: decoding (the workers) vs storing after.
  performance.mark('import:decoded');

  // Keep the drop order stable regardless of which worker finished first.
  const position = new Map(candidates.map((f, i) => [f, i]));
  accepted.sort((a, b) => position.get(a.file)! - position.get(b.file)!);

  const already = await assetsInDataset(datasetId, [...new Set(accepted.map((a) => a.asset.id))]);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const fresh: typeof accepted = [];
  for (const a of accepted) {
    if (already.has(a.asset.id) || seen.has(a.asset.id)) duplicates.push(a.file.name);
    else fresh.push(a);
    seen.add(a.asset.id);
  }
  const samples: NewSample[] = fresh.map(({ file, asset }) => ({
    assetId: asset.id,
    source: 'image',
    provenance: { fileName: file.webkitRelativePath || file.name },
  }));
  if (samples.length) await addSamplesWithAssets(datasetId, fresh.map((f) => f.asset), samples);
  performance.measure('import:store-after-decode', 'import:decoded');
  problems.sort((a, b) => a.fileName.localeCompare(b.fileName));
  return { imported: samples.length, duplicates, problems, cancelled: false };
}
