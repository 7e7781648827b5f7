import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VideoRecord } from '../records';
import { useJobs } from '../jobs/jobs';
import { useToasts } from '../toasts';
import type { TrackingRun, VideoSegment } from '../../tracking/annotation';
import type { TrackOptions } from '../../tracking/trackingClient';
import { SAVE_DELAY_MS, VideoEditorController, type VideoEditorDeps, type VideoFrames } from './videoEditorController';

const FRAMES = 10;

const video = (annotation: Record<string, unknown> = {}): VideoRecord => ({
  id: 'v1', datasetId: 'd1', assetId: 'a1', name: 'clip.mp4', codec: 'avc1', width: 64, height: 48, fps: 10,
  frameCount: FRAMES, durationSeconds: 1, annotation: { frameTimes: Array.from({ length: FRAMES }, (_, i) => i / 10), ...annotation },
  createdAt: 0, updatedAt: 0,
});

const segment = (id: string, start: number, end: number): VideoSegment =>
  ({ id, start, end, instruction: '', keyframes: [], track: new Array(end - start + 1).fill(null) });

/** Frames as tagged stand-ins for ImageBitmaps; `hold` keeps decodes pending until released. */
function fakeFrames() {
  const pending: { index: number; resolve: () => void }[] = [];
  const frames = {
    held: false,
    asked: [] as number[],
    disposed: false,
    pending,
    frame(index: number) {
      frames.asked.push(index);
      const image = { index } as unknown as ImageBitmap;
      if (!frames.held) return Promise.resolve(image);
      return new Promise<ImageBitmap>((resolve) => pending.push({ index, resolve: () => resolve(image) }));
    },
    dispose() { frames.disposed = true; },
  };
  return frames satisfies VideoFrames;
}

/** A tracker whose jobs stay open until the test ends them; cancelling one rejects it as AbortError. */
function fakeTracker() {
  const jobs: { runs: TrackingRun[]; opts: TrackOptions; finish: () => void }[] = [];
  return {
    jobs,
    disposed: false,
    track(_blob: Blob, _name: string, _times: number[], runs: TrackingRun[], opts: TrackOptions) {
      return new Promise<number>((resolve, reject) => {
        opts.signal?.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')));
        jobs.push({ runs, opts, finish: () => resolve(30) });
      });
    },
    dispose() { this.disposed = true; },
  };
}

const imageIndex = (c: VideoEditorController) => (c.getSnapshot().image as unknown as { index: number } | undefined)?.index;
const flush = () => new Promise((r) => setTimeout(r, 0));

/** `record` null: the video is gone from storage. */
function setup(record: VideoRecord | null = video(), deps: Partial<VideoEditorDeps> = {}) {
  const frames = fakeFrames();
  const tracker = fakeTracker();
  const saved: Record<string, unknown>[] = [];
  let ids = 0;
  const controller = new VideoEditorController('v1', {
    getVideo: async () => record ?? undefined,
    getVideoBlob: async () => new Blob(['video']),
    saveAnnotation: async (_id, a) => { saved.push(a); },
    openFrames: async () => frames,
    createTracker: () => tracker,
    newId: () => `s${++ids}`,
    now: () => 0,
    sleep: () => Promise.resolve(),
    ...deps,
  });
  return { controller, frames, tracker, saved };
}

async function opened(record?: VideoRecord | null, deps?: Partial<VideoEditorDeps>) {
  const s = setup(record, deps);
  await s.controller.open();
  await flush();
  return s;
}

beforeEach(() => {
  useJobs.setState({ jobs: [] });
  useToasts.setState({ toasts: [] });
});
afterEach(() => vi.useRealTimers());

describe('VideoEditorController: opening', () => {
  it('reads the stored annotation, selects the first segment and shows frame 0', async () => {
    const { controller, frames } = await opened(video({ segments: [segment('a', 2, 5)], gripperEvents: [{ frame: 3, state: 'closed' }] }));
    const s = controller.getSnapshot();
    expect(s.video?.name).toBe('clip.mp4');
    expect(s.annotation.segments.map((x) => x.id)).toEqual(['a']);
    expect(s.annotation.gripperEvents).toEqual([{ frame: 3, state: 'closed' }]);
    expect(s.selectedId).toBe('a');
    expect(frames.asked).toEqual([0]);
    expect(imageIndex(controller)).toBe(0);
  });

  it('says why a video cannot be opened', async () => {
    expect((await opened(null)).controller.getSnapshot().error).toBe('This video is no longer in the studio.');
    const noFile = await opened(video(), { getVideoBlob: async () => undefined });
    expect(noFile.controller.getSnapshot().error).toBe('The file of clip.mp4 is missing from storage; import it again.');
    const broken = await opened(video(), { openFrames: () => Promise.reject(new Error('no decoder for this codec')) });
    expect(broken.controller.getSnapshot().error).toBe('no decoder for this codec');
  });

  it('closes a frame source that opens after the editor was left', async () => {
    const { controller, frames, tracker } = setup();
    const opening = controller.open();
    controller.dispose();
    await opening;
    expect(frames.disposed).toBe(true);
    expect(tracker.disposed).toBe(true);
    expect(controller.getSnapshot().video).toBeUndefined();
  });
});

describe('VideoEditorController: frames and playback', () => {
  it('seeks within the video and keys step through it', async () => {
    const { controller } = await opened();
    controller.seek(4);
    controller.seek(99);
    expect(controller.getSnapshot().frame).toBe(FRAMES - 1);
    controller.seek(-3);
    expect(controller.getSnapshot().frame).toBe(0);
    controller.perform('forward10');
    expect(controller.getSnapshot().frame).toBe(FRAMES - 1);
    controller.perform('prevFrame');
    expect(controller.getSnapshot().frame).toBe(FRAMES - 2);
    expect(controller.handleKey({ key: 'ArrowLeft', altKey: true })).toBe(true);
    expect(controller.getSnapshot().frame).toBe(FRAMES - 3);
  });

  it('keeps the picture of the frame asked for last when decodes finish out of order', async () => {
    const { controller, frames } = await opened();
    frames.held = true;
    controller.seek(3);
    controller.seek(7);
    frames.pending.find((p) => p.index === 7)!.resolve();
    await flush();
    frames.pending.find((p) => p.index === 3)!.resolve();
    await flush();
    expect(controller.getSnapshot().frame).toBe(7);
    expect(imageIndex(controller)).toBe(7);
  });

  it('plays to the end paced by the clock, and a pause or seek stops it', async () => {
    const waits: number[] = [];
    let now = 0;
    const { controller } = await opened(video(), { now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });
    controller.seek(6);
    controller.togglePlay();
    expect(controller.getSnapshot().playing).toBe(true);
    await vi.waitFor(() => expect(controller.getSnapshot().playing).toBe(false));
    expect(controller.getSnapshot().frame).toBe(FRAMES - 1);
    expect(imageIndex(controller)).toBe(FRAMES - 1);
    expect(waits).toEqual([100, 100, 100]); // 10 fps

    const held = await opened(video(), { sleep: () => new Promise(() => {}) });
    held.controller.togglePlay();
    await flush();
    held.controller.perform('playPause');
    expect(held.controller.getSnapshot()).toMatchObject({ playing: false, frame: 0 });
  });
});

describe('VideoEditorController: annotation', () => {
  it('marks gripper events and segments from the keys and saves once after the edits settle', async () => {
    vi.useFakeTimers();
    const { controller, saved } = setup();
    await controller.open();
    controller.seek(2);
    controller.perform('gripperClose');
    controller.perform('newSegment');
    controller.seek(6);
    controller.perform('segmentEnd');
    controller.setInstruction('s1', 'pick up the cup');
    expect(controller.handleKey({ key: 'o' })).toBe(true);
    const s = controller.getSnapshot();
    expect(s.annotation.gripperEvents).toEqual([{ frame: 2, state: 'closed' }, { frame: 6, state: 'open' }]);
    expect(s.annotation.segments).toMatchObject([{ id: 's1', start: 2, end: 6, instruction: 'pick up the cup' }]);
    expect(s.selectedId).toBe('s1');
    vi.advanceTimersByTime(SAVE_DELAY_MS - 1);
    expect(saved).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ gripperEvents: s.annotation.gripperEvents, segments: s.annotation.segments, frameTimes: video().annotation.frameTimes });

    // Leaving right after an edit saves it at once: nothing typed or clicked is lost.
    controller.deleteSegment('s1');
    controller.dispose();
    expect(saved).toHaveLength(2);
    expect(saved[1].segments).toEqual([]);
    vi.advanceTimersByTime(SAVE_DELAY_MS);
    expect(saved).toHaveLength(2);
  });

  it('runs no key under the shortcut list', async () => {
    const { controller } = await opened();
    controller.perform('help');
    expect(controller.handleKey({ key: 'n' })).toBe(false);
    expect(controller.getSnapshot().annotation.segments).toHaveLength(0);
    controller.setHelpOpen(false);
    expect(controller.handleKey({ key: 'n' })).toBe(true);
    expect(controller.getSnapshot().annotation.segments).toHaveLength(1);
  });
});

describe('VideoEditorController: tracking', () => {
  it('a point placed outside any segment starts one to the end and tracks from it', async () => {
    const { controller, tracker } = await opened();
    controller.seek(4);
    controller.placePoint(10, 20);
    const s = controller.getSnapshot();
    expect(s.annotation.segments).toMatchObject([{ id: 's1', start: 4, end: FRAMES - 1, keyframes: [{ frame: 4, x: 10, y: 20 }] }]);
    expect(s.selectedId).toBe('s1');
    expect(s.trackingIds.has('s1')).toBe(true);
    expect(tracker.jobs[0].runs).toEqual([{ from: 4, to: FRAMES - 1, x: 10, y: 20 }]);
    expect(useJobs.getState().jobs.map((j) => j.label)).toEqual([`Tracking clip.mp4 (frames 4–${FRAMES - 1})`]);

    tracker.jobs[0].opts.onPoints([{ frame: 5, point: { x: 11, y: 21, reliable: true } }, { frame: 6, point: { x: 12, y: 22, reliable: false } }], 2, 6);
    expect(controller.getSnapshot().annotation.segments[0].track.slice(0, 3)).toEqual([{ x: 10, y: 20, reliable: true }, { x: 11, y: 21, reliable: true }, { x: 12, y: 22, reliable: false }]);
    tracker.jobs[0].finish();
    await flush();
    expect(controller.getSnapshot().trackingIds.size).toBe(0);
    expect(useJobs.getState().jobs).toHaveLength(0);
  });

  it('a correction cancels the running job and tracks again from it, and only its end clears the busy state', async () => {
    const { controller, tracker } = await opened(video({ segments: [segment('a', 0, 9)] }));
    controller.placePoint(1, 1);
    tracker.jobs[0].opts.onPoints([{ frame: 1, point: { x: 2, y: 2, reliable: true } }], 1, 10);
    controller.seek(5);
    controller.placePoint(50, 40);
    expect(tracker.jobs[0].opts.signal?.aborted).toBe(true);
    // The first run (0–4) still has gaps, so it is tracked again along with the corrected one (5–9).
    expect(tracker.jobs[1].runs).toEqual([{ from: 0, to: 4, x: 1, y: 1 }, { from: 5, to: 9, x: 50, y: 40 }]);
    await flush();
    expect(controller.getSnapshot().trackingIds.has('a')).toBe(true);
    expect(useToasts.getState().toasts).toHaveLength(0); // a cancel is no error
    tracker.jobs[1].finish();
    await flush();
    expect(controller.getSnapshot().trackingIds.has('a')).toBe(false);
  });

  it('a correction right after stepping frames holds: points the cancelled job still sends are dropped', async () => {
    const { controller, tracker } = await opened(video({ segments: [segment('a', 0, 9)] }));
    controller.placePoint(1, 1);
    for (let i = 0; i < 5; i++) controller.handleKey({ key: 'ArrowRight', altKey: true });
    expect(controller.getSnapshot().frame).toBe(5);
    controller.placePoint(50, 40);
    // The old job's points for frames past the correction were already on their way from the worker.
    tracker.jobs[0].opts.onPoints([5, 6, 7].map((frame) => ({ frame, point: { x: 2, y: 2, reliable: true } })), 7, 10);
    const track = controller.getSnapshot().annotation.segments[0].track;
    expect(track[5]).toEqual({ x: 50, y: 40, reliable: true });
    expect(track.slice(6, 8)).toEqual([null, null]);
    tracker.jobs[1].opts.onPoints([{ frame: 6, point: { x: 51, y: 41, reliable: true } }], 1, 5);
    expect(controller.getSnapshot().annotation.segments[0].track[6]).toEqual({ x: 51, y: 41, reliable: true });
  });

  it('asks for a point first when a segment has none', async () => {
    const { controller, tracker } = await opened(video({ segments: [segment('a', 0, 9)] }));
    controller.perform('track');
    expect(tracker.jobs).toHaveLength(0);
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['Click the point to follow on the segment’s first frame first.']);
  });

  it('a failed job is reported and leaves the segment free', async () => {
    const failing = { track: () => Promise.reject(new Error('OpenCV.js failed to load')), dispose: () => {} };
    const { controller } = await opened(video({ segments: [segment('a', 0, 9)] }), { createTracker: () => failing });
    controller.placePoint(1, 1);
    await flush();
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['OpenCV.js failed to load']);
    expect(controller.getSnapshot().trackingIds.size).toBe(0);
  });
});

describe('VideoEditorController: samples', () => {
  it('links the last sample made and reports skipped segments', async () => {
    const makeSegmentSamples: VideoEditorDeps['makeSegmentSamples'] = async (_v, segments) => ({
      samples: [{ id: 'sample-1' } as never],
      updated: [],
      skipped: [{ segment: segments[1], reason: 'no track yet' }],
    });
    const { controller } = await opened(video({ segments: [segment('a', 0, 4), segment('b', 5, 9)] }), { makeSegmentSamples });
    await controller.makeSamples(controller.getSnapshot().annotation.segments);
    expect(controller.getSnapshot().lastSamples).toEqual({ datasetId: 'd1', sampleId: 'sample-1' });
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['Segment 5–9: no track yet.', 'Made 1 sample from clip.mp4.']);
  });

  it('makes every n-th frame an image as a job', async () => {
    let step = 0;
    const makeEveryNthFrameSamples: VideoEditorDeps['makeEveryNthFrameSamples'] = async (_v, _f, n) => { step = n; return [{}, {}] as never[]; };
    const { controller } = await opened(video(), { makeEveryNthFrameSamples });
    await controller.makeEveryNthFrame(5);
    expect(step).toBe(5);
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['Made 2 images for sketching from clip.mp4.']);
    expect(useJobs.getState().jobs).toHaveLength(0);
  });
});

describe('hand tracking', () => {
  /** A detector whose hand pinches on frames 3–6: thumb and index tips together, else apart. */
  function fakeHandDetector(missing: number[] = []) {
    const calls = { reset: 0, detect: [] as number[] };
    const detector = {
      calls,
      async detect(image: { width: number; height: number }) {
        const index = (image as unknown as { index: number }).index;
        calls.detect.push(index);
        if (missing.includes(index)) return null;
        const pinched = index >= 3 && index <= 6;
        const lm = Array.from({ length: 21 }, () => ({ x: 0.5, y: 0.5 }));
        lm[0] = { x: 0.5, y: 0.9 };
        lm[9] = { x: 0.5, y: 0.5 }; // palm 0.4 × 48 px
        lm[4] = { x: 0.3 + index * 0.01, y: 0.4 };
        lm[8] = { x: (pinched ? 0.32 : 0.7) + index * 0.01, y: 0.4 };
        return { landmarks: lm, score: 0.9 };
      },
      reset() { calls.reset++; },
      async close() {},
    };
    return detector;
  }

  it('finds the grasp point on every frame, marks frames without a hand, and makes gripper events from the aperture', async () => {
    const detector = fakeHandDetector([1]);
    const { controller, saved } = await opened(video({ segments: [segment('a', 0, 9)], gripperEvents: [{ frame: 5, state: 'open' }] }), { createHandDetector: async () => detector });
    controller.setTracker('a', 'hand');
    await controller.track('a');
    const seg = controller.getSnapshot().annotation.segments[0];
    expect(seg.tracker).toBe('hand');
    expect(detector.calls.reset).toBe(1);
    expect(seg.track.every(Boolean)).toBe(true);
    // Frame 0: thumb at 0.30, index at 0.70 → grasp at 0.5 × 64 px.
    expect(seg.track[0]).toEqual({ x: 32, y: 0.4 * 48, reliable: true });
    expect(seg.track[1]?.reliable).toBe(false);
    expect(seg.aperture?.[1]).toBeNull();
    // The hand's events replace the ones marked on its frames.
    expect(controller.getSnapshot().annotation.gripperEvents).toEqual([{ frame: 3, state: 'closed' }, { frame: 7, state: 'open' }]);
    await new Promise((r) => setTimeout(r, SAVE_DELAY_MS + 20));
    expect((saved.at(-1)?.segments as VideoSegment[])[0].aperture).toHaveLength(10);
    expect(useJobs.getState().jobs).toHaveLength(0);
  });

  it('keeps two frames in flight for a detector with two workers, and stores the answers in frame order', async () => {
    const sequential = fakeHandDetector();
    const one = await opened(video({ segments: [segment('a', 0, 9)] }), { createHandDetector: async () => sequential });
    one.controller.setTracker('a', 'hand');
    await one.controller.track('a');
    const fake = fakeHandDetector();
    let running = 0, most = 0;
    // Even frames answer later than the odd frame after them.
    const detector = { ...fake, parallel: 2, async detect(image: { width: number; height: number }) {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, (image as unknown as { index: number }).index % 2 ? 1 : 8));
      running--;
      return fake.detect(image);
    } };
    const two = await opened(video({ segments: [segment('a', 0, 9)] }), { createHandDetector: async () => detector });
    two.controller.setTracker('a', 'hand');
    await two.controller.track('a');
    expect(most).toBeGreaterThanOrEqual(2); // two key frames ahead, and the frames between them around the pinch
    expect(two.controller.getSnapshot().annotation.segments[0].track).toEqual(one.controller.getSnapshot().annotation.segments[0].track);
    expect(two.controller.getSnapshot().annotation.gripperEvents).toEqual([{ frame: 3, state: 'closed' }, { frame: 7, state: 'open' }]);
  });

  it('detects the key frames and the frames around a grasp or release, and draws the line between the rest', async () => {
    const detector = fakeHandDetector();
    const { controller } = await opened(video({ segments: [segment('a', 0, 9)] }), { createHandDetector: async () => detector });
    controller.setTracker('a', 'hand');
    await controller.track('a');
    // Key frames 0, 3, 6, 9; the hand pinches on 3–6, so 1–2 and 7–8 are detected, 4–5 held pinched between 3 and 6.
    expect([...detector.calls.detect].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 6, 7, 8, 9]);
    const track = controller.getSnapshot().annotation.segments[0].track;
    expect(track[4]!.x).toBeCloseTo(track[3]!.x + (track[6]!.x - track[3]!.x) / 3, 9);
    expect(track[4]!.reliable).toBe(true);
    expect(controller.getSnapshot().annotation.gripperEvents).toEqual([{ frame: 3, state: 'closed' }, { frame: 7, state: 'open' }]);
  });

  it('keeps a correction on its own frame, without tracking again', async () => {
    const detector = fakeHandDetector();
    const { controller, tracker } = await opened(video({ segments: [segment('a', 0, 9)] }), { createHandDetector: async () => detector });
    controller.setTracker('a', 'hand');
    await controller.track('a');
    const calls = detector.calls.detect.length;
    controller.seek(4);
    controller.placePoint(10, 11);
    await flush();
    const seg = controller.getSnapshot().annotation.segments[0];
    expect(seg.track[4]).toEqual({ x: 10, y: 11, reliable: true });
    expect(detector.calls.detect.length).toBe(calls);
    expect(tracker.jobs).toHaveLength(0);
    // Tracked again, the keyframe stays the user's.
    await controller.track('a');
    expect(controller.getSnapshot().annotation.segments[0].track[4]).toEqual({ x: 10, y: 11, reliable: true });
  });

  it('stops when the job is cancelled from the tray, keeping what it found and the events as they were', async () => {
    const detector = fakeHandDetector();
    const detect = detector.detect.bind(detector);
    detector.detect = async (image) => {
      if ((image as unknown as { index: number }).index === 9) useJobs.getState().jobs[0]?.cancel?.();
      return detect(image);
    };
    const { controller } = await opened(video({ segments: [segment('a', 0, 9)], gripperEvents: [{ frame: 5, state: 'closed' }] }), { createHandDetector: async () => detector });
    controller.setTracker('a', 'hand');
    await controller.track('a');
    const seg = controller.getSnapshot().annotation.segments[0];
    // Key frames 0, 3, 6, 9: frames 0–6 went in one batch before frame 9 was asked for; frame 9 is dropped.
    expect(seg.track.filter(Boolean)).toHaveLength(7);
    expect(controller.getSnapshot().annotation.gripperEvents).toEqual([{ frame: 5, state: 'closed' }]);
    expect(controller.getSnapshot().trackingIds.size).toBe(0);
    expect(useJobs.getState().jobs).toHaveLength(0);
  });

  it('says why when MediaPipe cannot be loaded, and tries again next time', async () => {
    let attempts = 0;
    const { controller } = await opened(video({ segments: [segment('a', 0, 9)] }), { createHandDetector: async () => { attempts++; throw new Error('MediaPipe Hands could not be loaded'); } });
    controller.setTracker('a', 'hand');
    await controller.track('a');
    await controller.track('a');
    expect(attempts).toBe(2);
    expect(useToasts.getState().toasts.some((t) => /could not be loaded/.test(t.message))).toBe(true);
    expect(controller.getSnapshot().trackingIds.size).toBe(0);
  });
});
