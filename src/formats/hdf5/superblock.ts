/**
 * The HDF5 superblock (the file's first bytes) records the address of the end of the file. A copy
 * that stopped early is shorter than that: comparing the two names a truncated file precisely,
 * where the HDF5 library would open it and find groups missing ("has no /data group").
 * Layout: HDF5 File Format Specification, "Superblock" (versions 0–3).
 */

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export type SuperblockCheck =
  | { kind: 'ok'; endOfFile: number }
  | { kind: 'empty' }
  | { kind: 'not-hdf5' }
  | { kind: 'truncated'; endOfFile: number; size: number };

/** `head`: the file's first bytes (512 are plenty); `size`: the file's length in bytes. */
export function checkSuperblock(head: Uint8Array, size: number): SuperblockCheck {
  if (size === 0) return { kind: 'empty' };
  // The superblock may sit at 0, 512, 1024, 2048… (a user block before it); the head covers 0 and 512.
  for (const at of [0, 512]) {
    if (head.length < at + 64 || !SIGNATURE.every((b, i) => head[at + i] === b)) continue;
    const dv = new DataView(head.buffer, head.byteOffset + at, head.length - at);
    const version = dv.getUint8(8);
    const offsetSize = version <= 1 ? dv.getUint8(13) : dv.getUint8(9);
    const eofAt = version === 0 ? 24 + 2 * offsetSize : version === 1 ? 28 + 2 * offsetSize : 12 + 2 * offsetSize;
    if (offsetSize !== 8 && offsetSize !== 4) return { kind: 'ok', endOfFile: size };
    const relative = offsetSize === 8 ? Number(dv.getBigUint64(eofAt, true)) : dv.getUint32(eofAt, true);
    const endOfFile = relative + at;
    return endOfFile > size ? { kind: 'truncated', endOfFile, size } : { kind: 'ok', endOfFile };
  }
  return { kind: 'not-hdf5' };
}
