import { describe, expect, it } from 'vitest';
import opencvPrimitives from './__golden__/opencv-primitives.json';
import { createRgbaImage, cvRound, drawCircle, drawLine, type RgbaImage } from './raster';

const RED = [255, 0, 0] as const;

/** The set of painted (non-black) pixels as "x,y" strings. */
function painted(img: RgbaImage): Set<string> {
  const out = new Set<string>();
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (img.data[i] || img.data[i + 1] || img.data[i + 2]) out.add(`${x},${y}`);
    }
  }
  return out;
}

describe('cvRound', () => {
  it('rounds half to even like the FPU', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map(cvRound)).toEqual([0, 2, 2, -0, -2, 2, 3]);
  });
});

describe('drawLine', () => {
  it('thickness 1 is an 8-connected Bresenham line with one pixel per major-axis step', () => {
    const img = createRgbaImage(20, 20);
    drawLine(img, 2, 3, 12, 7, RED, 1);
    const px = painted(img);
    expect(px.size).toBe(11);
    expect(px.has('2,3') && px.has('12,7')).toBe(true);
    // Exactly one pixel per column between the endpoints.
    for (let x = 2; x <= 12; x++) expect([...px].filter((p) => p.startsWith(`${x},`))).toHaveLength(1);
  });

  it('draws the same pixels whichever endpoint comes first (left to right, like OpenCV)', () => {
    const a = createRgbaImage(30, 30);
    const b = createRgbaImage(30, 30);
    drawLine(a, 3, 25, 27, 4, RED, 1);
    drawLine(b, 27, 4, 3, 25, RED, 1);
    expect(painted(a)).toEqual(painted(b));
  });

  it('thick lines get round caps and stay within thickness/2 + 1 of the segment', () => {
    const img = createRgbaImage(40, 40);
    drawLine(img, 10, 20, 30, 20, RED, 4);
    const px = painted(img);
    const xs = [...px].map((p) => Number(p.split(',')[0]));
    const ys = [...px].map((p) => Number(p.split(',')[1]));
    expect(Math.min(...xs)).toBe(8); // cap radius round(4/2) = 2
    expect(Math.max(...xs)).toBe(32);
    expect(Math.min(...ys)).toBe(18);
    expect(Math.max(...ys)).toBe(22);
  });

  it('clips segments that leave the image without throwing', () => {
    const img = createRgbaImage(10, 10);
    drawLine(img, -50, 5, 60, 5, RED, 1);
    drawLine(img, -5, -5, -1, -9, RED, 3);
    expect(painted(img).size).toBe(10);
  });
});

describe('drawCircle', () => {
  it('thickness 1 draws a ring at the radius', () => {
    const img = createRgbaImage(21, 21);
    drawCircle(img, 10, 10, 6, RED, 1);
    const px = painted(img);
    for (const p of px) {
      const [x, y] = p.split(',').map(Number);
      expect(Math.abs(Math.hypot(x - 10, y - 10) - 6)).toBeLessThan(1);
    }
    expect(px.has('16,10') && px.has('10,4')).toBe(true);
  });

  it('thick rings are hollow, filled discs are not', () => {
    const ring = createRgbaImage(41, 41);
    drawCircle(ring, 20, 20, 14, RED, 3);
    expect(painted(ring).has('20,20')).toBe(false);
    expect(painted(ring).has('34,20')).toBe(true);
    const disc = createRgbaImage(41, 41);
    drawCircle(disc, 20, 20, 5, RED, -1);
    expect(painted(disc).has('20,20')).toBe(true);
    expect(painted(disc).size).toBeGreaterThan(60);
  });
});

describe('pixel-identical to OpenCV 4.6 cv2.line / cv2.circle', () => {
  // __golden__/opencv-primitives.json: each primitive drawn by OpenCV on a black 96x72 image;
  // `painted` counts the non-black pixels and `maskFnv1a32` hashes the 0/1 mask, row-major.
  const maskHash = (img: RgbaImage) => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < img.data.length; i += 4) {
      hash ^= img.data[i] | img.data[i + 1] | img.data[i + 2] ? 1 : 0;
      hash = Math.imul(hash, 0x01000193);
    }
    return hash >>> 0;
  };

  it.each(opencvPrimitives.map((c) => [JSON.stringify(c).slice(0, 80), c] as const))('%s', (_label, c) => {
    const img = createRgbaImage(96, 72);
    const white = [255, 255, 255] as const;
    if (c.kind === 'line' && c.points) drawLine(img, c.points[0], c.points[1], c.points[2], c.points[3], white, c.thickness);
    if (c.kind === 'circle' && c.center && c.radius !== undefined) drawCircle(img, c.center[0], c.center[1], c.radius, white, c.thickness);
    expect(painted(img).size).toBe(c.painted);
    expect(maskHash(img)).toBe(c.maskFnv1a32);
  });
});
