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
