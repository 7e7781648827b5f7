/**
 * Camera messages as pixels: sensor_msgs/CompressedImage (JPEG/PNG bytes; size read from the
 * header) and sensor_msgs/Image (raw rgb8, bgr8, rgba8, bgra8, mono8, mono16) turned into RGBA.
 */
import { BagError } from '../mcap/bag';

export type ImagePayload =
  | { kind: 'compressed'; mime: 'image/jpeg' | 'image/png'; data: Uint8Array; width: number; height: number; frameId: string }
  | { kind: 'raw'; encoding: string; width: number; height: number; step: number; bigEndian: boolean; data: Uint8Array; frameId: string };

const asBytes = (v: unknown): Uint8Array => (v instanceof Uint8Array ? v : Uint8Array.from((v as ArrayLike<number>) ?? []));

/** JPEG (SOFn) or PNG (IHDR) pixel size, or null. */
export function compressedSize(b: Uint8Array): { mime: 'image/jpeg' | 'image/png'; width: number; height: number } | null {
  if (b.length > 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { mime: 'image/png', width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
    for (let i = 2; i + 9 < b.length; ) {
      if (b[i] !== 0xff) { i++; continue; }
      const marker = b[i + 1];
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0xff) { i += marker === 0xff ? 1 : 2; continue; }
      const len = (b[i + 2] << 8) | b[i + 3];
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { mime: 'image/jpeg', height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8] };
      }
      i += 2 + len;
    }
  }
  return null;
}

export function imagePayload(msg: unknown, topic: string): ImagePayload {
  const m = msg as { header?: { frame_id?: string }; format?: string; data?: unknown; encoding?: string; width?: number; height?: number; step?: number; is_bigendian?: number | boolean };
  const frameId = m.header?.frame_id ?? '';
  const data = asBytes(m.data);
  if (typeof m.format === 'string') {
    const size = compressedSize(data);
    if (!size) throw new BagError(`${topic}: a CompressedImage (format “${m.format}”) that is neither JPEG nor PNG; the studio reads those two.`);
    return { kind: 'compressed', ...size, data, frameId };
  }
  const width = Number(m.width ?? 0), height = Number(m.height ?? 0);
  return { kind: 'raw', encoding: String(m.encoding ?? ''), width, height, step: Number(m.step ?? 0), bigEndian: Boolean(m.is_bigendian), data, frameId };
}

/** RGBA pixels of a raw sensor_msgs/Image. */
export function rawToRgba(p: Extract<ImagePayload, { kind: 'raw' }>, topic = 'image'): Uint8ClampedArray {
  const { width, height, step, data } = p;
  const enc = p.encoding.toLowerCase();
  const layouts: Record<string, { bpp: number; pick: (d: Uint8Array, o: number) => [number, number, number, number] }> = {
    rgb8: { bpp: 3, pick: (d, o) => [d[o], d[o + 1], d[o + 2], 255] },
    bgr8: { bpp: 3, pick: (d, o) => [d[o + 2], d[o + 1], d[o], 255] },
    rgba8: { bpp: 4, pick: (d, o) => [d[o], d[o + 1], d[o + 2], d[o + 3]] },
    bgra8: { bpp: 4, pick: (d, o) => [d[o + 2], d[o + 1], d[o], d[o + 3]] },
    mono8: { bpp: 1, pick: (d, o) => [d[o], d[o], d[o], 255] },
    '8uc1': { bpp: 1, pick: (d, o) => [d[o], d[o], d[o], 255] },
    '8uc3': { bpp: 3, pick: (d, o) => [d[o + 2], d[o + 1], d[o], 255] },
    mono16: { bpp: 2, pick: (d, o) => { const v = p.bigEndian ? d[o] : d[o + 1]; return [v, v, v, 255]; } },
  };
  const layout = layouts[enc];
  if (!layout) throw new BagError(`${topic}: raw image encoding “${p.encoding}” is not one the studio reads (${Object.keys(layouts).join(', ')}).`);
  const rowBytes = step || width * layout.bpp;
  if (data.length < rowBytes * (height - 1) + width * layout.bpp) throw new BagError(`${topic}: a ${width}×${height} ${p.encoding} image with only ${data.length} bytes of data.`);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(layout.pick(data, y * rowBytes + x * layout.bpp), (y * width + x) * 4);
  return out;
}
