import { describe, expect, it, vi } from 'vitest';
import type { FrameImage, FrameImages } from './episodeFrames';
import { PlayerController, type PlayerDeps } from './playerController';
import type { UndoStep } from '../library/sampleActions';
import type { ApplyCutsInput } from './episodeSegmentSamples';
import type { PlayerEpisode } from './playerEpisode';
import type { SegmentSample } from './segmentCuts';

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
    robot: null,
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
  const player = new PlayerController('ep1', {
    loadEpisode: async () => episode, openFrames: () => frames, makeSample, navigate, clock,
    loadSegmentSamples: async () => [], applySegmentCuts: vi.fn(), ...over,
  });
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

describe('re-cutting the episode in the player', () => {
  /** The fake episode's two imported segments as samples; the second one is done. */
  const imported = (): SegmentSample[] => [
    { id: 's1', status: 'draft', instruction: 'pick the cube', frameStart: 0, frameEnd: 19 },
    { id: 's2', status: 'done', instruction: 'place it', frameStart: 19, frameEnd: 29 },
  ];

  it('shows the samples’ segments, adds and removes cuts at the frame shown, and refuses to cut a done range', async () => {
    const { player } = await openPlayer(fakeEpisode(), { loadSegmentSamples: async () => imported() });
    expect(player.getSnapshot().cutting).toMatchObject({ plan: { cuts: [19], locked: [{ start: 19, end: 29 }] }, applied: [19], changed: false });
    player.seek(8);
    player.addCut();
    expect(player.getSnapshot().cutting).toMatchObject({ plan: { cuts: [8, 19] }, changed: true, note: null });
    player.seek(24);
    player.addCut();
    expect(player.getSnapshot().cutting?.note).toMatch(/frames 19–29 belong to a sample already marked done or reviewed/);
    expect(player.getSnapshot().cutting?.plan.cuts).toEqual([8, 19]);
    player.removeNearestCut();
    expect(player.getSnapshot().cutting?.note).toMatch(/The cut at frame 19 stays/);
    player.seek(10);
    player.removeNearestCut();
    expect(player.getSnapshot().cutting).toMatchObject({ plan: { cuts: [19] }, changed: false, note: null });
  });

  it('refuses a cut at a frame without an image of its own', async () => {
    const { player } = await openPlayer(fakeEpisode(), { loadSegmentSamples: async () => imported(), openFrames: () => new FakeFrames((step) => step === 0) });
    player.seek(5);
    player.addCut();
    expect(player.getSnapshot().cutting?.note).toMatch(/No cut at frame 5: it has no image of its own/);
  });

  it('applies the cuts as one replacement of the changed drafts, then reads the new segments; undo brings them back', async () => {
    let stored = imported();
    const undo = vi.fn(async () => { stored = imported(); });
    const applySegmentCuts = vi.fn(async (input: ApplyCutsInput): Promise<UndoStep> => {
      stored = [...stored.filter((s) => !input.replacement.remove.includes(s.id)), ...input.replacement.make.map((m, i) => ({ id: `n${i}`, status: 'draft' as const, instruction: m.instruction, frameStart: m.segment.start, frameEnd: m.segment.end }))];
      input.changed();
      return { label: 're-cut', undone: false, undo: async () => { await undo(); input.changed(); } };
    });
    const { player } = await openPlayer(fakeEpisode(), { loadSegmentSamples: async () => stored, applySegmentCuts });
    player.seek(8);
    player.addCut();
    await player.applyCuts();
    await flush();
    const input = applySegmentCuts.mock.calls[0][0];
    expect(input.replacement).toEqual({ remove: ['s1'], make: [{ segment: { start: 0, end: 8 }, instruction: 'pick the cube' }, { segment: { start: 8, end: 19 }, instruction: 'pick the cube' }] });
    // The new segment's path runs over its frames, made as the importer makes it.
    const path = input.pathOver({ start: 0, end: 8 });
    expect(path?.points.length).toBeGreaterThanOrEqual(2);
    expect(player.getSnapshot().cutting).toMatchObject({ plan: { cuts: [8, 19] }, applied: [8, 19], changed: false, applying: false, canUndo: true });
    // The path drawn now ends where the frame's new segment ends.
    player.seek(2);
    expect(player.getSnapshot().episode?.segments).toEqual([{ start: 0, end: 8 }, { start: 8, end: 19 }, { start: 19, end: 29 }]);
    await player.undoCuts();
    await flush();
    expect(undo).toHaveBeenCalledOnce();
    expect(player.getSnapshot().cutting).toMatchObject({ applied: [19] });
  });

  it('says why Apply failed and keeps the edited cuts', async () => {
    const applySegmentCuts = vi.fn(async () => { throw new Error('Could not save: the disk is full.'); });
    const { player } = await openPlayer(fakeEpisode(), { loadSegmentSamples: async () => imported(), applySegmentCuts });
    player.seek(8);
    player.addCut();
    await player.applyCuts();
    expect(player.getSnapshot().cutting).toMatchObject({ plan: { cuts: [8, 19] }, changed: true, applying: false, note: 'Could not save: the disk is full.' });
  });
});
