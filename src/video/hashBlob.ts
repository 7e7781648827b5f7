import { createSHA256 } from 'hash-wasm';

/**
 * SHA-256 of a Blob, read in slices: memory stays at one slice however large the file (a 4 GB
 * video never sits in memory). Web Crypto only hashes whole buffers, hence hash-wasm's
 * incremental hasher (WASM, ~0.5–1 GB/s).
 */
export async function sha256OfBlob(blob: Blob, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; sliceBytes?: number } = {}): Promise<string> {
  const slice = opts.sliceBytes ?? 8 << 20;
  const hasher = await createSHA256();
  hasher.init();
  for (let offset = 0; offset < blob.size; offset += slice) {
    opts.signal?.throwIfAborted();
    hasher.update(new Uint8Array(await blob.slice(offset, offset + slice).arrayBuffer()));
    opts.onProgress?.(Math.min(blob.size, offset + slice), blob.size);
  }
  return hasher.digest('hex');
}
