import { describe, expect, it } from 'vitest';
import type { HandLandmark } from './handLandmarks';
import type { HandDetection, HandFrame } from './handTrack';
import { trackHandFrames } from './trackHandFrames';

/** A hand at x = 0.1 + 0.01 f (or where `at` puts it), open, or pinched; none on `missing` frames. */
function hand(f: number, pinched: boolean, at = (g: number) => 0.1 + 0.01 * g): HandDetection {
  const x = at(f);
  const landmarks = Array.from({ length: 21 }, () => ({ x, y: 0.5 }));
  landmarks[0] = { x, y: 0.9 }; // wrist; the middle knuckle (9) at 0.5: palm 0.4
  landmarks[4] = { x: x - 0.1, y: 0.4 };
  landmarks[8] = { x: pinched ? x - 0.08 : x + 0.3, y: 0.4 };
  return { landmarks, score: 0.9 };
}

async function run(frames: number, opts: { pinched?: (f: number) => boolean; missing?: (f: number) => boolean; at?: (f: number) => number } = {}) {
  const asked: { frame: number; near?: readonly HandLandmark[] }[] = [];
  const stored: HandFrame[] = [];
  const detected = await trackHandFrames({
    start: 0,
    end: frames - 1,
    width: 100,
    height: 100,
    frame: async (index) => ({ index, width: 100, height: 100 }) as unknown as HTMLCanvasElement,
    detector: {
      parallel: 2,
      async detect(image, near) {
        const frame = (image as unknown as { index: number }).index;
        asked.push({ frame, near });
        return opts.missing?.(frame) ? null : hand(frame, opts.pinched?.(frame) ?? false, opts.at);
      },
      reset() {},
      async close() {},
    },
    signal: new AbortController().signal,
    onFrames: (batch) => stored.push(...batch),
    batch: 5,
  });
  return { asked, stored, detected };
}

describe('tracking a hand on key frames', () => {
  it('runs the models on every third frame, stores every frame in order, and interpolates the rest', async () => {
    const { asked, stored, detected } = await run(10);
    expect(asked.map((a) => a.frame)).toEqual([0, 3, 6, 9]);
    expect(detected).toBe(4);
    expect(stored.map((h) => h.frame)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stored[4]!.point.x).toBeCloseTo(100 * (0.1 + 0.04 + 0.1), 9); // midway between thumb and index tips
  });

  it('looks for each key frame where the hand is expected from the two latest sightings', async () => {
    const { asked } = await run(13);
    expect(asked[0]!.near).toBeUndefined();
    // Frame 9 is asked for once frame 3 is back (frame 6 on its way): carried on from 0 and 3.
    const at9 = asked.find((a) => a.frame === 9)!.near!;
    expect(at9[0]!.x).toBeCloseTo(0.1 + 0.09, 9);
  });

  it('detects the frames around a grasp, looking on the line between the key frames’ hands', async () => {
    // The hand speeds up after frame 3: frame 4 is looked for on the line through frames 3 and 6
    // (x 0.13, 0.169), not where the motion from 0 to 3 carries it (0.14).
    const { asked, stored } = await run(13, { pinched: (f) => f >= 5, at: (f) => (f <= 3 ? 0.1 + 0.01 * f : 0.13 + 0.013 * (f - 3)) });
    expect(asked.map((a) => a.frame).sort((a, b) => a - b)).toEqual([0, 3, 4, 5, 6, 9, 12]);
    expect(asked.find((a) => a.frame === 4)!.near![0]!.x).toBeCloseTo(0.143, 9);
    expect(stored.map((h) => h.frame)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('stops carrying the motion on once the hand has been lost for three key frames', async () => {
    const { asked, stored } = await run(19, { missing: (f) => f >= 3 && f <= 15 });
    const hinted = (f: number) => asked.find((a) => a.frame === f)?.near !== undefined;
    expect(hinted(6)).toBe(true); // 6 past the sighting on frame 0
    expect(hinted(9)).toBe(true);
    expect(hinted(12)).toBe(false);
    expect(hinted(15)).toBe(false);
    expect(stored.filter((h) => !h.point.reliable).map((h) => h.frame)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });
});
