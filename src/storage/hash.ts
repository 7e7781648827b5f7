import { crc32 } from '../core/crc32';

/** SHA-256 of bytes as lowercase hex (Web Crypto: available in browsers, workers and Node ≥ 20). */
export async function sha256Hex(data: ArrayBuffer | Uint8Array | Blob): Promise<string> {
  const buf = data instanceof Blob ? await data.arrayBuffer() : data;
  const digest = await crypto.subtle.digest('SHA-256', buf as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What an asset is known by, computed once while its bytes are in memory at ingest: the SHA-256
 * (its id: identical files share one asset) and the CRC-32 that a ZIP entry needs, so an export
 * can hand the stored Blob to the file without reading it into the page (docs/EXPORT.md).
 */
export async function assetKeys(data: Uint8Array | Blob): Promise<{ id: string; crc32: number }> {
  const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data;
  return { id: await sha256Hex(bytes), crc32: crc32(bytes) };
}
