import 'fake-indexeddb/auto';
import { imageAsset, noFrames, twoPointPath } from '../../testing/playerFixtures';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDataset } from '../../storage/datasets';
import { getDb, setDb, StudioDatabase } from '../../storage/db';
import { saveEpisodeWithSamples, type EpisodeData } from '../../storage/episodes';
import { getSamples, querySampleIds } from '../../storage/samples';
import { applySegmentCuts, loadSegmentSamples } from './episodeSegmentSamples';
import { loadPlayerEpisode } from './playerEpisode';

let n = 0;
beforeEach(() => setDb(new StudioDatabase(`segment-samples-${n++}`)));


/** A 4-step episode imported as two drafts, frames 0–2 and 2–3 (their first frames stored). */
async function importedEpisode() {
  const ds = await createDataset('sim');
  const frames = [await imageAsset(0), await imageAsset(1)];
  const data: EpisodeData = {
    kind: 'imported-episode', source: { format: 'lerobot-v3.0', name: 'sim-dataset', episodeIndex: 3 }, length: 4, fps: 10,
    stateNames: ['ee.x'], actionNames: ['a'], states: new Float32Array(4), actions: new Float32Array(4),
    timestamps: new Float64Array([0, 0.1, 0.2, 0.3]), eePositions: new Float32Array(12).fill(1), eeOrigin: 'state columns',
    frames: [{ camera: 'front', fileName: 'file-000.mp4', fromTimestamp: 0, fps: 10, width: 8, height: 6 }],
    gripperClosed: new Uint8Array(4), segments: [{ start: 0, end: 2 }, { start: 2, end: 3 }],
  };
  const { episodeId, sampleIds } = await saveEpisodeWithSamples(ds.id, {
    task: 'stack the cubes', data, assets: frames,
    samples: [{ assetId: frames[0].id, instruction: 'first', path: twoPointPath(0.1), frameStart: 0, frameEnd: 2 }, { assetId: frames[1].id, instruction: 'second', path: twoPointPath(0.5), frameStart: 2, frameEnd: 3 }],
  });
  return { ds, episode: (await loadPlayerEpisode(episodeId))!, frames, sampleIds };
}

describe('applying re-cut segments to the stored samples', () => {
  it('reads the episode’s samples with their ranges, replaces the drafts in one step and undoes it', async () => {
    const { ds, episode, frames, sampleIds } = await importedEpisode();
    expect(await loadSegmentSamples(episode)).toEqual([
      { id: sampleIds[0], status: 'draft', instruction: 'first', frameStart: 0, frameEnd: 2 },
      { id: sampleIds[1], status: 'draft', instruction: 'second', frameStart: 2, frameEnd: 3 },
    ]);
    const changed = vi.fn();
    const step = await applySegmentCuts({
      episode, frames: noFrames, pathOver: () => twoPointPath(0.2), changed,
      replacement: { remove: sampleIds, make: [{ segment: { start: 0, end: 3 }, instruction: 'first' }] },
    });
    expect(changed).toHaveBeenCalledOnce();
    const ids = await querySampleIds(ds.id);
    expect(ids).toHaveLength(1);
    expect((await getSamples(ids))[0]).toMatchObject({
      assetId: frames[0].id, instruction: 'first', path: twoPointPath(0.2), status: 'draft', source: 'episode',
      provenance: { episodeId: episode.id, frameStart: 0, frameEnd: 3 },
    });
    await step.undo();
    expect(step.undone).toBe(true);
    expect((await getSamples(await querySampleIds(ds.id))).map((s) => [s!.id, s!.provenance.frameStart, s!.provenance.frameEnd])).toEqual([[sampleIds[0], 0, 2], [sampleIds[1], 2, 3]]);
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it('leaves every sample as it was when the new drafts cannot be written', async () => {
    const { ds, episode, sampleIds } = await importedEpisode();
    await getDb().datasets.update(ds.id, { deletedAt: 1 });
    await expect(applySegmentCuts({
      episode, frames: noFrames, pathOver: () => null, changed: () => {},
      replacement: { remove: sampleIds, make: [{ segment: { start: 0, end: 3 }, instruction: 'x' }] },
    })).rejects.toThrow(/the dataset no longer exists/);
    expect(await querySampleIds(ds.id)).toEqual(sampleIds);
  });
});
