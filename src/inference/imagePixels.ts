/** Browser glue: image Blobs/bitmaps to RGBA pixels and JPEG data URLs (OffscreenCanvas). */
import type { RgbaImage } from '../core/raster';

export async function toBitmap(image: Blob | ImageBitmap): Promise<ImageBitmap> {
  return image instanceof Blob ? createImageBitmap(image) : image;
}

export function bitmapPixels(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser cannot read image pixels (no 2D canvas)');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return { width: bitmap.width, height: bitmap.height, data };
}

/** A JPEG data URL for remote planners, downscaled so the longer side is at most `maxSide`. */
export async function bitmapJpegDataUrl(bitmap: ImageBitmap, maxSide = 1024): Promise<string> {
  const s = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = new OffscreenCanvas(Math.max(1, Math.round(bitmap.width * s)), Math.max(1, Math.round(bitmap.height * s)));
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/jpeg;base64,${btoa(bin)}`;
}
