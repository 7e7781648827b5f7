/**
 * JPEG/PNG camera frames → RGBA for the models, decoded by the browser (createImageBitmap is
 * hardware-assisted and off the main thread's JS). Caches the last frame: the planner and the
 * policy often ask for the same one.
 */
import type { RgbaImage } from '../core/raster';
import type { CameraFrame } from './types';

export class FrameDecoder {
  private last: { seq: number; image: Promise<RgbaImage> } | null = null;
  private canvas: OffscreenCanvas | null = null;

  decode = (frame: CameraFrame): Promise<RgbaImage> => {
    if (this.last?.seq === frame.seq) return this.last.image;
    const image = this.decodeNow(frame);
    this.last = { seq: frame.seq, image };
    return image;
  };

  private decodeNow(frame: CameraFrame): Promise<RgbaImage> {
    return this.decodeBytes(frame.data, frame.format);
  }

  /** Encoded bytes (`format` as in CompressedImage: "jpeg", "png", "rgb8; jpeg compressed bgr8"…) → RGBA. */
  async decodeBytes(bytes: Uint8Array, format: string): Promise<RgbaImage> {
    const type = /png/i.test(format) ? 'image/png' : 'image/jpeg';
    const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
    try {
      const { width, height } = bitmap;
      if (!this.canvas || this.canvas.width !== width || this.canvas.height !== height) this.canvas = new OffscreenCanvas(width, height);
      const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('no 2D canvas for decoding frames');
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, width, height).data;
      return { width, height, data };
    } finally {
      bitmap.close();
    }
  }
}
