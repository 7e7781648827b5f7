import { addVideoWithAsset, findVideoByAsset } from '../../storage/videos';
import type { AssetRecord, VideoRecord } from '../../storage/types';
import { emptyAnnotation } from '../../tracking/annotation';
import { sha256OfBlob } from '../../video/hashBlob';
import { openVideo, readVideoInfo } from '../../video/openVideo';

export interface VideoImportProgress {
  phase: 'reading' | 'hashing' | 'saving';
  done: number;
  total: number;
}

export interface VideoImportResult {
  video: VideoRecord;
  /** True when the same file was already in the dataset (nothing new stored). */
  duplicate: boolean;
}

/**
 * Imports one video file: validate and index it (mediabunny, packet metadata only), hash it in
 * slices, then store the file Blob and the record in one transaction. Any failure before the
 * transaction stores nothing; a failure inside it rolls back.
 */
export async function importVideoFile(file: File, datasetId: string, opts: { signal?: AbortSignal; onProgress?: (p: VideoImportProgress) => void } = {}): Promise<VideoImportResult> {
  const { signal, onProgress } = opts;
  onProgress?.({ phase: 'reading', done: 0, total: file.size });
  const opened = await openVideo(file, file.name);
  let info;
  try {
    info = await readVideoInfo(opened, file.name, signal);
  } finally {
    opened.input.dispose();
  }
  const assetId = await sha256OfBlob(file, { signal, onProgress: (done, total) => onProgress?.({ phase: 'hashing', done, total }) });
  const existing = await findVideoByAsset(datasetId, assetId);
  if (existing) return { video: existing, duplicate: true };
  signal?.throwIfAborted();
  onProgress?.({ phase: 'saving', done: file.size, total: file.size });
  const asset: AssetRecord = { id: assetId, blob: file, mime: file.type || info.mime.split(';')[0] || 'video/mp4', size: file.size, width: info.width, height: info.height, createdAt: Date.now() };
  const video = await addVideoWithAsset(datasetId, asset, {
    name: file.name,
    codec: info.codecString || info.codec,
    width: info.width,
    height: info.height,
    fps: info.fps,
    frameCount: info.frameCount,
    durationSeconds: info.durationSeconds,
    annotation: { ...emptyAnnotation(), frameTimes: info.frameTimes },
  });
  return { video, duplicate: false };
}
