import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { sharedFixture } from '../testing/sharedFixtures';
import { hamsterPixelTrack, overlayStyle, renderPathConcat, renderPathOverlay } from './overlay';
import type { Path } from './path';
import type { RgbaImage } from './raster';

const here = path.dirname(fileURLToPath(import.meta.url));
const overlayFixture = sharedFixture('hamster-overlay');
const golden = path.join(here, '__golden__');

/** HAMSTER's `[x, y, state]` with state 0 = closed, 1 = open. */
type HamsterPoint = [number, number, number];

const toPath = (points: HamsterPoint[]): Path => ({
  initialGripper: 'open',
  points: points.map(([x, y, state]) => ({ x, y, gripper: state === 0 ? 'closed' : 'open' })),
});

/** Fast exact byte comparison (vitest's deep equality is far too slow on megapixel buffers). */
const sameBytes = (a: Uint8ClampedArray, b: Uint8ClampedArray) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

const readPng = (file: string): RgbaImage => {
  const png = PNG.sync.read(readFileSync(file));
  return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) };
};

interface Comparison {
  referenceChanged: number;
  oursChanged: number;
  iou: number;
  /** Pixels both changed but to different colours. */
  colourMismatches: number;
}

/** Compares the pixels each rendering changed relative to `input` (RGB only). */
function compareChanges(input: RgbaImage, reference: RgbaImage, ours: RgbaImage): Comparison {
  const differs = (a: RgbaImage, b: RgbaImage, i: number) =>
    a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2];
  let referenceChanged = 0;
  let oursChanged = 0;
  let both = 0;
  let either = 0;
  let colourMismatches = 0;
  for (let i = 0; i < input.data.length; i += 4) {
    const r = differs(reference, input, i);
    const o = differs(ours, input, i);
    referenceChanged += r ? 1 : 0;
    oursChanged += o ? 1 : 0;
    either += r || o ? 1 : 0;
    if (r && o) {
      both++;
      if (differs(reference, ours, i)) colourMismatches++;
    }
  }
  return { referenceChanged, oursChanged, iou: either === 0 ? 1 : both / either, colourMismatches };
}

describe.skipIf(!overlayFixture.present)('overlay vs HAMSTER reference fixtures', () => {
  const cases: { name: string; input: string; expected: string; points_xy_gripper: HamsterPoint[] }[] = overlayFixture.present
    ? JSON.parse(readFileSync(overlayFixture.path('cases.json'), 'utf8'))
    : [];

  it.each(cases.map((c) => [c.name, c] as const))('%s: changed pixels identical to HAMSTER', (_name, c) => {
    const input = readPng(overlayFixture.path(c.input));
    const reference = readPng(overlayFixture.path(c.expected));
    const before = new Uint8ClampedArray(input.data);
    const ours = renderPathOverlay(input, toPath(c.points_xy_gripper), 'overlay');

    expect(sameBytes(input.data, before)).toBe(true); // renderPathOverlay never touches its input
    const result = compareChanges(input, reference, ours);
    expect(result.referenceChanged).toBeGreaterThan(500);
    expect(result).toEqual({ referenceChanged: result.referenceChanged, oursChanged: result.referenceChanged, iou: 1, colourMismatches: 0 });
  });
});

describe('concat mode golden images (drawn by the reference implementation)', () => {
  const cases: { name: string; width: number; height: number; points: HamsterPoint[]; changedPixels: number }[] = JSON.parse(
    readFileSync(path.join(golden, 'cases.json'), 'utf8'),
  );

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const reference = readPng(path.join(golden, `${c.name}.png`));
    const ours = renderPathConcat(c.width, c.height, toPath(c.points));
    const black: RgbaImage = { width: c.width, height: c.height, data: new Uint8ClampedArray(c.width * c.height * 4) };
    const result = compareChanges(black, reference, ours);
    expect(result.referenceChanged).toBe(c.changedPixels);
    expect(result).toEqual({ referenceChanged: c.changedPixels, oursChanged: c.changedPixels, iou: 1, colourMismatches: 0 });
    // concat output is opaque black wherever nothing was drawn
    expect(ours.data[3]).toBe(255);
  });

  it('concat from an image uses only its size', () => {
    const image: RgbaImage = { width: 64, height: 48, data: new Uint8ClampedArray(64 * 48 * 4).fill(200) };
    const path = toPath([[0.1, 0.1, 1], [0.9, 0.9, 1]]);
    expect(sameBytes(renderPathOverlay(image, path, 'concat').data, renderPathConcat(64, 48, path).data)).toBe(true);
  });
});

describe('overlay geometry', () => {
  it('scales thickness and radius like HAMSTER', () => {
    expect(overlayStyle(224, 224)).toEqual({ scale: 1, lineThickness: 2, circleRadius: 7, circleThickness: 2 });
    expect(overlayStyle(1024, 768)).toEqual({ scale: 1.5, lineThickness: 3, circleRadius: 10, circleThickness: 3 });
    expect(overlayStyle(1920, 1080).circleRadius).toBe(14);
  });

  it('resamples to 100 integer points from the first to the last waypoint pixel', () => {
    const track = hamsterPixelTrack([{ x: 0.1, y: 0.2 }, { x: 0.5, y: 0.2 }, { x: 0.5, y: 0.9 }], 100, 100)!;
    expect(track).toHaveLength(200);
    expect([track[0], track[1]]).toEqual([10, 20]);
    expect([track[198], track[199]]).toEqual([50, 90]);
    // equal spacing: total length 110 px over 99 steps
    expect(Math.hypot(track[2] - track[0], track[3] - track[1])).toBeCloseTo(110 / 99, 0);
  });

  it('draws circles only for a path that stays on one pixel, and nothing for an empty path', () => {
    expect(hamsterPixelTrack([{ x: 0.5, y: 0.5 }, { x: 0.501, y: 0.5 }], 100, 100)).toBeNull();
    const single = renderPathConcat(64, 64, toPath([[0.5, 0.5, 0]]));
    const painted = (img: RgbaImage) => img.data.filter((v, i) => i % 4 !== 3 && v !== 0).length;
    expect(painted(single)).toBeGreaterThan(0);
    expect(painted(renderPathConcat(64, 64, { initialGripper: 'open', points: [] }))).toBe(0);
  });
});
