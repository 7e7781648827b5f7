/**
 * A decompression bomb: a real, valid PNG of `side`×`side` black 1-bit pixels whose IDAT inflates
 * to zero rows — ~50 KB for 20000², 1.6 GB once a browser decodes it to RGBA. Plain JavaScript so
 * that the hostile peer (a bare Node script) and the TypeScript tests share it. Node only.
 */
import zlib from 'node:zlib';

/** @param {number} side @returns {Buffer} */
export function pngBomb(side = 20000) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 1; // bit depth 1, colour type 0 (grey)
  const rows = Buffer.alloc(side * (1 + Math.ceil(side / 8))); // filter byte 0 + zero bits per row
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
