/**
 * JPEG encoding of RGB frames with jpeg-js (pure JS). jpeg-js's exported `encode()` builds a new
 * encoder per call, whose table set-up and the garbage it leaves cost more than the encoding itself
 * (22 ms vs ~7 ms per 256² frame here). Its encoder class is not exported, so we evaluate the same
 * source file once to get the class and keep one encoder per quality.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';

interface JpegEncoder { encode(image: { data: Uint8Array; width: number; height: number }, quality: number): Buffer }
type EncoderClass = new (quality: number) => JpegEncoder;

let EncoderCtor: EncoderClass | null | undefined;
const encoders = new Map<number, JpegEncoder>();

/** jpeg-js's encoder class, or null if this jpeg-js version is laid out differently. */
function encoderClass(): EncoderClass | null {
  if (EncoderCtor === undefined) {
    try {
      const path = createRequire(import.meta.url).resolve('jpeg-js/lib/encoder.js');
      const source = readFileSync(path, 'utf8');
      // The file declares `function JPEGEncoder(quality)` at top level and assigns module.exports.
      EncoderCtor = new Function('module', 'Buffer', `${source}\nreturn JPEGEncoder;`)({ exports: {} }, Buffer) as EncoderClass;
    } catch {
      EncoderCtor = null;
    }
  }
  return EncoderCtor;
}

export function encodeJpeg(rgb: Uint8Array, width: number, height: number, quality = 85): Uint8Array {
  const Ctor = encoderClass();
  let encoder = encoders.get(quality);
  if (!encoder) {
    // Fallback: the public (slower) API builds a fresh encoder per call.
    encoder = Ctor ? new Ctor(quality) : { encode: (image, q) => jpeg.encode(image, q).data };
    encoders.set(quality, encoder);
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i]; rgba[j + 1] = rgb[i + 1]; rgba[j + 2] = rgb[i + 2]; rgba[j + 3] = 255;
  }
  const out = encoder.encode({ data: rgba, width, height }, quality);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
