/// <reference lib="webworker" />
// Reads, checks, hashes and thumbnails one image per message, off the main thread.
import { imageDimensions, sniffImage } from '../importers/imageSniff';
import { sha256Hex } from '../storage/hash';
import type { IngestRequest, IngestResponse } from './ingestProtocol';

declare const self: DedicatedWorkerGlobalScope;

function thumbnailSize(width: number, height: number, maxSide: number) {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { tw: Math.max(1, Math.round(width * scale)), th: Math.max(1, Math.round(height * scale)) };
}

async function ingest({ id, file, thumbnailMaxSide }: IngestRequest): Promise<IngestResponse> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const sniff = sniffImage(bytes.subarray(0, 32), file.name);
  if (!sniff.ok) return { id, ok: false, error: sniff.reason };
  const blob = new Blob([bytes], { type: sniff.mime });
  // Decoding straight to thumbnail size skips a full-size bitmap and a scaling pass.
  const header = imageDimensions(bytes.subarray(0, 65536), sniff.mime);
  let bitmap: ImageBitmap;
  try {
    bitmap = header
      ? await createImageBitmap(blob, { resizeWidth: thumbnailSize(header.width, header.height, thumbnailMaxSide).tw, resizeHeight: thumbnailSize(header.width, header.height, thumbnailMaxSide).th, resizeQuality: 'medium' })
      : await createImageBitmap(blob);
  } catch {
    return { id, ok: false, error: `“${file.name}” could not be decoded: the image is damaged or truncated.` };
  }
  try {
    const width = header?.width ?? bitmap.width;
    const height = header?.height ?? bitmap.height;
    const { tw, th } = thumbnailSize(width, height, thumbnailMaxSide);
    const canvas = new OffscreenCanvas(tw, th);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D context in the worker');
    ctx.drawImage(bitmap, 0, 0, tw, th);
    const [thumbnail, hash] = await Promise.all([canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 }), sha256Hex(bytes)]);
    return { id, ok: true, hash, mime: sniff.mime, size: bytes.byteLength, width, height, thumbnail };
  } finally {
    bitmap.close();
  }
}

self.onmessage = async (e: MessageEvent<IngestRequest>) => {
  let response: IngestResponse;
  try {
    response = await ingest(e.data);
  } catch (err) {
    response = { id: e.data.id, ok: false, error: `“${e.data.file.name}” could not be read: ${err instanceof Error ? err.message : String(err)}` };
  }
  self.postMessage(response);
};
