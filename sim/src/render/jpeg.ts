/** JPEG encoding of RGB frames (jpeg-js: pure JS, ~5 ms for 256² here, enough for 15+ Hz). */
import jpeg from 'jpeg-js';

export function encodeJpeg(rgb: Uint8Array, width: number, height: number, quality = 85): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgba[j] = rgb[i]; rgba[j + 1] = rgb[i + 1]; rgba[j + 2] = rgb[i + 2]; rgba[j + 3] = 255;
  }
  const out = jpeg.encode({ data: rgba, width, height }, quality);
  return new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}
