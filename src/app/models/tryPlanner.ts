/**
 * "Try the planner" on the Models screen: the active planner run on a sample's image, the
 * simulator's sample frame or an image file, and the path it proposes drawn over the image.
 */
import type { Path } from '../../core/path';
import type { RgbaImage } from '../../core/raster';
import { renderPathOverlay } from '../../core/overlay';
import { SnapshotStore } from '../../core/snapshotStore';
import { bitmapPixels } from '../../inference/imagePixels';
import { traceMark } from '../../inference/startupTrace';
import { suggestPath } from '../../inference/suggest';
import { getAsset, getSamples, querySampleIds } from '../library/sampleQueries';
import type { SampleRecord } from '../records';
import { errorMessage } from '../../core/errorMessage';

export interface TryResult {
  path: Path;
  ms: number;
}

export interface TryPlannerState {
  datasetId: string;
  /** The chosen dataset's first samples, to take an image and instruction from. */
  samples: SampleRecord[];
  image: Blob | null;
  instruction: string;
  result: TryResult | null;
  error: string | null;
  running: boolean;
}

/** Samples offered from a dataset: enough to try on, few enough for one list. */
const SAMPLES_OFFERED = 200;

export class TryPlannerController extends SnapshotStore<TryPlannerState> {
  /** Bumped by each dataset chosen: a slower earlier list arriving late is dropped. */
  private samplesSeq = 0;

  constructor() {
    super({ datasetId: '', samples: [], image: null, instruction: '', result: null, error: null, running: false });
  }

  async chooseDataset(datasetId: string): Promise<void> {
    const seq = ++this.samplesSeq;
    this.set({ datasetId });
    if (!datasetId) return this.set({ samples: [] });
    const samples = await getSamples(await querySampleIds(datasetId, {}, SAMPLES_OFFERED));
    if (seq === this.samplesSeq) this.set({ samples: samples.filter((s): s is SampleRecord => !!s) });
  }

  async pickSample(sampleId: string): Promise<void> {
    const sample = this.getSnapshot().samples.find((s) => s.id === sampleId);
    if (!sample) return;
    const asset = await getAsset(sample.assetId);
    this.set({ result: null, error: null, image: asset?.blob ?? null, instruction: sample.instruction });
  }

  /** The sample frame shipped with the default models (public/models/index.json). */
  async pickSimulatorSample(): Promise<void> {
    try {
      const base = import.meta.env.BASE_URL;
      const index = (await (await fetch(`${base}models/index.json`)).json()) as { samples?: { image: string; instruction: string }[] };
      const sample = index.samples?.[0];
      if (!sample) return;
      const image = await (await fetch(`${base}models/${sample.image}`)).blob();
      this.set({ image, instruction: sample.instruction, result: null, error: null });
    } catch (e) {
      this.set({ error: String(e) });
    }
  }

  pickImageFile(file: File): void {
    this.set({ image: file, result: null });
  }

  setInstruction(instruction: string): void {
    this.set({ instruction });
  }

  async suggest(): Promise<void> {
    const { image, instruction } = this.getSnapshot();
    if (!image) return;
    this.set({ running: true, error: null });
    const t0 = performance.now();
    try {
      const path = await suggestPath(image, instruction);
      this.set({ result: { path, ms: performance.now() - t0 } });
    } catch (err) {
      this.set({ error: errorMessage(err) });
    } finally {
      this.set({ running: false });
    }
  }

  /** `image` as pixels with the suggested path drawn over it, if there is one (the caller shows it at once). */
  async picture(image: Blob, result: TryResult | null): Promise<RgbaImage> {
    const bitmap = await createImageBitmap(image);
    try {
      const pixels = bitmapPixels(bitmap);
      if (!result) return pixels;
      const drawn = renderPathOverlay(pixels, result.path, 'overlay');
      traceMark('suggest.shown');
      return drawn;
    } finally {
      bitmap.close();
    }
  }
}
