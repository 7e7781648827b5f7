import 'fake-indexeddb/auto';
import { imageAsset, noFrames, twoPointPath } from '../../testing/playerFixtures';
import { beforeEach, describe, expect, it } from 'vitest';
import { flattenMatrix, projectionFromIntrinsics } from '../../core/camera/projection';
import { LIVE_EPISODE_FORMAT, type LiveEpisodeData } from '../../robot/liveEpisode';
import { makeCalibration } from '../../storage/calibrations';
import { createDataset } from '../../storage/datasets';
import { getDb, setDb, StudioDatabase } from '../../storage/db';
import { saveEpisodeWithSamples, type EpisodeData } from '../../storage/episodes';
import { getSamples, querySampleIds } from '../../storage/samples';
import { EpisodeMcapError, saveEpisodeAsMcap } from '../library/episodeMcap';
import type { FrameImages } from './episodeFrames';
import { makeSampleAtFrame } from './frameSample';
import { loadPlayerEpisode, PlayerEpisodeError } from './playerEpisode';
import { robotMeshAssets, storedRobotModel } from '../../importers/episodes/robotModel';
import type { FkPlan, UrdfJoint } from '../../importers/episodes/kinematics';

let n = 0;
beforeEach(() => setDb(new StudioDatabase(`player-episode-${n++}`)));


async function importedEpisode() {
  const ds = await createDataset('sim');
  const frames = [await imageAsset(0), await imageAsset(1)];
  const data: EpisodeData = {
    kind: 'imported-episode', source: { format: 'lerobot-v3.0', name: 'sim-dataset', episodeIndex: 3 }, length: 4, fps: 10,
    stateNames: ['ee.x', 'ee.y'], actionNames: ['a'], states: new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), actions: new Float32Array([0.5, 1.5, 2.5, 3.5]),
    timestamps: new Float64Array([5, 5.1, 5.2, 5.3]), eePositions: new Float32Array(12).fill(1), eeOrigin: 'state columns',
    frames: [{ camera: 'front', fileName: 'file-000.mp4', fromTimestamp: 5, fps: 10, width: 8, height: 6 }],
    gripperClosed: new Uint8Array([0, 0, 1, 1]), segments: [{ start: 0, end: 2 }, { start: 2, end: 3 }], success: false,
  };
  const projection = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];
  const calibration = makeCalibration({ datasetId: ds.id, camera: 'front', projection, width: 8, height: 6, source: 'metadata', episodeIndex: 3 });
  const { episodeId } = await saveEpisodeWithSamples(ds.id, {
    task: 'stack the cubes', data, calibration, assets: frames,
    samples: [{ assetId: frames[0].id, instruction: 'stack the cubes', path: twoPointPath(0.1), frameStart: 0, frameEnd: 2 }, { assetId: frames[1].id, instruction: 'stack the cubes', path: twoPointPath(0.5), frameStart: 2, frameEnd: 3 }],
  });
  return { ds, episodeId, frames, projection };
}

describe('loading an episode for the player', () => {
  it('reads an imported episode: rows, times from its first step, gripper, segments, calibration, sample frames, outcome', async () => {
    const { ds, episodeId, projection } = await importedEpisode();
    const e = (await loadPlayerEpisode(episodeId))!;
    expect(e).toMatchObject({
      id: episodeId, datasetId: ds.id, task: 'stack the cubes', label: 'sim-dataset episode 3', length: 4,
      stateNames: ['ee.x', 'ee.y'], states: [[1, 2], [3, 4], [5, 6], [7, 8]], actionNames: ['a'], actions: [[0.5], [1.5], [2.5], [3.5]],
      gripper: [0, 0, 1, 1], segments: [{ start: 0, end: 2 }, { start: 2, end: 3 }], interventions: [],
      outcome: { success: false, detail: '' }, camera: { projection, width: 8, height: 6 }, video: null,
    });
    e.times.forEach((t, i) => expect(t).toBeCloseTo(i / 10, 9));
    expect([...e.storedFrames.keys()]).toEqual([0, 2]);
  });

  it('reads back the robot an FK import stored: URDF, meshes from their assets (stored once), joint values in URDF units', async () => {
    const ds = await createDataset('so101');
    const mesh = new File(['solid base'], 'base.stl');
    const robot = { urdf: '<robot name="arm"/>', meshFiles: new Map([['meshes/base.stl', mesh], ['README.md', new File(['x'], 'README.md')]]), tip: 'tool0' };
    const { assets, meshes } = await robotMeshAssets(robot, async () => 'mesh-hash');
    expect(meshes).toEqual({ 'meshes/base.stl': 'mesh-hash' });
    // One revolute joint in −100…100 of [−1, 1] rad (LeRobot's small arms), driven by state column 1.
    const plan: FkPlan = { chain: [], columns: [{ index: 1, joint: 'shoulder' }], units: 'range100', joints: { shoulder: { name: 'shoulder', type: 'revolute', limit: { lower: -1, upper: 1 } } as UrdfJoint } };
    const frames = [await imageAsset(0)];
    const data: EpisodeData = {
      kind: 'imported-episode', source: { format: 'lerobot-v3.0', name: 'so101', episodeIndex: 0 }, length: 2, fps: 30,
      stateNames: ['gripper', 'shoulder.pos'], actionNames: [], states: new Float32Array([0, -100, 0, 50]), actions: new Float32Array(), timestamps: new Float64Array([0, 1 / 30]),
      eePositions: new Float32Array(6), eeOrigin: 'forward kinematics', frames: [{ camera: 'front', fileName: 'a.mp4', fromTimestamp: 0, fps: 30, width: 8, height: 6 }],
      gripperClosed: new Uint8Array(2), segments: [{ start: 0, end: 1 }],
      robot: storedRobotModel(robot, meshes, plan, [[0, -100], [0, 50]]),
    };
    for (let i = 0; i < 2; i++) {
      await saveEpisodeWithSamples(ds.id, { task: 't', data, assets: [...frames, ...assets], samples: [{ assetId: frames[0].id, instruction: 't', path: twoPointPath(0.1), frameStart: 0, frameEnd: 1 }] });
    }
    expect((await getDb().assets.toArray()).filter((a) => a.mime === 'model/stl')).toHaveLength(1);
    const [episode] = await getDb().episodes.toArray();
    const e = (await loadPlayerEpisode(episode.id))!;
    expect(e.robot).toMatchObject({ urdf: '<robot name="arm"/>', tip: 'tool0', joints: ['shoulder'], values: [[-1], [0.5]] });
    expect(await e.robot!.meshes.get('meshes/base.stl')!.text()).toBe('solid base');
  });

  it('reads a live recording: every frame, interventions to the end, the verdict and the gripper column', async () => {
    const ds = await createDataset('live');
    const frames = [await imageAsset(7), await imageAsset(8)];
    await getDb().assets.bulkAdd(frames);
    const K = [[100, 0, 4], [0, 100, 3], [0, 0, 1]];
    const worldToCamera = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 0, 1]];
    const data: LiveEpisodeData = {
      format: LIVE_EPISODE_FORMAT, status: 'complete', mode: 'model', instruction: 'open the drawer', robot: { name: 'sim', url: 'ws://x' }, fps: 5,
      stateNames: ['ee.x', 'ee.y', 'ee.z', 'gripper'], actionNames: ['ee.dx'], camera: { width: 8, height: 6, K, worldToCamera },
      frames: [frames[0].id, '', frames[1].id], states: [[0, 0, 0, 0], [0, 0, 0, 0.7], [0, 0, 0, 1]], actions: [[1], [2], [3]], timestamps: [0, 0.2, 0.4],
      sources: ['policy', 'teleop', 'teleop'], latencyMs: [null, null, null], paths: [], interventions: [{ start: 1, end: null }],
      success: true, outcomeBy: 'operator', startedAt: 1, endReason: 'stopped',
    };
    await getDb().episodes.add({ id: 'live1', datasetId: ds.id, task: 'open the drawer', data: data as unknown as Record<string, unknown>, createdAt: 1 });
    const e = (await loadPlayerEpisode('live1'))!;
    expect(e).toMatchObject({
      label: 'live model run', length: 3, times: [0, 0.2, 0.4], actions: [[1], [2], [3]], gripper: [0, 0.7, 1],
      segments: [{ start: 0, end: 2 }], interventions: [{ start: 1, end: 3 }], outcome: { success: true, detail: 'by the operator, stopped' },
      video: null,
    });
    expect(e.camera!.projection).toEqual(projectionFromIntrinsics(flattenMatrix(K), flattenMatrix(worldToCamera)));
    expect([...e.storedFrames.keys()]).toEqual([0, 2]);
    expect(e.robot).toBeNull();
  });

  it('poses a live recording\'s arm from its <joint>.pos columns when the robot\'s URDF was recorded', async () => {
    const ds = await createDataset('live');
    const data = {
      format: LIVE_EPISODE_FORMAT, status: 'complete', mode: 'teleop', instruction: 'wave', robot: { name: 'sim', url: 'ws://x' }, robotModel: { urdf: '<robot name="sim"/>', tip: 'ee_link' }, fps: 5,
      stateNames: ['ee.x', 'gripper', 'shoulder_pan.pos', 'elbow.pos'], actionNames: [], frames: ['', ''], states: [[0, 0, 0.1, 0.2], [0, 0, 0.3, 0.4]], actions: [[], []], timestamps: [0, 0.2],
      sources: ['teleop', 'teleop'], latencyMs: [null, null], paths: [], interventions: [], success: null, outcomeBy: null, startedAt: 1,
    } satisfies LiveEpisodeData;
    await getDb().episodes.add({ id: 'live2', datasetId: ds.id, task: 'wave', data: data as unknown as Record<string, unknown>, createdAt: 1 });
    const e = (await loadPlayerEpisode('live2'))!;
    expect(e.robot).toMatchObject({ urdf: '<robot name="sim"/>', tip: 'ee_link', joints: ['shoulder_pan', 'elbow'], values: [[0.1, 0.2], [0.3, 0.4]] });
  });

  it('is null for an episode that is not there, and says why one in an unknown layout cannot be replayed', async () => {
    expect(await loadPlayerEpisode('nope')).toBeNull();
    const ds = await createDataset('odd');
    await getDb().episodes.add({ id: 'odd', datasetId: ds.id, task: '', data: { kind: 'something else' }, createdAt: 1 });
    await expect(loadPlayerEpisode('odd')).rejects.toThrow(PlayerEpisodeError);
  });
});

describe('the stored-episode reader the player shares with the MCAP export', () => {
  it('says a frame image is gone in words that fit the player: nothing about saving or MCAP', async () => {
    const { episodeId, frames } = await importedEpisode();
    await getDb().assets.delete(frames[1].id);
    const error = await loadPlayerEpisode(episodeId).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^frame 2 of sim-dataset episode 3: its image \(asset [0-9a-f]{12}…\) is no longer in the studio, so the episode cannot be read whole\. Open \/recovery/);
    expect((error as Error).message).not.toMatch(/MCAP|sav/i);
  });

  it('leaves the MCAP export to refuse a frame that is neither JPEG nor PNG, before writing anything', async () => {
    const { episodeId, frames } = await importedEpisode();
    const webp = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
    await getDb().assets.update(frames[1].id, { blob: new Blob([webp]), mime: 'image/webp' });
    expect((await loadPlayerEpisode(episodeId))!.storedFrames.get(2)).toEqual(webp);
    const written: Blob[] = [];
    let aborted = false;
    const sink = { name: 'x.mcap', write: async (b: Blob) => { written.push(b); }, close: async () => {}, abort: async () => { aborted = true; } };
    const error = await saveEpisodeAsMcap(episodeId, async () => sink).catch((e: Error) => e);
    expect(error).toBeInstanceOf(EpisodeMcapError);
    expect((error as Error).message).toBe('The image of step 2 is neither JPEG nor PNG; an MCAP CompressedImage holds JPEG or PNG.');
    expect({ written: written.length, aborted }).toEqual({ written: 0, aborted: true });
  });
});

describe('making a sample at a frame', () => {
  it('uses the stored image of the frame, the path given and the episode task, in the episode\u2019s dataset', async () => {
    const { ds, episodeId, frames } = await importedEpisode();
    const e = (await loadPlayerEpisode(episodeId))!;
    const made = await makeSampleAtFrame(e, noFrames, 2, twoPointPath(0.3));
    expect(made).toMatchObject({
      datasetId: ds.id, assetId: frames[1].id, instruction: 'stack the cubes', path: twoPointPath(0.3), status: 'draft', source: 'episode',
      provenance: { episodeId, frameStart: 2, frameEnd: 3, note: 'sim-dataset episode 3, frame 2' },
    });
    const ids = await querySampleIds(ds.id);
    expect(ids.at(-1)).toBe(made.id);
    expect((await getSamples([made.id]))[0]).toEqual(made);
  });

  it('refuses a frame that has no image of its own', async () => {
    const { episodeId } = await importedEpisode();
    const e = (await loadPlayerEpisode(episodeId))!;
    const nearest: FrameImages = { has: () => false, image: async () => ({ bitmap: {} as ImageBitmap, step: 0 }), dispose: () => {} };
    await expect(makeSampleAtFrame(e, nearest, 1, null)).rejects.toThrow('Frame 1 of sim-dataset episode 3 has no image in the studio');
  });
});
