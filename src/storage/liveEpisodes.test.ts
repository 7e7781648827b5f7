// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveEpisodeData } from '../robot/liveEpisode';
import { EpisodeRecorder } from '../robot/recorder';
import type { CameraFrame } from '../robot/types';
import { createDataset } from './datasets';
import { StudioDatabase, getDb, setDb } from './db';
import { IndexedDbEpisodeSink, setEpisodeVerdict } from './liveEpisodes';
import { querySampleIds, getSamples } from './samples';

let n = 0;
beforeEach(() => setDb(new StudioDatabase(`recorder-${n++}`)));

const frame = (seq: number): CameraFrame => ({ data: new Uint8Array([0xff, 0xd8, seq & 255, seq >> 8, 0xff, 0xd9]), format: 'jpeg', stampMs: seq * 66, receivedAt: seq * 66, seq });
const header = {
  mode: 'teleop' as const, instruction: 'put the red cube in the blue bowl', fps: 10, robot: { name: 'sim', url: 'ws://x' },
  stateNames: ['ee.x', 'ee.y', 'ee.z', 'gripper'], actionNames: ['ee.dx', 'ee.dy', 'ee.dz', 'gripper'], startedAt: 0,
  // A camera 1 m in front of the base looking back along -x (optical z = -x base).
  camera: { width: 256, height: 256, K: [[200, 0, 127.5], [0, 200, 127.5], [0, 0, 1]], worldToCamera: [[0, -1, 0, 0], [0, 0, -1, 0.3], [-1, 0, 0, 1], [0, 0, 0, 1]] },
};
const step = (i: number) => ({ index: i, t: i * 100, frameSeq: i, state: [0.4 - i * 0.005, 0.01 * i, 0.3, 0], action: [0, 0.001, 0, i > 10 ? 1 : 0] as [number, number, number, number], source: 'teleop' as const, pathVersion: 0, latencyMs: 3 });

async function episodes(): Promise<LiveEpisodeData[]> {
  return (await getDb().episodes.toArray()).map((e) => e.data as unknown as LiveEpisodeData);
}

describe('EpisodeRecorder + IndexedDbEpisodeSink', () => {
  it('writes chunks as it goes (crash-safe) and completes with a Library sample', async () => {
    const ds = await createDataset('Live recordings');
    const rec = new EpisodeRecorder(new IndexedDbEpisodeSink(), { chunkSteps: 10 });
    rec.start(ds.id, header);
    rec.setIntervention(true);
    for (let i = 0; i < 25; i++) {
      if (i === 5) rec.setIntervention(false);
      rec.addStep(step(i), frame(i));
    }
    await rec.flush();
    // A crash now keeps what was written: 25 steps, still marked as recording.
    let [d] = await episodes();
    expect(d.status).toBe('recording');
    expect(d.states).toHaveLength(25);
    expect(d.frames.filter(Boolean)).toHaveLength(25);
    expect(d.interventions).toEqual([{ start: 0, end: 5 }]);
    expect(await getDb().assets.count()).toBe(25);

    rec.addStep(step(25), frame(25));
    const id = await rec.finish({ success: null, outcomeBy: null, endReason: 'stopped by the operator' });
    [d] = await episodes();
    expect(id).toBeTruthy();
    expect(d.status).toBe('complete');
    expect(d.states).toHaveLength(26);
    expect(d.endReason).toBe('stopped by the operator');
    // The teleop run's path: the end effector projected through the calibration, with the gripper close.
    const [sample] = await getSamples(await querySampleIds(ds.id));
    expect(sample!.source).toBe('episode');
    expect(sample!.provenance.episodeId).toBe(id);
    expect(sample!.path!.points.length).toBeGreaterThanOrEqual(2);
    expect(sample!.path!.points.some((p) => p.gripper === 'closed')).toBe(true);

    await setEpisodeVerdict(id!, true);
    [d] = await episodes();
    expect(d.success).toBe(true);
    expect(d.outcomeBy).toBe('operator');
  });

  it('stores a repeated frame once', async () => {
    const ds = await createDataset('x');
    const rec = new EpisodeRecorder(new IndexedDbEpisodeSink());
    rec.start(ds.id, header);
    rec.addStep(step(0), frame(1));
    rec.addStep(step(1), frame(1));
    await rec.finish({ success: true, outcomeBy: 'robot', endReason: 'task succeeded' });
    const [d] = await episodes();
    expect(d.frames).toHaveLength(2);
    expect(d.frames[0]).toBe(d.frames[1]);
    expect(await getDb().assets.count()).toBe(1);
    expect(d.success).toBe(true);
  });
});
