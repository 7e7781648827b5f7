/**
 * Streaming ZIP writer for stored (uncompressed) entries — exports hold images, videos and
 * parquet, which do not compress further. Same archive shape as client-zip writes (data
 * descriptors, UTF-8 names, ZIP64 end records and offsets past 4 GiB), but with the slicing-by-16
 * CRC-32 of crc32.ts: client-zip 2.5 checksums byte by byte, which measured as the largest cost
 * of an export. Entries are pulled from an async iterable one at a time, so memory holds one chunk.
 *
 * A Blob entry whose CRC-32 is known (`crc32`, kept with each stored image since ingest) is passed
 * through as the Blob itself: its bytes never enter the page, and the file writer copies them
 * inside the browser. Other entries are read and checksummed; `readAhead` overlaps that reading with
 * the rest (the next entries pulled and their Blobs read while the current one is checksummed and
 * written; bounded: that many entries, each read whole only up to WHOLE_BLOB_LIMIT). Measured in
 * docs/BENCHMARKS.md (Export).
 */
import { crc32 } from '../../core/crc32';

export interface ZipInput {
  name: string;
  data: Blob | Uint8Array | string | AsyncIterable<string | Uint8Array>;
  /** The CRC-32 of a Blob `data`, when known: the Blob is then written without being read. */
  crc32?: number;
  lastModified?: Date;
}

/** A piece of the archive: bytes, or a Blob passed through whole. */
export type ZipChunk = Uint8Array | Blob;

const passesThrough = (entry: ZipInput): entry is ZipInput & { data: Blob; crc32: number } => entry.data instanceof Blob && entry.crc32 !== undefined;

const encoder = new TextEncoder();
const MAX32 = 0xffffffff;
/** Blobs up to this size are read in one piece; larger ones are streamed. */
const WHOLE_BLOB_LIMIT = 16 << 20;

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getFullYear());
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

async function* chunksOf(data: ZipInput['data']): AsyncGenerator<Uint8Array> {
  if (typeof data === 'string') yield encoder.encode(data);
  else if (data instanceof Uint8Array) yield data;
  else if (data instanceof Blob) {
    // A large Blob, streamed (those up to WHOLE_BLOB_LIMIT are read in one piece by readWhole).
    const reader = data.stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  } else {
    for await (const piece of data) yield typeof piece === 'string' ? encoder.encode(piece) : piece;
  }
}

interface Written {
  name: Uint8Array;
  crc: number;
  size: number;
  offset: number;
  time: number;
  date: number;
}

function localHeader(name: Uint8Array, time: number, date: number): Uint8Array {
  const h = new Uint8Array(30 + name.length);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, 45, true); // version needed: 4.5 (ZIP64-aware readers)
  v.setUint16(6, 0x0808, true); // bit 3: sizes in the data descriptor; bit 11: UTF-8 name
  v.setUint16(8, 0, true); // stored
  v.setUint16(10, time, true);
  v.setUint16(12, date, true);
  v.setUint16(26, name.length, true);
  h.set(name, 30);
  return h;
}

function dataDescriptor(crc: number, size: number): Uint8Array {
  const d = new Uint8Array(16);
  const v = new DataView(d.buffer);
  v.setUint32(0, 0x08074b50, true);
  v.setUint32(4, crc, true);
  v.setUint32(8, size, true);
  v.setUint32(12, size, true);
  return d;
}

function centralHeader(e: Written): Uint8Array {
  const zip64 = e.offset >= MAX32;
  const extra = zip64 ? 12 : 0;
  const h = new Uint8Array(46 + e.name.length + extra);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, (3 << 8) | 45, true); // made by: Unix, 4.5
  v.setUint16(6, 45, true);
  v.setUint16(8, 0x0808, true);
  v.setUint16(10, 0, true);
  v.setUint16(12, e.time, true);
  v.setUint16(14, e.date, true);
  v.setUint32(16, e.crc, true);
  v.setUint32(20, e.size, true);
  v.setUint32(24, e.size, true);
  v.setUint16(28, e.name.length, true);
  v.setUint16(30, extra, true);
  v.setUint32(38, 0o100644 << 16, true); // a regular file, rw-r--r--
  v.setUint32(42, zip64 ? MAX32 : e.offset, true);
  h.set(e.name, 46);
  if (zip64) {
    const x = 46 + e.name.length;
    v.setUint16(x, 1, true);
    v.setUint16(x + 2, 8, true);
    v.setBigUint64(x + 4, BigInt(e.offset), true);
  }
  return h;
}

function endRecords(count: number, cdOffset: number, cdSize: number): Uint8Array {
  const zip64 = count >= 0xffff || cdOffset >= MAX32 || cdSize >= MAX32;
  const out = new Uint8Array((zip64 ? 56 + 20 : 0) + 22);
  const v = new DataView(out.buffer);
  let at = 0;
  if (zip64) {
    v.setUint32(0, 0x06064b50, true);
    v.setBigUint64(4, 44n, true);
    v.setUint16(12, (3 << 8) | 45, true);
    v.setUint16(14, 45, true);
    v.setBigUint64(24, BigInt(count), true);
    v.setBigUint64(32, BigInt(count), true);
    v.setBigUint64(40, BigInt(cdSize), true);
    v.setBigUint64(48, BigInt(cdOffset), true);
    v.setUint32(56, 0x07064b50, true);
    v.setBigUint64(64, BigInt(cdOffset + cdSize), true);
    v.setUint32(72, 1, true);
    at = 76;
  }
  v.setUint32(at, 0x06054b50, true);
  v.setUint16(at + 8, Math.min(count, 0xffff), true);
  v.setUint16(at + 10, Math.min(count, 0xffff), true);
  v.setUint32(at + 12, Math.min(cdSize, MAX32), true);
  v.setUint32(at + 16, Math.min(cdOffset, MAX32), true);
  return out;
}

export interface StoredZipOptions {
  /**
   * Entries pulled ahead of the one being written, with their Blobs' bytes read ahead (0: none).
   * Only for entry sources that do not depend on the previous entry's data being consumed first.
   */
  readAhead?: number;
}

interface Pulled {
  entry: ZipInput;
  /** The bytes of a whole-read Blob entry, being read. */
  bytes?: Promise<Uint8Array>;
}

const readWhole = (entry: ZipInput): Promise<Uint8Array> | undefined => {
  const { data } = entry;
  if (!(data instanceof Blob) || data.size > WHOLE_BLOB_LIMIT || passesThrough(entry)) return undefined;
  const p = data.arrayBuffer().then((b) => new Uint8Array(b));
  p.catch(() => undefined); // surfaced when the entry's turn comes
  return p;
};

/** Entries in order, up to `depth` pulled ahead of the consumer with their Blob reads started. */
async function* pulledAhead(entries: AsyncIterable<ZipInput> | Iterable<ZipInput>, depth: number): AsyncGenerator<Pulled> {
  if (depth <= 0) {
    for await (const entry of entries) yield { entry, bytes: readWhole(entry) };
    return;
  }
  const it = Symbol.asyncIterator in entries ? entries[Symbol.asyncIterator]() : (entries as Iterable<ZipInput>)[Symbol.iterator]();
  const queue: Promise<IteratorResult<Pulled>>[] = [];
  let ended = false;
  const pull = () => {
    const p = Promise.resolve(it.next()).then((r): IteratorResult<Pulled> => {
      if (r.done) return { done: true, value: undefined };
      return { done: false, value: { entry: r.value, bytes: readWhole(r.value) } };
    });
    p.catch(() => undefined); // surfaced in order below
    queue.push(p);
  };
  try {
    for (;;) {
      while (!ended && queue.length < depth + 1) pull();
      const r = await queue.shift()!;
      if (r.done) {
        ended = true;
        if (!queue.length) return;
        continue;
      }
      yield r.value;
    }
  } finally {
    // Stopped early (cancel, error): let the pulls already asked for settle, then close the source.
    await Promise.allSettled(queue);
    await it.return?.();
  }
}

/** The archive's bytes as chunks (what `makeStoredZip` streams). */
export async function* storedZipChunks(entries: AsyncIterable<ZipInput> | Iterable<ZipInput>, { readAhead = 0 }: StoredZipOptions = {}): AsyncGenerator<ZipChunk> {
  const written: Written[] = [];
  let offset = 0;
  for await (const { entry, bytes } of pulledAhead(entries, readAhead)) {
    const name = encoder.encode(entry.name);
    const { time, date } = dosDateTime(entry.lastModified ?? new Date());
    const header = localHeader(name, time, date);
    const start = offset;
    yield header;
    offset += header.length;
    let crc = 0;
    let size = 0;
    if (passesThrough(entry)) {
      crc = entry.crc32;
      size = entry.data.size;
      yield entry.data;
    } else if (bytes) {
      const whole = await bytes;
      crc = crc32(whole);
      size = whole.length;
      yield whole;
    } else {
      for await (const chunk of chunksOf(entry.data)) {
        crc = crc32(chunk, crc);
        size += chunk.length;
        yield chunk;
      }
    }
    if (size >= MAX32) throw new Error(`"${entry.name}" is 4 GiB or larger; a single archive entry is limited to 4 GiB.`);
    offset += size;
    const descriptor = dataDescriptor(crc, size);
    yield descriptor;
    offset += descriptor.length;
    written.push({ name, crc, size, offset: start, time, date });
  }
  const cdOffset = offset;
  let cdSize = 0;
  for (const e of written) {
    const h = centralHeader(e);
    cdSize += h.length;
    yield h;
  }
  yield endRecords(written.length, cdOffset, cdSize);
}

/** The archive as a byte stream; cancelling the stream stops pulling entries. */
export function makeStoredZip(entries: AsyncIterable<ZipInput> | Iterable<ZipInput>, options: StoredZipOptions = {}): ReadableStream<ZipChunk> {
  const it = storedZipChunks(entries, options);
  return new ReadableStream<ZipChunk>({
    async pull(controller) {
      const { done, value } = await it.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      // Runs the producers' `finally` blocks (open readers, encoders) without reading further.
      await it.return(undefined).catch(() => undefined);
    },
  }, { highWaterMark: 0 });
}
