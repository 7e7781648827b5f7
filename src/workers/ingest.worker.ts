/// <reference lib="webworker" />
// Reads, checks, hashes and thumbnails one image per message, off the main thread.
import { imageSizeProblem } from '../core/imageLimits';
import { imageDimensions, sniffImage } from '../core/imageSniff';
import { assetKeys } from '../storage/hash';
import type { IngestProtocol, IngestResponse } from '../importers/ingestProtocol';
import { serve } from '../core/workerRpc';
import { errorMessage } from '../core/errorMessage';

function thumbnailSize(width: number, height: number, maxSide: number) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { tw: Math.max(1, Math.round(width * scale)), th: Math.max(1, Math.round(height * scale)) };
}

async function ingest(file: File, thumbnailMaxSide: number, maxPixels: number): Promise<IngestResponse> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sniff = sniffImage(bytes.subarray(0, 32), file.name);
  if (!sniff.ok) return { ok: false, error: sniff.reason };
  const header = imageDimensions(bytes.subarray(0, 65536), sniff.mime);
  // A decompression bomb is refused from its header, before a single pixel is decoded.
  const tooLarge = header && imageSizeProblem(header.width, header.height, maxPixels, file.name);
  if (tooLarge) return { ok: false, error: tooLarge };
  let frame: { source: CanvasImageSource; width: number; height: number; close: () => void };
  try {
    frame = await decodeForThumbnail(bytes, sniff.mime, header, thumbnailMaxSide);
  } catch {
    return { ok: false, error: `“${file.name}” could not be decoded: the image is damaged or truncated.` };
  }
  try {
    const width = header?.width ?? frame.width;
    const height = header?.height ?? frame.height;
    const decodedTooLarge = imageSizeProblem(width, height, maxPixels, file.name);
    if (decodedTooLarge) return { ok: false, error: decodedTooLarge };
    const { tw, th } = thumbnailSize(width, height, thumbnailMaxSide);
    const canvas = new OffscreenCanvas(tw, th);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D context in the worker');
    ctx.drawImage(frame.source, 0, 0, tw, th);
    const [thumbnail, keys] = await Promise.all([canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 }), assetKeys(bytes)]);
    return { ok: true, hash: keys.id, crc32: keys.crc32, mime: sniff.mime, size: bytes.byteLength, width, height, thumbnail };
  } finally {
    frame.close();
  }
}

/**
 * WebCodecs' ImageDecoder decodes about 3× faster than createImageBitmap here and can decode
 * JPEGs straight at a reduced size (measured in docs/BENCHMARKS.md); createImageBitmap is the
 * fallback for browsers without it.
 */
async function decodeForThumbnail(bytes: Uint8Array, mime: string, header: { width: number; height: number } | null, maxSide: number) {
  if (typeof ImageDecoder !== 'undefined' && (await ImageDecoder.isTypeSupported(mime))) {
    const size = header ? thumbnailSize(header.width, header.height, maxSide) : null;
    const decoder = new ImageDecoder({ data: bytes, type: mime, ...(size ? { desiredWidth: size.tw, desiredHeight: size.th } : {}) });
    try {
      const { image, complete } = await decoder.decode({ completeFramesOnly: true });
      if (!complete) {
        image.close();
        throw new Error('incomplete image');
      }
      return { source: image as CanvasImageSource, width: image.displayWidth, height: image.displayHeight, close: () => image.close() };
    } finally {
      decoder.close();
    }
  }
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: mime }));
  return { source: bitmap as CanvasImageSource, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
}

serve<IngestProtocol>({
  async ingest(_ctx, file, thumbnailMaxSide, maxPixels) {
    try {
      return await ingest(file, thumbnailMaxSide, maxPixels);
    } catch (err) {
      return { ok: false, error: `“${file.name}” could not be read: ${errorMessage(err)}` };
    }
  },
});
