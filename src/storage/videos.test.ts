// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { StudioDatabase, setDb, getDb } from './db';
import { createDataset } from './datasets';
import { addVideoWithAsset, deleteVideo, findVideoByAsset, getVideo, listVideos, updateVideoAnnotation } from './videos';
import type { AssetRecord } from './types';

const asset = (id: string): AssetRecord => ({ id, blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'video/mp4' }), mime: 'video/mp4', size: 3, width: 64, height: 48, createdAt: 1 });
const meta = { name: 'clip.mp4', codec: 'avc1.64001f', width: 64, height: 48, fps: 30, frameCount: 3, durationSeconds: 0.1, annotation: { frameTimes: [0, 1 / 30, 2 / 30] } };

beforeEach(() => setDb(new StudioDatabase(`videos-test-${Math.random()}`)));

describe('videos repository', () => {
  it('stores the file once and the record, lists, finds and updates them', async () => {
    const d = await createDataset('Videos');
    const v = await addVideoWithAsset(d.id, asset('h1'), meta);
    await addVideoWithAsset(d.id, asset('h1'), { ...meta, name: 'copy.mp4' });
    expect(await getDb().assets.count()).toBe(1);
    expect((await listVideos(d.id)).map((x) => x.name)).toEqual(['clip.mp4', 'copy.mp4']);
    expect((await findVideoByAsset(d.id, 'h1'))?.assetId).toBe('h1');
    await updateVideoAnnotation(v.id, { segments: [], gripperEvents: [], frameTimes: [0] });
    expect((await getVideo(v.id))?.annotation).toEqual({ segments: [], gripperEvents: [], frameTimes: [0] });
  });

  it('stores nothing when the dataset is gone (one transaction)', async () => {
    await expect(addVideoWithAsset('missing', asset('h2'), meta)).rejects.toThrow(/no longer exists/);
    expect(await getDb().assets.count()).toBe(0);
    expect(await getDb().videos.count()).toBe(0);
  });

  it('deletes the file with its last video', async () => {
    const d = await createDataset('Videos');
    const a = await addVideoWithAsset(d.id, asset('h3'), meta);
    const b = await addVideoWithAsset(d.id, asset('h3'), meta);
    await deleteVideo(a.id);
    expect(await getDb().assets.count()).toBe(1);
    await deleteVideo(b.id);
    expect(await getDb().assets.count()).toBe(0);
  });
});
