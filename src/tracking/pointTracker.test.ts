// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenCv } from './opencv';
import { loadOpenCvInNode } from '../testing/nodeOpenCv';
import { PointTracker } from './pointTracker';
import { decodeLumaWithFfmpeg, makeSyntheticVideo, type SyntheticVideo } from '../testing/syntheticVideo';
import type { LumaFrame } from './lumaFrame';

let cv: OpenCv;
beforeAll(async () => { ({ cv } = await loadOpenCvInNode()); });

/** Tracks the patch centre from frame 0 through the whole clip, as the worker does. */
function trackThrough(video: SyntheticVideo) {
  const { width, height } = video.spec;
  const frames: LumaFrame[] = decodeLumaWithFfmpeg(video.file, width, height).map((data) => ({ width, height, data }));
  const tracker = new PointTracker(cv);
  tracker.setTemplate(frames[0], video.truth[0].x, video.truth[0].y);
  const out = [{ ...video.truth[0], reliable: true }];
  try {
    for (let i = 1; i < frames.length; i++) {
      const prev = out[i - 1];
      const s = tracker.step(frames[i - 1], frames[i], prev.x, prev.y);
      out.push({ x: s.x, y: s.y, reliable: s.reliable });
    }
  } finally {
    tracker.dispose();
  }
  return out;
}

const meanError = (video: SyntheticVideo, track: { x: number; y: number }[], frames: number[]) =>
  frames.reduce((sum, f) => sum + Math.hypot(track[f].x - video.truth[f].x, track[f].y - video.truth[f].y), 0) / frames.length;

describe('pyramidal LK with forward–backward check on synthetic ffmpeg videos', () => {
  const cases = [
    { speed: 1, codec: 'h264-lossless' as const },
    { speed: 3, codec: 'h264-lossless' as const },
    { speed: 6, codec: 'h264-lossless' as const },
    { speed: 3, codec: 'h264' as const },
    { speed: 6, codec: 'h264' as const },
    { speed: 4, codec: 'vp9' as const },
  ];
  for (const c of cases) {
    it(`follows a patch at ${c.speed} px/frame (${c.codec}) within 2 px on average`, () => {
      const video = makeSyntheticVideo({ width: 320, height: 240, frames: 40, ...c });
      const track = trackThrough(video);
      const all = track.map((_, i) => i);
      expect(track.length).toBe(40);
      expect(meanError(video, track, all)).toBeLessThan(2);
      expect(track.filter((p) => !p.reliable).length).toBeLessThanOrEqual(1);
    });
  }

  it('flags the frames where the patch is hidden behind an occluder', () => {
    const video = makeSyntheticVideo({ width: 320, height: 240, frames: 50, speed: 4, occluderX: 150, codec: 'h264' });
    expect(video.occludedFrames.length).toBeGreaterThan(3);
    const track = trackThrough(video);
    const firstHidden = video.occludedFrames[0];
    // Before the patch reaches the bar the track is accurate and trusted…
    const before = video.truth.flatMap((p, i) => (i > 0 && p.x + video.spec.patchSize / 2 < 150 ? [i] : []));
    expect(meanError(video, track, before)).toBeLessThan(2);
    expect(before.every((f) => track[f].reliable)).toBe(true);
    // …and every frame where it is entirely hidden is flagged.
    for (const f of video.occludedFrames) expect(track[f].reliable, `frame ${f} (first hidden ${firstHidden})`).toBe(false);
  });
});

afterAll(() => undefined);
