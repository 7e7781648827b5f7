import { describe, expect, it } from 'vitest';
import { twoCameraRobotBag, writeRos2Mcap } from '../../testing/ros2Bags';
import type { DatasetFiles } from '../episodes/source';
import { openEpisodeSource } from '../episodes/openSource';
import { BagSession } from './session';
import { bagSessionOf } from './source';

const CAM_B = '/cam_b/image_raw/compressed';

async function files(): Promise<DatasetFiles> {
  const bytes = await writeRos2Mcap(twoCameraRobotBag());
  return { name: 'robot', paths: () => ['robot.mcap'], get: (p) => (p === 'robot.mcap' ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : undefined) };
}

/** Reads with `options` and returns the source with the messages read for it (the last progress report). */
async function readCounting(session: BagSession, options: Parameters<BagSession['read']>[0]) {
  let read: [number, number] | null = null;
  const source = await session.read(options, { onProgress: (done, total) => { read = [done, total]; } });
  return { source, read: read as [number, number] | null };
}

describe('BagSession: the bag read again with other choices', () => {
  it('a new choice reads only the topics it adds; the same choices read nothing', async () => {
    const session = await BagSession.open(await files());
    const first = await readCounting(session, {});
    // Camera A (10), its CameraInfo (1), joint_states (26), the gripper topic (2); /tf was read when the bag was described.
    expect(first.read).toEqual([39, 39]);
    expect(first.source.episodes.map((e) => e.length)).toEqual([10]);
    const cut = await readCounting(session, { cut: { kind: 'topic', topic: '/task' } });
    expect(cut.read).toEqual([3, 3]);
    expect(cut.source.episodes.map((e) => [e.task, e.length])).toEqual([['pick', 5], ['place', 5]]);
    const camera = await readCounting(session, { camera: CAM_B });
    expect(camera.read).toEqual([7, 7]);
    expect(camera.source.cameras).toEqual([expect.objectContaining({ key: CAM_B, width: 16, height: 12 })]);
    expect(camera.source.episodes.map((e) => e.length)).toEqual([3, 3]);
    expect(camera.source.bag!.plan.infoTopic).toBe('/cam_b/camera_info');
    expect(camera.source.calibration(CAM_B, 0)?.origin).toBe('/cam_b/camera_info + /tf base → cam_b');
    expect((await readCounting(session, { camera: CAM_B })).read).toBeNull();
    for (const s of [first, cut, camera]) s.source.close();
  });

  it('a cancelled read keeps nothing and the bag can be read again while someone holds the session', async () => {
    const session = await BagSession.open(await files());
    session.retain();
    const ac = new AbortController();
    ac.abort();
    await expect(session.read({}, { signal: ac.signal })).rejects.toThrow(/abort/i);
    const again = await readCounting(session, {});
    expect(again.read).toEqual([39, 39]);
    again.source.close();
    session.release();
    // The last holder let go: the bag is closed.
    await expect(session.read({})).rejects.toThrow('robot is closed.');
  });

  it('the import worker’s way in (openEpisodeSource with the screen’s choices) reads the same plan', async () => {
    const options = { camera: CAM_B, gripper: { kind: 'topic', topic: '/effort' }, cut: { kind: 'whole' } } as const;
    const source = await openEpisodeSource(await files(), { bag: options });
    expect(source.bag!.plan).toEqual({ ...options, infoTopic: '/cam_b/camera_info', ee: { kind: 'tf', frame: 'tool0' } });
    expect(source.episodes.map((e) => e.length)).toEqual([6]);
    const table = await source.readEpisode(0);
    expect(table.states.map((s) => s[source.gripperStateIndex!])).toEqual(new Array(6).fill(7));
    expect(bagSessionOf(source)).not.toBeNull();
    source.close();
    await expect(openEpisodeSource(await files(), { bag: { camera: '/nope' } })).rejects.toThrow('robot: “/nope” is not a camera topic of this bag');
  });
});
