/**
 * JPEG/PNG camera frames → RGBA for the models. Caches the last frame: the planner and the policy
 * often ask for the same one.
 *
 * JPEGs are decoded by MozJPEG compiled to WASM (@jsquash/jpeg), synchronously in the calling
 * thread. The browser's decoders (createImageBitmap, WebCodecs' ImageDecoder) hand the work to
 * another thread and back: cheap when the machine is idle, but in a control step on the busy
 * 2-core machine each hop waits for a core (live bench: createImageBitmap p50 3.2–4.7 ms, p99
 * 9–23 ms; this decoder 1.6–1.8 / 5–17 ms; docs/LIVE.md). On the sim's frames its pixels are those
 * of createImageBitmap, bit for bit. PNGs, and JPEGs if the WASM cannot start, go through
 * createImageBitmap and a canvas read-back.
 */
import decodeJpegWasm, { init as initJpegWasm } from '@jsquash/jpeg/decode.js';
import jpegWasmUrl from '@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm?url';
import { DEFAULT_MAX_IMAGE_MEGAPIXELS, encodedImageSizeProblem } from '../core/imageLimits';
import type { RgbaImage } from '../core/raster';
import type { CameraFrame } from './types';

/** The WASM JPEG decoder, compiled once per thread; false when it cannot start here. */
let jpegWasm: Promise<boolean> | null = null;
/** libjpeg's last complaint (it prints instead of throwing a message). */
let jpegWasmMessage = '';
function jpegWasmReady(): Promise<boolean> {
  jpegWasm ??= WebAssembly.compileStreaming(fetch(jpegWasmUrl))
    .then(async (module) => {
      // init(module, overrides): the JavaScript takes both, its .d.ts declares only the second.
      const init = initJpegWasm as (module: WebAssembly.Module, overrides: object) => Promise<void>;
      await init(module, { print: () => undefined, printErr: (m: string) => (jpegWasmMessage = m) });
      return true;
    })
    .catch(() => false);
  return jpegWasm;
}

/**
 * A JPEG ends with the end-of-image marker (FF D9), perhaps followed by padding. libjpeg fills a
 * truncated image with grey and only warns; a policy must not act on that.
 */
function hasEndOfImage(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - 64); i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

async function decodeJpegInThread(bytes: Uint8Array): Promise<RgbaImage> {
  if (!hasEndOfImage(bytes)) throw new Error('the JPEG is truncated (no end-of-image marker)');
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  jpegWasmMessage = '';
  try {
    const image = await decodeJpegWasm(buffer);
    return { width: image.width, height: image.height, data: image.data };
  } catch {
    throw new Error(`the JPEG could not be decoded${jpegWasmMessage ? ` (${jpegWasmMessage})` : ''}`);
  }
}

export class FrameDecoder {
  private last: { seq: number; image: Promise<RgbaImage> } | null = null;
  private canvas: OffscreenCanvas | null = null;

  decode = (frame: CameraFrame): Promise<RgbaImage> => {
    if (this.last?.seq === frame.seq) return this.last.image;
    const image = this.decodeBytes(frame.data, frame.format);
    this.last = { seq: frame.seq, image };
    return image;
  };

  /** Encoded bytes (`format` as in CompressedImage: "jpeg", "png", "rgb8; jpeg compressed bgr8"…) → RGBA. */
  async decodeBytes(bytes: Uint8Array, format: string): Promise<RgbaImage> {
    const type = /png/i.test(format) ? 'image/png' : 'image/jpeg';
    // A frame's size is read from its header before any decode: a peer's 60000×60000 JPEG of a few
    // bytes would otherwise allocate gigabytes in this thread.
    const tooLarge = encodedImageSizeProblem(bytes, DEFAULT_MAX_IMAGE_MEGAPIXELS * 1e6, 'the camera frame');
    if (tooLarge) throw new Error(tooLarge);
    if (type === 'image/jpeg' && (await jpegWasmReady())) return decodeJpegInThread(bytes);
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
    try {
      const { width, height } = bitmap;
      if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) this.canvas = new OffscreenCanvas(width, height);
      const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('no 2D canvas for decoding frames');
      ctx.drawImage(bitmap, 0, 0);
      return { width, height, data: ctx.getImageData(0, 0, width, height).data };
    } finally {
      bitmap.close();
    }
  }
}
