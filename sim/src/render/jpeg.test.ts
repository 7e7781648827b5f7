import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { encodeJpeg } from './jpeg.ts';

function image(width: number, height: number, f: (x: number, y: number) => [number, number, number]): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(f(x, y), 3 * (y * width + x));
  return rgb;
}

describe('JPEG encoding', () => {
  it('round-trips colours closely', () => {
    const rgb = image(64, 48, (x) => (x < 32 ? [200, 30, 40] : [20, 90, 220]));
    const decoded = jpeg.decode(encodeJpeg(rgb, 64, 48), { useTArray: true });
    expect([decoded.width, decoded.height]).toEqual([64, 48]);
    for (const [x, expected] of [[8, [200, 30, 40]], [56, [20, 90, 220]]] as const) {
      const o = 4 * (24 * 64 + x);
      expected.forEach((c, k) => expect(Math.abs(decoded.data[o + k] - c)).toBeLessThan(6));
    }
  });

  it('keeps no state between frames (the encoder is reused)', () => {
    const a = image(32, 32, (x, y) => [x * 8, y * 8, 100]);
    const b = image(48, 16, () => [10, 250, 10]);
    const first = encodeJpeg(a, 32, 32);
    encodeJpeg(b, 48, 16);
    encodeJpeg(b, 48, 16, 50);
    expect(Buffer.from(encodeJpeg(a, 32, 32)).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(jpeg.encode({ data: rgbaOf(a), width: 32, height: 32 }, 85).data).equals(Buffer.from(first))).toBe(true);
  });
});

function rgbaOf(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) { out[j] = rgb[i]; out[j + 1] = rgb[i + 1]; out[j + 2] = rgb[i + 2]; out[j + 3] = 255; }
  return out;
}
