import { getAsset } from '../../storage';

export interface LoadedImage {
  assetId: string;
  bitmap: ImageBitmap;
  width: number;
  height: number;
  /**
   * Halved copies down to ~1024 px (largest first), made off the main thread at decode time, so
   * the fitted view of a 12-megapixel photo draws from a 1–2 megapixel bitmap.
   */
  levels: ImageBitmap[];
}

/** The smallest bitmap that still has at least one source pixel per device pixel at this zoom. */
export function bitmapForScale(image: LoadedImage, devicePixelsPerImagePixel: number): ImageBitmap {
  let best = image.bitmap;
  for (const level of image.levels) {
    if (level.width / image.width >= devicePixelsPerImagePixel) best = level;
  }
  return best;
}

/**
 * Decoded images by asset id, decoded off the main thread by createImageBitmap, with the next
 * samples' images preloaded so that switching sample does not wait for a decode. LRU-bounded.
 */
export class ImageCache {
  private readonly entries = new Map<string, Promise<LoadedImage>>();

  /** The open sample plus the three preloaded around it; a 4096×3072 image with its levels is ~64 MB. */
  constructor(private readonly capacity = 4) {}

  get(assetId: string): Promise<LoadedImage> {
    const hit = this.entries.get(assetId);
    if (hit) {
      // Re-insert to mark as most recently used.
      this.entries.delete(assetId);
      this.entries.set(assetId, hit);
      return hit;
    }
    const loading = decode(assetId);
    loading.catch(() => this.entries.delete(assetId));
    this.entries.set(assetId, loading);
    this.evict();
    return loading;
  }

  preload(assetIds: string[]): void {
    for (const id of assetIds) if (!this.entries.has(id)) void this.get(id).catch(() => undefined);
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      // Not closed here: the canvas may still be showing it; the GC frees it once it is not.
      this.entries.delete(oldest);
    }
  }
}

async function decode(assetId: string): Promise<LoadedImage> {
  const asset = await getAsset(assetId);
  if (!asset) {
    throw new Error('The image of this sample is not in this browser. In a shared dataset it comes from the team server, which could not send it now: connect to it, or tick “Available offline” in Settings → Team while it can be reached.');
  }
  const bitmap = await createImageBitmap(asset.blob);
  const levels: ImageBitmap[] = [];
  for (let w = bitmap.width / 2, h = bitmap.height / 2; Math.max(w, h) >= 1024; w /= 2, h /= 2) {
    levels.push(await createImageBitmap(bitmap, { resizeWidth: Math.round(w), resizeHeight: Math.round(h), resizeQuality: 'medium' }));
  }
  return { assetId, bitmap, width: bitmap.width, height: bitmap.height, levels };
}
