import { getDb } from './db';
import { guardedWrite } from './errors';
import { newId } from './ids';
import type { AssetRecord, VideoRecord } from './types';

/**
 * Imported videos (docs/ARCHITECTURE.md, Storage). The file is stored once as an asset keyed by its SHA-256 (hashed
 * in slices before this call, see src/video/hashBlob.ts); the record holds metadata and the
 * annotation. Frames are decoded on demand from the asset's Blob, never stored.
 */

export type NewVideo = Omit<VideoRecord, 'id' | 'datasetId' | 'assetId' | 'createdAt' | 'updatedAt'>;

/** Stores the file (unless the same bytes are already stored) and the record in ONE transaction. */
export async function addVideoWithAsset(datasetId: string, asset: AssetRecord, video: NewVideo): Promise<VideoRecord> {
  const db = getDb();
  return guardedWrite('save the video', () =>
    db.transaction('rw', [db.assets, db.videos, db.datasets], async () => {
      const dataset = await db.datasets.get(datasetId);
      if (!dataset || dataset.deletedAt !== undefined) throw new Error('the dataset no longer exists');
      if (!(await db.assets.get(asset.id))) await db.assets.put(asset);
      const now = Date.now();
      const record: VideoRecord = { ...video, id: newId(), datasetId, assetId: asset.id, createdAt: now, updatedAt: now };
      await db.videos.add(record);
      await db.datasets.update(datasetId, { updatedAt: now });
      return record;
    }),
  );
}

/** The video already imported into this dataset from the same bytes, if any. */
export async function findVideoByAsset(datasetId: string, assetId: string): Promise<VideoRecord | undefined> {
  return getDb().videos.where('assetId').equals(assetId).filter((v) => v.datasetId === datasetId).first();
}

export async function listVideos(datasetId: string): Promise<VideoRecord[]> {
  const videos = await getDb().videos.where('datasetId').equals(datasetId).toArray();
  return videos.sort((a, b) => a.createdAt - b.createdAt);
}

export async function getVideo(id: string): Promise<VideoRecord | undefined> {
  return getDb().videos.get(id);
}

export async function getVideoBlob(video: VideoRecord): Promise<Blob | undefined> {
  return (await getDb().assets.get(video.assetId))?.blob;
}

export async function updateVideoAnnotation(id: string, annotation: Record<string, unknown>): Promise<void> {
  await guardedWrite('save the video annotation', () => getDb().videos.update(id, { annotation, updatedAt: Date.now() }));
}

/** Deletes the record, and the file too when no other video or sample uses it (one transaction). */
export async function deleteVideo(id: string): Promise<void> {
  const db = getDb();
  await guardedWrite('delete the video', () =>
    db.transaction('rw', [db.assets, db.videos, db.samples], async () => {
      const video = await db.videos.get(id);
      if (!video) return;
      await db.videos.delete(id);
      const stillUsed = (await db.videos.where('assetId').equals(video.assetId).count()) + (await db.samples.where('assetId').equals(video.assetId).count());
      if (!stillUsed) await db.assets.delete(video.assetId);
    }),
  );
}
