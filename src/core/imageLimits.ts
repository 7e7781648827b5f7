import { imageDimensions, sniffImage } from './imageSniff';

/**
 * The largest image the studio decodes. A PNG of 48 KB can claim 20000×20000 pixels (1.6 GB once
 * decoded): decoding it took ~30 s and ~3 GB. The size is read from the file's header and checked
 * before any decode, so such a file is refused at once. Settable (Settings → Images).
 */
export const DEFAULT_MAX_IMAGE_MEGAPIXELS = 50;

/** Null when a `width`×`height` image may be decoded; otherwise the message that refuses it. */
export function imageSizeProblem(width: number, height: number, maxPixels: number, fileName: string): string | null {
  if (!(width > 0 && height > 0)) return `“${fileName}” says it is ${width}×${height} pixels: the header is damaged.`;
  if (width * height <= maxPixels) return null;
  const mp = (width * height) / 1e6;
  return `“${fileName}” is ${width}×${height} pixels (${mp >= 10 ? Math.round(mp) : mp.toFixed(1)} MP), more than the ${+(maxPixels / 1e6).toFixed(1)} MP the studio decodes. Scale it down first, or raise the limit in Settings → Images if the file is genuine.`;
}

/**
 * The same check on encoded bytes (PNG, JPEG or WebP), from the header alone: null when the size
 * is within `maxPixels` or the header does not say (the decoder then judges the bytes).
 */
export function encodedImageSizeProblem(bytes: Uint8Array, maxPixels: number, name: string): string | null {
  const head = bytes.subarray(0, 64 * 1024);
  const sniffed = sniffImage(head, name);
  const size = sniffed.ok ? imageDimensions(head, sniffed.mime) : null;
  return size && imageSizeProblem(size.width, size.height, maxPixels, name);
}
