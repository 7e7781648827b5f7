import { addSamplesWithAssets, assetsInDataset, discardStagedAssets, stageAssets, type NewSample } from '../storage/samples';
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
 * Imports image files as draft samples. Bad files are reported one by one and skipped. The good
 * ones' images are stored in batches while the rest decode (waiting for the last file before
 * writing 1,000 images cost a third of the import's time); the samples, which make them visible,
 * are written in one transaction at the end. A cancelled or failed import discards what it staged,
 * so it leaves nothing behind.
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
  const staging = new AssetStaging();
  const concurrency = 8;
  let cursor = 0;
  const worker = async () => {
    while (cursor < candidates.length && !opts.signal?.aborted && !staging.failure) {
      const file = candidates[cursor++];
      const r = await opts.process(file);
      if (r.ok) {
        const asset: AssetRecord = { id: r.hash, crc32: r.crc32, blob: file, mime: r.mime, size: r.size, width: r.width, height: r.height, thumbnail: r.thumbnail, createdAt: Date.now() };
        accepted.push({ file, asset });
        staging.add(asset);
      } else if (!opts.signal?.aborted) {
        problems.push({ fileName: file.name, message: r.error });
      }
      done++;
      progress();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, candidates.length) }, worker));
  // The benchmark reads where the time goes: decoding (the workers) vs what is left to store after.
  performance.mark('import:decoded');
  if (!opts.signal?.aborted) await staging.settled();
  if (opts.signal?.aborted || staging.failure) {
    await staging.discard();
    if (staging.failure) throw staging.failure;
    return { imported: 0, duplicates: [], problems, cancelled: true };
  }

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
  try {
    if (samples.length) await addSamplesWithAssets(datasetId, fresh.map((f) => f.asset), samples);
    performance.measure('import:store-after-decode', 'import:decoded');
  } catch (err) {
    await staging.discard();
    throw err;
  }
  problems.sort((a, b) => a.fileName.localeCompare(b.fileName));
  return { imported: samples.length, duplicates, problems, cancelled: false };
}

/** Writes accepted images in batches, one write at a time, and remembers which it created. */
class AssetStaging {
  private batch: AssetRecord[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly created: string[] = [];
  failure: unknown;

  constructor(private readonly batchSize = 64) {}

  add(asset: AssetRecord) {
    this.batch.push(asset);
    if (this.batch.length >= this.batchSize) this.flush();
  }

  /** Writes what is left and waits for every write. */
  async settled() {
    this.flush();
    await this.chain;
  }

  /** Removes the images this import created (those no sample uses). */
  async discard() {
    await this.chain;
    await discardStagedAssets(this.created);
  }

  private flush() {
    if (!this.batch.length) return;
    const batch = this.batch;
    this.batch = [];
    this.chain = this.chain.then(async () => {
      if (this.failure) return;
      try {
        this.created.push(...(await stageAssets(batch)));
      } catch (err) {
        this.failure = err;
      }
    });
  }
}
