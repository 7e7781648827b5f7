/**
 * Streams a HAMSTER / VILA SFT zip (layout in docs/EXPORT.md): data.json (training split),
 * val.json (validation split, when asked), export_info.json and images/. zip/zipWriter builds the
 * archive as a stream without compressing (images are already compressed), records are read from
 * the database a page at a time; stored images go to the file as Blobs without entering the page
 * (their CRC-32 is kept from ingest; older ones are read a few at a time), so memory stays flat.
 */
import { getAsset } from '../../storage/assets';
import { getSamples } from '../../storage/samples';
import { pumpToSink, type ExportSink } from '../sink';
import { SKIP_REASON_TEXT } from './audit';
import { HAMSTER_FORMAT, imageFileName, INFO_FILE, TRAIN_FILE, VALIDATION_FILE } from '../../formats/hamster/layout';
import type { HamsterExportOptions, HamsterPlan } from './plan';
import { sftRecord } from '../../formats/hamster/records';
import { makeStoredZip } from '../../formats/zip/zipWriter';

export interface HamsterExportDeps {
  /** Scales an image down (the browser's resizer; tests pass their own). */
  resize?: (blob: Blob, mime: string, width: number, height: number, maxSide: number) => Promise<Blob>;
  signal?: AbortSignal;
  /** Bytes written so far, and the expected total. */
  onProgress?: (written: number, expected: number) => void;
}

const PAGE = 200;

/** The records of one split as a JSON array, streamed as text pieces. */
async function* splitJson(plan: HamsterPlan, split: 'train' | 'validation', options: HamsterExportOptions): AsyncGenerator<string> {
  const mimeOf = new Map(plan.assets.map((a) => [a.id, a.mime]));
  const ids = plan.samples.filter((s) => s.split === split).map((s) => s.sampleId);
  yield '[';
  let first = true;
  for (let i = 0; i < ids.length; i += PAGE) {
    const page = await getSamples(ids.slice(i, i + PAGE));
    let text = '';
    for (const s of page) {
      // Checked when planning; a sample edited since then to an unusable state is left out.
      if (!s?.path || s.path.points.length === 0) continue;
      const record = sftRecord(s.id, imageFileName(s.assetId, mimeOf.get(s.assetId)!), s.instruction, s.path, options);
      text += (first ? '\n' : ',\n') + JSON.stringify(record);
      first = false;
    }
    if (text) yield text;
  }
  yield '\n]\n';
}

export function exportInfo(plan: HamsterPlan, options: HamsterExportOptions, createdAt = new Date()): Record<string, unknown> {
  const { summary } = plan;
  return {
    format: HAMSTER_FORMAT,
    version: 1,
    generator: 'Path Studio',
    createdAt: createdAt.toISOString(),
    dataset: { id: summary.datasetId, name: summary.datasetName },
    files: { train: TRAIN_FILE, validation: summary.validation.samples ? VALIDATION_FILE : null, images: 'images/' },
    options: {
      statuses: options.statuses,
      sources: options.sources,
      task: options.task,
      validationFraction: options.validationFraction,
      splitBy: 'image',
      seed: options.seed,
      maxImageSide: options.maxImageSide,
      decimals: options.decimals,
      simplifyEpsilon: options.simplifyEpsilon,
      promptTemplate: options.promptTemplate,
    },
    counts: { train: summary.train, validation: summary.validation, images: summary.images, skipped: summary.skipped.length },
    skipped: summary.skipped.map((s) => ({ id: s.sampleId, file: s.fileName, reason: SKIP_REASON_TEXT[s.reason] })),
  };
}

async function* entries(plan: HamsterPlan, options: HamsterExportOptions, deps: HamsterExportDeps) {
  const now = new Date();
  yield { name: TRAIN_FILE, data: splitJson(plan, 'train', options), lastModified: now };
  if (plan.summary.validation.samples) yield { name: VALIDATION_FILE, data: splitJson(plan, 'validation', options), lastModified: now };
  yield { name: INFO_FILE, data: JSON.stringify(exportInfo(plan, options, now), null, 2) + '\n', lastModified: now };
  for (const a of plan.assets) {
    if (deps.signal?.aborted) return;
    const asset = await getAsset(a.id);
    if (!asset) throw new Error(`An image (asset ${a.id.slice(0, 12)}…) was deleted during the export.`);
    const name = imageFileName(a.id, a.mime);
    const lastModified = new Date(asset.createdAt);
    if (options.maxImageSide && deps.resize && Math.max(a.width, a.height) > options.maxImageSide) {
      yield { name, data: await deps.resize(asset.blob, a.mime, a.width, a.height, options.maxImageSide), lastModified };
    } else {
      // The stored image as it is: with its CRC-32 from ingest, the Blob goes to the file unread.
      yield { name, data: asset.blob, crc32: asset.crc32, lastModified };
    }
  }
}

/** Rough size of the archive, for progress: images + records + zip headers. */
export function expectedBytes(plan: HamsterPlan): number {
  return plan.summary.imageBytes + plan.samples.length * 1200 + plan.assets.length * 200 + 4096;
}

/** Writes the zip into `sink`; returns the bytes written. Cancelling or a failed write discards the file. */
export async function writeHamsterZip(plan: HamsterPlan, options: HamsterExportOptions, sink: ExportSink, deps: HamsterExportDeps = {}): Promise<number> {
  const expected = expectedBytes(plan);
  // Two images are read ahead while one is checksummed and written (the entries do not depend on
  // each other: the JSON streams read their own pages).
  const stream = makeStoredZip(entries(plan, options, deps), { readAhead: 2 });
  return pumpToSink(stream, sink, {
    signal: deps.signal,
    onBytes: (n) => deps.onProgress?.(n, Math.max(expected, n)),
  });
}
