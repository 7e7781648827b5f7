import { describe, expect, it } from 'vitest';
import { imageDimensions, sniffImage } from './imageSniff';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('sniffImage', () => {
  it('recognizes PNG, JPEG and WebP by magic bytes', () => {
    expect(sniffImage(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toEqual({ ok: true, mime: 'image/png' });
    expect(sniffImage(bytes(0xff, 0xd8, 0xff, 0xe0))).toEqual({ ok: true, mime: 'image/jpeg' });
    const webp = new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ');
    expect(sniffImage(webp)).toEqual({ ok: true, mime: 'image/webp' });
  });

  it('refuses empty files and names the file', () => {
    const r = sniffImage(new Uint8Array(0), 'a.png');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('“a.png” is empty');
  });

  it('says what a non-image is', () => {
    const text = sniffImage(new TextEncoder().encode('hello world, not an image'), 'notes.png');
    expect(text.ok === false && text.reason).toMatch(/not a PNG, JPEG or WebP.*text/);
    const gif = sniffImage(new TextEncoder().encode('GIF89a....'), 'x.gif');
    expect(gif.ok === false && gif.reason).toMatch(/GIF/);
    const riffNotWebp = sniffImage(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '), 'x.wav');
    expect(riffNotWebp.ok).toBe(false);
  });
});

describe('imageDimensions', () => {
  it('reads PNG and JPEG headers written by real encoders', async () => {
    const { PNG } = await import('pngjs');
    const jpeg = (await import('jpeg-js')).default;
    const png = PNG.sync.write(Object.assign(new PNG({ width: 37, height: 21 }), {}));
    expect(imageDimensions(new Uint8Array(png), 'image/png')).toEqual({ width: 37, height: 21 });
    const jpg = jpeg.encode({ data: Buffer.alloc(50 * 30 * 4, 128), width: 50, height: 30 }, 80).data;
    expect(imageDimensions(new Uint8Array(jpg), 'image/jpeg')).toEqual({ width: 50, height: 30 });
    expect(imageDimensions(new Uint8Array(jpg).subarray(0, 10), 'image/jpeg')).toBeNull();
  });

  it('reads lossless WebP (VP8L) headers', () => {
    // 'RIFF' size 'WEBP' 'VP8L' size 0x2f then 14-bit width-1 / height-1.
    const b = new Uint8Array(30);
    b.set(new TextEncoder().encode('RIFF'), 0);
    b.set(new TextEncoder().encode('WEBPVP8L'), 8);
    b[20] = 0x2f;
    const bits = (99) | (49 << 14);
    new DataView(b.buffer).setUint32(21, bits, true);
    expect(imageDimensions(b, 'image/webp')).toEqual({ width: 100, height: 50 });
  });
});
