/**
 * The camera image of each step, decoded on demand: from the stored video of an imported episode
 * (frame i at the importer's time, fromTimestamp + (i + ½) / fps), otherwise from the stored
 * images (every step of a live recording; only each sample's first frame of an imported episode
 * whose video was too large to keep — other steps show the nearest stored frame before them).
 * Recent images stay in a small cache so stepping back is instant; decodes run one at a time.
 */
import { getAsset } from '../../storage/assets';
import { openVideoFile, type VideoFile } from '../../video/videoFrames';
import type { PlayerEpisode } from './playerEpisode';

export interface FrameImage {
  /** Owned by the frame store (closed when it leaves the cache): draw it, do not close it. */
  bitmap: ImageBitmap;
  /** The step this image was taken at (a neighbour's when the step has none of its own). */
  step: number;
}

/** What the player needs of the frame store (a fake in the controller's tests). */
export interface FrameImages {
  /** Whether `step` has an image of its own. */
  has(step: number): boolean;
  /** The step's image (or its nearest stored neighbour's); null when the episode has no image at all. */
  image(step: number): Promise<FrameImage | null>;
  dispose(): void;
}

const CACHED_IMAGES = 32;

export class EpisodeFrames implements FrameImages {
  private video: Promise<VideoFile> | null = null;
  private readonly cache = new Map<number, FrameImage>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly storedSteps: number[];
  private disposed = false;

  constructor(private readonly episode: PlayerEpisode) {
    this.storedSteps = [...episode.storedFrames.keys()].sort((a, b) => a - b);
  }

  has(step: number): boolean {
    return !!this.episode.video || this.episode.storedFrames.has(step);
  }

  image(step: number): Promise<FrameImage | null> {
    const run = this.queue.then(() => this.load(step));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(step: number): Promise<FrameImage | null> {
    const source = this.episode.video ? step : this.nearestStored(step);
    if (source === null) return null;
    const hit = this.cache.get(source);
    if (hit) {
      this.cache.delete(source);
      this.cache.set(source, hit);
      return hit;
    }
    const bitmap = this.episode.video ? await this.fromVideo(source) : await createImageBitmap(new Blob([this.episode.storedFrames.get(source) as Uint8Array<ArrayBuffer>]));
    if (this.disposed) {
      bitmap.close();
      return null;
    }
    const image = { bitmap, step: source };
    this.cache.set(source, image);
    while (this.cache.size > CACHED_IMAGES) {
      const oldest = this.cache.keys().next().value!;
      this.cache.get(oldest)!.bitmap.close();
      this.cache.delete(oldest);
    }
    return image;
  }

  /** The last stored step at or before `step` (the first one when there is none before). */
  private nearestStored(step: number): number | null {
    let found: number | null = this.storedSteps[0] ?? null;
    for (const s of this.storedSteps) if (s <= step) found = s;
    return found;
  }

  private async fromVideo(step: number): Promise<ImageBitmap> {
    const v = this.episode.video!;
    if (!this.video) {
      this.video = getAsset(v.assetId).then((asset) => {
        if (!asset) throw new Error(`The video of this episode (${v.fileName}) is no longer in the studio. Open /recovery to check the database, or import the episode again.`);
        return openVideoFile(asset.blob, v.fileName);
      });
      // A video that failed to open is tried again for the next frame asked for.
      this.video.catch(() => { this.video = null; });
    }
    return (await this.video).frameAt(v.fromTimestamp + (step + 0.5) / v.fps);
  }

  dispose(): void {
    this.disposed = true;
    for (const { bitmap } of this.cache.values()) bitmap.close();
    this.cache.clear();
    void this.video?.then((v) => v.close(), () => undefined);
  }
}
