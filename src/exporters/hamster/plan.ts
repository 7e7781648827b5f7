/**
 * The summary shown before a HAMSTER export and the list of what goes in. Reads the dataset once in
 * pages (records are dropped after each page: memory holds ids only).
 */
import { getAsset } from '../../storage/assets';
import { getDataset } from '../../storage/datasets';
import { getSamples, querySampleIds } from '../../storage/samples';
import { SAMPLE_SOURCES, SAMPLE_STATUSES, type SampleSource, type SampleStatus } from '../../storage/types';
import { ALL_SOURCES, sampleMatches } from '../exportFilter';
import { auditSample, type AuditWarning, type SkipReason } from './audit';
import { DEFAULT_PROMPT_TEMPLATE } from '../../formats/hamster/records';
import { validationImages } from './split';

export interface HamsterExportOptions {
  /** Which review states go in (e.g. only `reviewed`). */
  statuses: SampleStatus[];
  /** Which sources go in (images, video frames, episodes…). */
  sources: SampleSource[];
  /** Text the instruction must contain ('' = any), case-insensitive. */
  task: string;
  /** Share of *images* held out for validation, 0 … 1 (0: no val.json). */
  validationFraction: number;
  seed: number;
  /** Longest image side in pixels; larger images are scaled down. Null keeps the originals. */
  maxImageSide: number | null;
  decimals: number;
  /** RDP ε; null exports every drawn point. */
  simplifyEpsilon: number | null;
  promptTemplate: string;
}

export const DEFAULT_HAMSTER_OPTIONS: HamsterExportOptions = {
  statuses: ['done', 'reviewed'],
  sources: ALL_SOURCES,
  task: '',
  validationFraction: 0,
  seed: 0,
  maxImageSide: null,
  decimals: 2,
  simplifyEpsilon: null,
  promptTemplate: DEFAULT_PROMPT_TEMPLATE,
};

export interface ListedSample {
  sampleId: string;
  fileName: string;
  status: SampleStatus;
}

export interface HamsterSummary {
  datasetId: string;
  datasetName: string;
  total: number;
  byStatus: Record<SampleStatus, number>;
  bySource: Record<SampleSource, number>;
  /** Samples the filter keeps (statuses, sources, task) that will be written. */
  included: number;
  train: { samples: number; images: number };
  validation: { samples: number; images: number };
  /** Unique images written, and their stored size. */
  images: number;
  imageBytes: number;
  skipped: (ListedSample & { reason: SkipReason })[];
  warnings: (ListedSample & { warning: AuditWarning })[];
}

export interface HamsterPlan {
  summary: HamsterSummary;
  /** In queue order. */
  samples: { sampleId: string; assetId: string; split: 'train' | 'validation' }[];
  /** Unique assets in first-use order with their stored mime and size. */
  assets: { id: string; mime: string; size: number; width: number; height: number }[];
}

const PAGE = 500;

export async function planHamsterExport(datasetId: string, options: HamsterExportOptions, signal?: AbortSignal): Promise<HamsterPlan> {
  const dataset = await getDataset(datasetId);
  if (!dataset) throw new Error('That dataset no longer exists.');
  const byStatus = Object.fromEntries(SAMPLE_STATUSES.map((s) => [s, 0])) as Record<SampleStatus, number>;
  const bySource = Object.fromEntries(SAMPLE_SOURCES.map((s) => [s, 0])) as Record<SampleSource, number>;
  const skipped: HamsterSummary['skipped'] = [];
  const warnings: HamsterSummary['warnings'] = [];
  const picked: { sampleId: string; assetId: string }[] = [];
  const ids = await querySampleIds(datasetId);
  for (let i = 0; i < ids.length; i += PAGE) {
    if (signal?.aborted) throw new DOMException('cancelled', 'AbortError');
    for (const s of await getSamples(ids.slice(i, i + PAGE))) {
      if (!s) continue;
      byStatus[s.status]++;
      bySource[s.source]++;
      if (!sampleMatches(options, s)) continue;
      const listed = { sampleId: s.id, fileName: s.provenance.fileName ?? s.id, status: s.status };
      const audit = auditSample(s);
      if (audit.skip) {
        skipped.push({ ...listed, reason: audit.skip });
        continue;
      }
      for (const w of audit.warnings) warnings.push({ ...listed, warning: w });
      picked.push({ sampleId: s.id, assetId: s.assetId });
    }
  }
  const val = validationImages(picked.map((p) => p.assetId), options.validationFraction, options.seed);
  const assets: HamsterPlan['assets'] = [];
  const seen = new Set<string>();
  for (const p of picked) {
    if (seen.has(p.assetId)) continue;
    seen.add(p.assetId);
    const a = await getAsset(p.assetId);
    if (!a) throw new Error(`The image of sample ${p.sampleId} is not in this browser (asset ${p.assetId.slice(0, 12)}…). If its dataset is shared, export while the team server can be reached, or tick “Available offline” in Settings → Team first.`);
    assets.push({ id: a.id, mime: a.mime, size: a.size, width: a.width, height: a.height });
  }
  const samples = picked.map((p) => ({ ...p, split: val.has(p.assetId) ? ('validation' as const) : ('train' as const) }));
  const valSamples = samples.filter((s) => s.split === 'validation').length;
  return {
    samples,
    assets,
    summary: {
      datasetId,
      datasetName: dataset.name,
      total: ids.length,
      byStatus,
      bySource,
      included: samples.length,
      train: { samples: samples.length - valSamples, images: assets.length - val.size },
      validation: { samples: valSamples, images: val.size },
      images: assets.length,
      imageBytes: assets.reduce((n, a) => n + a.size, 0),
      skipped,
      warnings,
    },
  };
}
