/**
 * Identifies image files by their first bytes, not by name or the browser's MIME guess,
 * so a renamed text file is refused with a clear reason.
 */
export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp';

export type SniffResult = { ok: true; mime: ImageMime } | { ok: false; reason: string };

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

export function sniffImage(head: Uint8Array, fileName = 'the file'): SniffResult {
  if (head.length === 0) return { ok: false, reason: `“${fileName}” is empty (0 bytes).` };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, mime: 'image/png' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { ok: true, mime: 'image/jpeg' };
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return { ok: true, mime: 'image/webp' };
  return { ok: false, reason: `“${fileName}” is not a PNG, JPEG or WebP image (${describeContent(head)}).` };
}

function describeContent(head: Uint8Array): string {
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'it is a GIF';
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return 'it is a PDF';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'it is a zip archive';
  if (startsWith(head, [0x66, 0x74, 0x79, 0x70], 4)) return 'it looks like a video; use Import → Video';
  const printable = head.slice(0, 64).every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc0);
  return printable ? 'it looks like text' : 'unrecognized content';
}

/**
 * Pixel size from the file header (PNG IHDR, JPEG SOFn, WebP VP8/VP8L/VP8X), so thumbnails can be
 * decoded straight at their small size. Null when the header does not say within `head`.
 */
export function imageDimensions(head: Uint8Array, mime: ImageMime): { width: number; height: number } | null {
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (mime === 'image/png') return head.length >= 24 ? { width: dv.getUint32(16), height: dv.getUint32(20) } : null;
  if (mime === 'image/jpeg') {
    let i = 2;
    while (i + 9 < head.length) {
      if (head[i] !== 0xff) return null;
      const marker = head[i + 1];
      if (marker === 0xff) { i++; continue; }
      const len = dv.getUint16(i + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) return { height: dv.getUint16(i + 5), width: dv.getUint16(i + 7) };
      i += 2 + len;
    }
    return null;
  }
  if (head.length < 30) return null;
  const chunk = String.fromCharCode(head[12], head[13], head[14], head[15]);
  if (chunk === 'VP8 ') return { width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff };
  if (chunk === 'VP8L') {
    const bits = dv.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    const w = head[24] | (head[25] << 8) | (head[26] << 16);
    const h = head[27] | (head[28] << 8) | (head[29] << 16);
    return { width: w + 1, height: h + 1 };
  }
  return null;
}
