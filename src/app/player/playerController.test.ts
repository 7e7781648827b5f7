import { describe, expect, it, vi } from 'vitest';
import type { FrameImage, FrameImages } from './episodeFrames';
import { PlayerController, type PlayerDeps } from './playerController';
import type { PlayerEpisode } from './playerEpisode';

/** 30 steps at 10 fps; the end effector walks along x in front of a 100×100 pinhole camera, the gripper closes at step 10. */
function fakeEpisode(over: Partial<PlayerEpisode> = {}): PlayerEpisode {
  const length = 30;
  return {
    id: 'ep1', datasetId: 'ds1', task: 'put the cube in the bowl', label: 'sim episode 0', length,
    times: Array.from({ length }, (_, i) => i / 10),
    stateNames: ['ee.x', 'ee.y', 'ee.z'], states: Array.from({ length }, (_, i) => [i / 100, 0, 1]),
    actionNames: ['dx'], actions: Array.from({ length }, () => [0.01]),
    gripper: Array.from({ length }, (_, i) => (i >= 10 ? 1 : 0)),
    eePositions: Array.from({ length }, (_, i) => [i / 100 - 0.15, 0, 1]),
    camera: { projection: [100, 0, 50, 0, 0, 100, 50, 0, 0, 0, 1, 0], width: 100, height: 100 },
    segments: [{ start: 0, end: 19 }, { start: 19, end: 29 }],
    interventions: [{ start: 5, end: 8 }],
    outcome: { success: true, detail: '' },
    storedFrames: new Map(),
    video: null,
    ...over,
  };
}

/** Frames that resolve when the test says so, recording which steps were decoded. */
class FakeFrames implements FrameImages {
  decoded: number[] = [];
  pending: (() => void)[] = [];
  hold = false;
  disposed = false;
  constructor(private readonly own: (step: number) => boolean = () => true) {}
  has(step: number) { return this.own(step); }
  image(step: number): Promise<FrameImage | null> {
    this.decoded.push(step);
    const image = { bitmap: { width: 100, height: 100 } as ImageBitmap, step };
    if (!this.hold) return Promise.resolve(image);
    return new Promise((resolve) => this.pending.push(() => resolve(image)));
  }
  dispose() { this.disposed = true; }
}

/** A clock the test advances by hand; each advance runs the frame callback asked for. */
class FakeClock {
  t = 0;
  private callback: (() => void) | null = null;
  now = () => this.t;
  request = (cb: () => void) => {
    this.callback = cb;
    return () => { if (this.callback === cb) this.callback = null; };
  };
  advance(ms: number) {
    this.t += ms;
    const cb = this.callback;
    this.callback = null;
    cb?.();
  }
  get scheduled() { return this.callback !== null; }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

async function openPlayer(episode: PlayerEpisode | null = fakeEpisode(), over: Partial<PlayerDeps> = {}) {
  const frames = new FakeFrames();
  const clock = new FakeClock();
  const navigate = vi.fn();
  const makeSample = vi.fn(async () => ({ id: 'new-sample', datasetId: 'ds1' }));
  const player = new PlayerController('ep1', { loadEpisode: async () => episode, openFrames: () => frames, makeSample, navigate, clock, ...over });
  await player.open();
  await flush();
  return { player, frames, clock, navigate, makeSample };
}

describe('the episode player', () => {
  it('opens on the first frame with its image, the end effector and the path to the end of its segment', async () => {
    const { player, frames } = await openPlayer();
    const s = player.getSnapshot();
    expect(s).toMatchObject({ status: 'ready', frame: 0, time: 0, playing: false, speed: 1, sampleBlocked: null });
    expect(s.image?.step).toBe(0);
    expect(frames.decoded).toEqual([0]);
    // u = 100·x + 50 at z = 1; normalised (u + ½) / 100.
    expect(s.endEffector!.x).toBeCloseTo((100 * -0.15 + 50.5) / 100, 9);
    expect(s.path!.points[0].x).toBeCloseTo(s.endEffector!.x, 9);
    expect(s.path!.points.at(-1)!.x).toBeCloseTo((100 * (19 / 100 - 0.15) + 50.5) / 100, 9);
    // The gripper closes at step 10: the path says so.
    expect(s.path!.points.some((p) => p.gripper === 'closed')).toBe(true);
  });

  it('says plainly when the episode is missing or cannot be read', async () => {
    expect((await openPlayer(null)).player.getSnapshot()).toMatchObject({ status: 'missing', episode: null });
    const broken = await openPlayer(null, { loadEpisode: async () => { throw new Error('This episode has no steps: there is nothing to replay.'); } });
    expect(broken.player.getSnapshot()).toMatchObject({ status: 'error', error: 'This episode has no steps: there is nothing to replay.' });
  });

  it('steps by one and by ten, jumps to start and end, and clamps at both ends', async () => {
    const { player } = await openPlayer();
    player.step(1);
    expect(player.getSnapshot()).toMatchObject({ frame: 1, time: 0.1 });
    player.step(10);
    expect(player.getSnapshot().frame).toBe(11);
    player.step(-10);
    expect(player.getSnapshot().frame).toBe(1);
    player.step(-10);
    expect(player.getSnapshot().frame).toBe(0);
    player.toEnd();
    expect(player.getSnapshot()).toMatchObject({ frame: 29, time: 2.9 });
    player.step(10);
    expect(player.getSnapshot().frame).toBe(29);
    player.toStart();
    expect(player.getSnapshot().frame).toBe(0);
    player.seek(17.4);
    expect(player.getSnapshot().frame).toBe(17);
  });

  it('plays in real time at the chosen speed and stops on the last frame', async () => {
    const { player, clock } = await openPlayer();
    player.play();
    expect(player.getSnapshot().playing).toBe(true);
    clock.advance(250);
    expect(player.getSnapshot().frame).toBe(2);
    player.setSpeed(4);
    clock.advance(250);
    expect(player.getSnapshot().frame).toBe(12);
    player.setSpeed(0.25);
    clock.advance(400);
    expect(player.getSnapshot().frame).toBe(13);
    player.setSpeed(100);
    expect(player.getSnapshot().speed).toBe(4);
    clock.advance(10_000);
    expect(player.getSnapshot()).toMatchObject({ frame: 29, playing: false });
    expect(clock.scheduled).toBe(false);
    // Play at the end starts again from the beginning.
    player.togglePlay();
    expect(player.getSnapshot()).toMatchObject({ frame: 0, playing: true });
  });

  it('keeps playing from where the user scrubs to, and pauses when stepping', async () => {
    const { player, clock } = await openPlayer();
    player.play();
    player.seek(20);
    clock.advance(100);
    expect(player.getSnapshot()).toMatchObject({ frame: 21, playing: true });
    player.step(1);
    expect(player.getSnapshot()).toMatchObject({ frame: 22, playing: false });
    expect(clock.scheduled).toBe(false);
  });

  it('decodes only the newest frame asked for while a decode is running', async () => {
    const { player, frames } = await openPlayer();
    frames.hold = true;
    player.seek(3);
    player.seek(4);
    player.seek(5);
    expect(frames.decoded).toEqual([0, 3]);
    frames.pending.shift()!();
    await flush();
    expect(frames.decoded).toEqual([0, 3, 5]);
    frames.pending.shift()!();
    await flush();
    expect(player.getSnapshot().image?.step).toBe(5);
  });

  it('makes a sample at the frame shown with the path shown, then opens it in Annotate', async () => {
    const { player, frames, navigate, makeSample } = await openPlayer();
    player.seek(12);
    const { path } = player.getSnapshot();
    await player.makeSample();
    expect(makeSample).toHaveBeenCalledWith(expect.objectContaining({ id: 'ep1' }), frames, 12, path);
    expect(navigate).toHaveBeenCalledWith('/annotate/ds1/new-sample');
    expect(player.getSnapshot()).toMatchObject({ making: false, sampleError: null, sampleBlocked: null });
  });

  it('shows why a sample could not be made, and refuses a frame without an image of its own', async () => {
    const failing = await openPlayer(fakeEpisode(), { makeSample: async () => { throw new Error('The disk is full.'); } });
    await failing.player.makeSample();
    expect(failing.navigate).not.toHaveBeenCalled();
    expect(failing.player.getSnapshot()).toMatchObject({ making: false, sampleError: 'The disk is full.', sampleBlocked: null });

    const frames = new FakeFrames((step) => step % 10 === 0);
    const sparse = await openPlayer(fakeEpisode(), { openFrames: () => frames });
    sparse.player.seek(3);
    expect(sparse.player.getSnapshot().sampleBlocked).toMatch(/^Frame 3 has no image of its own/);
    await sparse.player.makeSample();
    expect(sparse.makeSample).not.toHaveBeenCalled();
    sparse.player.seek(10);
    expect(sparse.player.getSnapshot().sampleBlocked).toBeNull();
  });

  it('has no path or end effector without a calibrated camera, nor a path on the last frame of a segment', async () => {
    const uncalibrated = await openPlayer(fakeEpisode({ camera: null }));
    expect(uncalibrated.player.getSnapshot()).toMatchObject({ path: null, endEffector: null });
    const { player } = await openPlayer();
    player.toEnd();
    expect(player.getSnapshot().path).toBeNull();
    expect(player.getSnapshot().endEffector).not.toBeNull();
  });

  it('stops playing and releases the frames when disposed', async () => {
    const { player, frames, clock } = await openPlayer();
    player.play();
    player.dispose();
    expect(clock.scheduled).toBe(false);
    expect(frames.disposed).toBe(true);
  });
});
