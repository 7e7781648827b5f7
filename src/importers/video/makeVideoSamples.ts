import { assetKeys } from '../../storage/hash';
import { addSamplesWithAssets, updateSample, videoSegmentSamples, type NewSample } from '../../storage/samples';
import type { AssetRecord, SampleRecord, VideoRecord } from '../../storage/types';
import type { GripperEvent, VideoSegment } from '../../tracking/annotation';
import { segmentToPath, trackProblem } from '../../tracking/trackToPath';

/** Anything that hands out decoded frames by index (FrameSource in the app). */
export interface FrameProvider {
  frame(index: number): Promise<ImageBitmap>;
}

const THUMBNAIL_SIDE = 256;

/** A decoded frame as an image asset (JPEG, plus a small thumbnail for grids). */
export async function frameToAsset(bitmap: ImageBitmap): Promise<AssetRecord> {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(bitmap.width, bitmap.height));
  const thumbCanvas = new OffscreenCanvas(Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale)));
  thumbCanvas.getContext('2d')!.drawImage(bitmap, 0, 0, thumbCanvas.width, thumbCanvas.height);
  const thumbnail = await thumbCanvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  return { ...(await assetKeys(blob)), blob, mime: 'image/jpeg', size: blob.size, width: bitmap.width, height: bitmap.height, thumbnail, createdAt: Date.now() };
}

export interface SegmentSampleReport {
  samples: SampleRecord[];
  /** Segments whose sample (still a draft) was made anew in place: ids. */
  updated: { segment: VideoSegment; sampleId: string }[];
  /** Segments left out, with why (no instruction is fine; no track is not). */
  skipped: { segment: VideoSegment; reason: string }[];
}

/**
 * One sample per segment: the segment's first frame, its instruction, and the tracked trajectory
 * simplified into a path (docs/PATH_FORMAT.md), with provenance (video asset, frames). One transaction.
 */
export async function makeSegmentSamples(video: VideoRecord, segments: VideoSegment[], events: GripperEvent[], frames: FrameProvider, epsilon?: number): Promise<SegmentSampleReport> {
  const assets: AssetRecord[] = [];
  const news: NewSample[] = [];
  const skipped: SegmentSampleReport['skipped'] = [];
  const updated: SegmentSampleReport['updated'] = [];
  for (const segment of segments) {
    const result = segmentToPath(segment, events, video.width, video.height, epsilon);
    const { path, usedFrames } = result;
    if (usedFrames < 2) {
      skipped.push({ segment, reason: 'no tracked point yet: click the point on its first frame' });
      continue;
    }
    const problem = trackProblem(result);
    if (problem) {
      skipped.push({ segment, reason: problem });
      continue;
    }
    // A segment has one sample: made again (a second click, a corrected track), its draft is
    // replaced in place; one a person has finished is left alone.
    const [existing] = await videoSegmentSamples(video.datasetId, video.assetId, segment.start, segment.end);
    if (existing && existing.status !== 'draft') {
      skipped.push({ segment, reason: `it already has a sample marked ${existing.status}, left as is (change it in Annotate, or set it back to draft first)` });
      continue;
    }
    if (existing) {
      await updateSample(existing.id, { path, instruction: segment.instruction, prelabeled: false });
      updated.push({ segment, sampleId: existing.id });
      continue;
    }
    const asset = await frameToAsset(await frames.frame(segment.start));
    assets.push(asset);
    news.push({
      assetId: asset.id,
      instruction: segment.instruction,
      path,
      source: 'video',
      provenance: { videoAssetId: video.assetId, frameStart: segment.start, frameEnd: segment.end, fileName: video.name },
    });
  }
  const samples = news.length ? await addSamplesWithAssets(video.datasetId, assets, news) : [];
  return { samples, updated, skipped };
}

/** Plain images for sketching: one sample (no path) every `step` frames. One transaction. */
export async function makeEveryNthFrameSamples(video: VideoRecord, frames: FrameProvider, step: number, opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<SampleRecord[]> {
  if (!Number.isInteger(step) || step < 1) throw new RangeError('The frame step must be a whole number ≥ 1.');
  const indices: number[] = [];
  for (let f = 0; f < video.frameCount; f += step) indices.push(f);
  const assets: AssetRecord[] = [];
  for (const [i, f] of indices.entries()) {
    opts.signal?.throwIfAborted();
    assets.push(await frameToAsset(await frames.frame(f)));
    opts.onProgress?.(i + 1, indices.length);
  }
  return addSamplesWithAssets(video.datasetId, assets, assets.map((a, i) => ({
    assetId: a.id,
    source: 'video',
    provenance: { videoAssetId: video.assetId, frameStart: indices[i], frameEnd: indices[i], fileName: video.name },
  })));
}
