// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { listReusableCalibrations, makeCalibration, saveCalibration } from './calibrations';
import { createDataset } from './datasets';
import { StudioDatabase, setDb, getDb } from './db';
import { episodeData, getEpisode, listEpisodes, rollbackEpisodeWrites, saveEpisodeWithSamples, type EpisodeData, type EpisodeWrite } from './episodes';

let n = 0;
beforeEach(() => setDb(new StudioDatabase(`episodes-test-${n++}`)));

function write(i: number, assetId = `a${i}`): EpisodeWrite {
  const data: EpisodeData = {
    kind: 'imported-episode', source: { format: 'lerobot-v3.0', name: 'sim', episodeIndex: i }, length: 2, fps: 10,
    stateNames: ['x'], actionNames: ['a'], states: new Float32Array([1, 2]), actions: new Float32Array([3, 4]), timestamps: new Float64Array([0, 0.1]),
    eePositions: new Float32Array(6), eeOrigin: 'state columns', frames: [], gripperClosed: new Uint8Array(2), segments: [{ start: 0, end: 1 }],
  };
  return {
    task: 'pick', data,
    calibration: makeCalibration({ datasetId: '', camera: 'front', projection: new Array(12).fill(1), width: 8, height: 8, source: 'metadata', episodeIndex: i }),
    assets: [{ id: assetId, blob: new Blob(['x']), mime: 'image/jpeg', size: 1, width: 8, height: 8, createdAt: 0 }],
    samples: [{ assetId, instruction: 'pick', path: { initialGripper: 'open', points: [{ x: 0.1, y: 0.1, gripper: 'open' }] }, frameStart: 0, frameEnd: 1 }],
  };
}

describe('episode storage', () => {
  it('stores an episode with its samples, typed arrays, calibration and frame asset together', async () => {
    const ds = await createDataset('eps');
    const r = await saveEpisodeWithSamples(ds.id, write(0));
    const ep = await getEpisode(r.episodeId);
    const data = episodeData(ep!)!;
    expect(data.states).toBeInstanceOf(Float32Array);
    expect(data.calibrationId).toBe(r.calibrationId);
    const s = await getDb().samples.get(r.sampleIds[0]);
    expect(s).toMatchObject({ source: 'episode', provenance: { episodeId: r.episodeId, frameStart: 0, frameEnd: 1 } });
    expect(await listEpisodes(ds.id)).toHaveLength(1);
    // Per-episode metadata calibrations are not offered for reuse; saved click calibrations are.
    expect(await listReusableCalibrations(ds.id)).toEqual([]);
    await saveCalibration({ datasetId: ds.id, camera: 'front', projection: new Array(12).fill(2), width: 8, height: 8, source: 'clicks', rmsPx: 0.4 });
    expect((await listReusableCalibrations(ds.id, 'front')).map((c) => c.rmsPx)).toEqual([0.4]);
  });

  it('rolls back a batch: episodes, samples, calibrations and only the assets it added', async () => {
    const ds = await createDataset('eps');
    await getDb().assets.add({ id: 'shared', blob: new Blob(['y']), mime: 'image/jpeg', size: 1, width: 8, height: 8, createdAt: 0 });
    const before = { assets: await getDb().assets.count(), samples: await getDb().samples.count() };
    const results = [await saveEpisodeWithSamples(ds.id, write(0)), await saveEpisodeWithSamples(ds.id, write(1, 'shared'))];
    expect(results[1].freshAssetIds).toEqual([]);
    await rollbackEpisodeWrites(results);
    expect(await getDb().assets.count()).toBe(before.assets);
    expect(await getDb().samples.count()).toBe(before.samples);
    expect(await getDb().episodes.count()).toBe(0);
    expect(await getDb().calibrations.count()).toBe(0);
  });

  it('writes nothing when the dataset is gone', async () => {
    await expect(saveEpisodeWithSamples('nope', write(0))).rejects.toThrow();
    expect(await getDb().assets.count()).toBe(0);
  });
});
