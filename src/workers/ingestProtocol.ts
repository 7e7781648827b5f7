/** Typed messages between the UI and the image-ingest worker. */
export interface IngestRequest {
  id: number;
  file: File;
  thumbnailMaxSide: number;
  /** Larger images are refused before decoding (core/imageLimits). */
  maxPixels: number;
}

export type IngestResponse =
  | { id: number; ok: true; hash: string; mime: string; size: number; width: number; height: number; thumbnail: Blob }
  | { id: number; ok: false; error: string };
