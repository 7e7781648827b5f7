/** The image-ingest worker's calls (src/core/workerRpc.ts). */
import type { Method } from '../core/workerRpc';

export type IngestResponse =
  | { ok: true; hash: string; crc32: number; mime: string; size: number; width: number; height: number; thumbnail: Blob }
  | { ok: false; error: string };

export type IngestProtocol = {
  /**
   * Reads, checks, hashes and thumbnails one image. Images over `maxPixels` are refused from their
   * header before decoding (core/imageLimits). A refusal is a result (`ok: false`), not an error.
   */
  ingest: Method<[file: File, thumbnailMaxSide: number, maxPixels: number], IngestResponse>;
};
