import { describe, expect, it, vi } from 'vitest';
import type { BagImportOptions } from '../../formats/rosbag2/options';
import type { ReadProgress } from '../../formats/rosbag2/topicStore';
import type { EpisodeSource } from '../../importers/episodes/source';
import { BagSession } from '../../importers/rosbag/session';
import { twoCameraRobotBag, writeRos2Mcap } from '../../testing/ros2Bags';
import { BagChoicesController, type BagRereader } from './bagChoices';

const CAM_A = '/cam_a/image_raw/compressed';
const CAM_B = '/cam_b/image_raw/compressed';

async function controllerOverRobotBag() {
  const bytes = await writeRos2Mcap(twoCameraRobotBag());
  const session = await BagSession.open({ name: 'robot', paths: () => ['robot.mcap'], get: (p) => (p === 'robot.mcap' ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : undefined) });
  const first = await session.read({});
  return { controller: new BagChoicesController(session, first), first, session };
}

/** A session whose reads wait until the test settles them. */
function manualSession(first: EpisodeSource) {
  const reads: { options: BagImportOptions; progress: ReadProgress; resolve: (s: EpisodeSource) => void; reject: (e: unknown) => void }[] = [];
  const session: BagRereader = {
    read: (options, progress) => new Promise((resolve, reject) => {
      reads.push({ options, progress, resolve, reject });
      progress.signal?.addEventListener('abort', () => reject(progress.signal!.reason));
    }),
    retain: vi.fn(),
    release: vi.fn(),
  };
  return { session, reads, first };
}

const fakeSource = (camera: string): EpisodeSource => ({
  name: 'robot', close: vi.fn(), episodes: [],
  bag: { plan: { camera, infoTopic: null, ee: { kind: 'none' }, gripper: null, cut: { kind: 'whole' } } },
} as unknown as EpisodeSource);

describe('BagChoicesController', () => {
  it('a new camera re-reads the bag: new source, its paired CameraInfo, the old source closed', async () => {
    const { controller, first } = await controllerOverRobotBag();
    const close = vi.spyOn(first, 'close');
    const seen: number[] = [];
    controller.subscribe(() => seen.push(controller.getSnapshot().generation));
    await controller.choose({ infoTopic: null });
    expect(controller.getSnapshot().plan.infoTopic).toBeNull();
    await controller.choose({ camera: CAM_B });
    const snap = controller.getSnapshot();
    expect(snap).toMatchObject({ generation: 2, pending: null, error: null });
    expect(snap.plan).toMatchObject({ camera: CAM_B, infoTopic: '/cam_b/camera_info' });
    expect(snap.source.episodes.map((e) => e.length)).toEqual([3, 3]);
    expect(close).toHaveBeenCalledTimes(1);
    expect(seen.at(-1)).toBe(2);
    await controller.choose({ cut: { kind: 'topic', topic: '/task' } });
    // The cut applies to the chosen camera: the marker at 0.42 s starts an episode at cam_b's 0.45 s frame.
    expect(controller.getSnapshot().source.episodes.map((e) => [e.task, e.length])).toEqual([['pick', 2], ['place', 4]]);
    controller.dispose();
  });

  it('a choice the bag cannot be read with keeps the previous source and says why', async () => {
    const { controller, first } = await controllerOverRobotBag();
    await controller.choose({ cut: { kind: 'gaps', seconds: -1 } });
    expect(controller.getSnapshot()).toMatchObject({ source: first, generation: 0, pending: null, error: 'robot: a camera gap must be a number of seconds above 0 (got -1).' });
    expect(controller.getSnapshot().plan.camera).toBe(CAM_A);
    controller.dispose();
  });

  it('shows progress while reading; Cancel keeps the choices shown; a newer choice wins over a slower older one', async () => {
    const first = fakeSource(CAM_A);
    const { session, reads } = manualSession(first);
    const controller = new BagChoicesController(session, first);
    expect(session.retain).toHaveBeenCalledTimes(1);
    const cancelled = controller.choose({ camera: CAM_B });
    reads[0].progress.onProgress!(5, 20);
    expect(controller.getSnapshot().pending).toEqual({ options: { camera: CAM_B, ee: { kind: 'none' }, gripper: null, cut: { kind: 'whole' } }, done: 5, total: 20 });
    controller.cancel();
    await cancelled;
    expect(controller.getSnapshot()).toMatchObject({ source: first, pending: null, error: null, generation: 0 });

    const older = controller.choose({ camera: CAM_B });
    const newer = controller.choose({ cut: { kind: 'gaps', seconds: 2 } });
    // The newer read carries the older one's camera: choices pile up while reading.
    expect(reads[2].options).toMatchObject({ camera: CAM_B, cut: { kind: 'gaps', seconds: 2 } });
    const second = fakeSource(CAM_B);
    reads[2].resolve(second);
    await Promise.all([older, newer]);
    expect(controller.getSnapshot()).toMatchObject({ source: second, generation: 1, pending: null, error: null });
    expect(first.close).toHaveBeenCalledTimes(1);

    controller.dispose();
    expect(second.close).toHaveBeenCalledTimes(1);
    expect(session.release).toHaveBeenCalledTimes(1);
  });
});
