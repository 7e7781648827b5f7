/**
 * Random-access reader for ZIP archives held in a Blob/File: reads the central directory from the
 * end of the file and hands out each entry as a Blob slice (stored) or a streamed inflate
 * (deflate), so a 2 GB backup is never loaded into memory.
 *
 * Written here because the installed zip libraries read archives front to back (fflate's `Unzip`)
 * or need the whole archive in memory (`unzipSync`); what the importers and restore need is
 * "open entry X of a File" without reading the rest. Supports ZIP64 (client-zip writes it for
 * large archives) and the two methods real tools write: 0 (stored) and 8 (deflate).
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc32: number;
  /** Offset of the entry's local header. */
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {
  /** The entry found damaged, when one can be named. */
  constructor(message: string, readonly entry?: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

async function readBytes(blob: Blob, start: number, end: number): Promise<DataView> {
  const buf = await blob.slice(start, end).arrayBuffer();
  return new DataView(buf);
}

const u64 = (v: DataView, at: number) => Number(v.getBigUint64(at, true));

export class ZipReader {
  private readonly byName = new Map<string, ZipEntry>();

  private constructor(readonly file: Blob, readonly entries: ZipEntry[]) {
    for (const e of entries) this.byName.set(e.name, e);
  }

  /** Opens an archive; a file cut short (no end-of-central-directory record) is refused. */
  static async open(blob: Blob, label = 'the archive'): Promise<ZipReader> {
    const tailStart = Math.max(0, blob.size - (22 + 0xffff));
    const tail = await readBytes(blob, tailStart, blob.size);
    let eocd = -1;
    for (let i = tail.byteLength - 22; i >= 0; i--) {
      if (tail.getUint32(i, true) === EOCD_SIG) { eocd = i; break; }
    }
    if (eocd < 0) {
      const cut = await firstIncompleteEntry(blob);
      if (cut.broken) throw new ZipFormatError(`${label} is truncated: entry "${cut.broken}" is cut short (${cut.complete.length} entries before it are intact).`, cut.broken);
      if (cut.complete.length) throw new ZipFormatError(`${label} is truncated: all ${cut.complete.length} entries are there but its table of contents is cut short.`);
      throw new ZipFormatError(`${label} is not a ZIP file (or is truncated before its first entry).`);
    }
    let count = tail.getUint16(eocd + 10, true);
    let cdSize = tail.getUint32(eocd + 12, true);
    let cdOffset = tail.getUint32(eocd + 16, true);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || tail.getUint32(loc, true) !== ZIP64_LOCATOR_SIG) throw new ZipFormatError(`${label}: ZIP64 record missing.`);
      const z64At = u64(tail, loc + 8);
      const z64 = await readBytes(blob, z64At, z64At + 56);
      if (z64.getUint32(0, true) !== ZIP64_EOCD_SIG) throw new ZipFormatError(`${label}: ZIP64 end record is damaged.`);
      count = u64(z64, 32);
      cdSize = u64(z64, 40);
      cdOffset = u64(z64, 48);
    }
    if (cdOffset + cdSize > blob.size) throw new ZipFormatError(`${label} is truncated: its table of contents points past the end of the file.`);
    const cd = await readBytes(blob, cdOffset, cdOffset + cdSize);
    const entries: ZipEntry[] = [];
    const decoder = new TextDecoder();
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > cd.byteLength || cd.getUint32(at, true) !== CENTRAL_SIG) throw new ZipFormatError(`${label}: table of contents entry ${i + 1} is damaged.`);
      const method = cd.getUint16(at + 10, true);
      const crc32 = cd.getUint32(at + 16, true);
      let compressedSize = cd.getUint32(at + 20, true);
      let size = cd.getUint32(at + 24, true);
      const nameLen = cd.getUint16(at + 28, true);
      const extraLen = cd.getUint16(at + 30, true);
      const commentLen = cd.getUint16(at + 32, true);
      let localHeaderOffset = cd.getUint32(at + 42, true);
      const name = decoder.decode(new Uint8Array(cd.buffer, cd.byteOffset + at + 46, nameLen));
      // ZIP64 extended information (header id 1): present fields in a fixed order.
      let x = at + 46 + nameLen;
      const extraEnd = x + extraLen;
      while (x + 4 <= extraEnd) {
        const id = cd.getUint16(x, true);
        const len = cd.getUint16(x + 2, true);
        if (id === 1) {
          let p = x + 4;
          if (size === 0xffffffff) { size = u64(cd, p); p += 8; }
          if (compressedSize === 0xffffffff) { compressedSize = u64(cd, p); p += 8; }
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = u64(cd, p);
        }
        x += 4 + len;
      }
      entries.push({ name, method, compressedSize, size, crc32, localHeaderOffset });
      at += 46 + nameLen + extraLen + commentLen;
    }
    return new ZipReader(blob, entries);
  }

  get(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The entry's bytes as a Blob: a slice of the archive for stored entries, inflated otherwise. */
  async blob(entry: ZipEntry | string, type = ''): Promise<Blob> {
    const e = typeof entry === 'string' ? this.byName.get(entry) : entry;
    if (!e) throw new ZipFormatError(`the archive has no entry "${String(entry)}"`);
    const head = await readBytes(this.file, e.localHeaderOffset, e.localHeaderOffset + 30);
    if (head.byteLength < 30 || head.getUint32(0, true) !== LOCAL_SIG) throw new ZipFormatError(`entry "${e.name}" is damaged or the archive is truncated.`);
    const start = e.localHeaderOffset + 30 + head.getUint16(26, true) + head.getUint16(28, true);
    const end = start + e.compressedSize;
    if (end > this.file.size) throw new ZipFormatError(`entry "${e.name}" is cut short: the archive is truncated.`);
    const raw = this.file.slice(start, end, type);
    if (e.method === 0) return raw;
    if (e.method === 8) {
      const inflated = raw.stream().pipeThrough(new DecompressionStream('deflate-raw'));
      return new Blob([await new Response(inflated).arrayBuffer()], { type });
    }
    throw new ZipFormatError(`entry "${e.name}" uses compression method ${e.method}, which is not supported (use stored or deflate).`);
  }

  async text(entry: ZipEntry | string): Promise<string> {
    return (await this.blob(entry)).text();
  }
}

const DESCRIPTOR_SIG = [0x50, 0x4b, 0x07, 0x08];

/**
 * For an archive without its end record (a cut-off download or copy): walks the local headers
 * from the front and returns the entries that are complete and the first one that is cut short.
 * Entries written with a data descriptor (client-zip, streaming writers) are measured by finding
 * the descriptor whose compressed size matches the distance travelled.
 */
export async function firstIncompleteEntry(blob: Blob): Promise<{ complete: string[]; broken: string | null }> {
  const complete: string[] = [];
  const decoder = new TextDecoder();
  let at = 0;
  while (at + 30 <= blob.size) {
    const head = await readBytes(blob, at, at + 30);
    if (head.getUint32(0, true) !== LOCAL_SIG) return { complete, broken: null };
    const flags = head.getUint16(6, true);
    const nameLen = head.getUint16(26, true);
    const extraLen = head.getUint16(28, true);
    const nameBytes = await blob.slice(at + 30, at + 30 + nameLen).arrayBuffer();
    const name = decoder.decode(nameBytes);
    if (nameBytes.byteLength < nameLen) return { complete, broken: name || '(unnamed)' };
    const dataStart = at + 30 + nameLen + extraLen;
    let next = -1;
    if (!(flags & 8)) {
      next = dataStart + head.getUint32(18, true);
      if (next > blob.size) next = -1;
    } else {
      const WINDOW = 16 << 20;
      for (let from = dataStart; from < blob.size && next < 0; from += WINDOW) {
        const view = new Uint8Array(await blob.slice(from, Math.min(blob.size, from + WINDOW + 24)).arrayBuffer());
        const dv = new DataView(view.buffer);
        for (let i = 0; i + 16 <= view.length && i < WINDOW; i++) {
          if (view[i] !== DESCRIPTOR_SIG[0] || view[i + 1] !== DESCRIPTOR_SIG[1] || view[i + 2] !== DESCRIPTOR_SIG[2] || view[i + 3] !== DESCRIPTOR_SIG[3]) continue;
          const distance = from + i - dataStart;
          if (dv.getUint32(i + 8, true) === distance) { next = from + i + 16; break; }
          if (i + 24 <= view.length && Number(dv.getBigUint64(i + 8, true)) === distance) { next = from + i + 24; break; }
        }
      }
    }
    if (next < 0) return { complete, broken: name };
    complete.push(name);
    at = next;
  }
  return { complete, broken: null };
}
