// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../core/crc32';
import { firstIncompleteEntry, ZipReader } from './zipReader';
import { makeStoredZip, storedZipChunks, type ZipChunk, type ZipInput } from './zipWriter';

/** The archive's bytes from its pieces (bytes and passed-through Blobs). */
const joined = async (parts: ZipChunk[]) => new Uint8Array(await new Blob(parts as BlobPart[]).arrayBuffer());
async function chunksOf(entries: ZipInput[], readAhead = 0): Promise<ZipChunk[]> {
  const parts: ZipChunk[] = [];
  for await (const c of storedZipChunks(entries, { readAhead })) parts.push(c);
  return parts;
}
const bytesOf = async (entries: ZipInput[]) => joined(await chunksOf(entries));

/** Python's zipfile (standard library) checks every CRC and size: a second, independent reader. */
function pythonCheck(zip: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-zip-'));
  try {
    writeFileSync(join(dir, 'a.zip'), zip);
    return execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); bad = z.testzip(); print(len(z.namelist()), bad)', join(dir, 'a.zip')]).toString().trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('crc32', () => {
  it('matches the standard check value and runs incrementally', () => {
    const data = new TextEncoder().encode('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32(data.subarray(4), crc32(data.subarray(0, 4)))).toBe(0xcbf43926);
    const big = new Uint8Array(100_003).map((_, i) => (i * 2654435761) >>> 24);
    let bytewise = ~0;
    for (const b of big) { bytewise ^= b; for (let k = 0; k < 8; k++) bytewise = bytewise & 1 ? (bytewise >>> 1) ^ 0xedb88320 : bytewise >>> 1; }
    expect(crc32(big)).toBe(~bytewise >>> 0);
  });
});

describe('stored zip writer', () => {
  it('writes strings, bytes, Blobs and streams that fflate, Python and our reader all read back', async () => {
    const random = new Uint8Array(3 << 20).map((_, i) => (i * 7919) & 255);
    async function* pieces() { yield '[1,'; yield new Uint8Array([50, 93]); }
    const zip = await bytesOf([
      { name: 'data.json', data: '{"a": "ü"}' },
      { name: 'bytes.bin', data: new Uint8Array([1, 2, 3]) },
      { name: 'images/big.jpg', data: new Blob([random]) },
      { name: 'stream.json', data: pieces() },
      { name: 'empty.txt', data: '' },
    ]);
    const files = unzipSync(zip);
    expect(strFromU8(files['data.json'])).toBe('{"a": "ü"}');
    expect(strFromU8(files['stream.json'])).toBe('[1,2]');
    expect(Buffer.compare(files['images/big.jpg'], random)).toBe(0);
    expect(pythonCheck(zip)).toBe('5 None');
    const reader = await ZipReader.open(new Blob([zip]));
    expect(reader.entries.map((e) => e.name)).toEqual(['data.json', 'bytes.bin', 'images/big.jpg', 'stream.json', 'empty.txt']);
    expect(Buffer.compare(new Uint8Array(await (await reader.blob('images/big.jpg')).arrayBuffer()), random)).toBe(0);
    expect(await reader.text('stream.json')).toBe('[1,2]');
  });

  it('switches to ZIP64 end records past 65,535 entries', async () => {
    const when = new Date(2026, 0, 1);
    const entries = Array.from({ length: 70_000 }, (_, i) => ({ name: `f${i}`, data: String(i), lastModified: when }));
    const zip = await bytesOf(entries);
    const reader = await ZipReader.open(new Blob([zip]));
    expect(reader.entries.length).toBe(70_000);
    expect(await reader.text('f69999')).toBe('69999');
    // The ZIP64 end records are there (fflate reads them too).
    expect(new DataView(zip.buffer).getUint32(zip.length - 22 - 20 - 56, true)).toBe(0x06064b50);
    expect(strFromU8(unzipSync(zip, { filter: (f) => f.name === 'f12345' }).f12345)).toBe('12345');
  });

  it('reports the entry a truncated archive cuts short', async () => {
    const zip = await bytesOf([{ name: 'a', data: 'x'.repeat(1000) }, { name: 'b', data: 'y'.repeat(1000) }, { name: 'c', data: 'z' }]);
    expect(await firstIncompleteEntry(new Blob([zip.subarray(0, 1500)]))).toEqual({ complete: ['a'], broken: 'b' });
    await expect(ZipReader.open(new Blob([zip.subarray(0, 1500)]), 'x.zip')).rejects.toThrow('x.zip is truncated: entry "b" is cut short (1 entries before it are intact).');
  });

  it('reads ahead a bounded number of entries and writes the same archive', async () => {
    const when = new Date(2026, 0, 1);
    const blobs = Array.from({ length: 12 }, (_, i) => new Blob([new Uint8Array(50_000 + i).map((_, j) => (i * 31 + j * 7) & 255)]));
    let pulled = 0;
    let consumed = 0;
    let furthestAhead = 0;
    async function* source() {
      for (let i = 0; i < blobs.length; i++) {
        pulled++;
        furthestAhead = Math.max(furthestAhead, pulled - consumed);
        yield { name: `images/${i}.jpg`, data: blobs[i], lastModified: when };
      }
      yield { name: 'data.json', data: '[1]', lastModified: when };
    }
    const parts: ZipChunk[] = [];
    for await (const c of storedZipChunks(source(), { readAhead: 2 })) {
      parts.push(c);
      // An image's bytes are the third piece of its entry (header, bytes, descriptor).
      if (c instanceof Uint8Array && c.length >= 50_000) consumed++;
    }
    const ahead = await joined(parts);
    expect(pulled).toBe(12);
    expect(furthestAhead).toBeLessThanOrEqual(3); // the one being written and two ahead
    expect(furthestAhead).toBeGreaterThan(1); // it did read ahead
    const plain = await bytesOf([...blobs.map((data, i) => ({ name: `images/${i}.jpg`, data, lastModified: when })), { name: 'data.json', data: '[1]', lastModified: when }]);
    expect(Buffer.compare(ahead, plain)).toBe(0);
    expect(pythonCheck(ahead)).toBe('13 None');
  });

  it('with read-ahead, a failing source stops the archive at that entry with its error', async () => {
    async function* source() {
      yield { name: 'a', data: new Blob(['aaa']) };
      yield { name: 'b', data: new Blob(['bbb']) };
      throw new Error('An image was deleted during the export.');
    }
    const names: string[] = [];
    const err = await (async () => {
      for await (const c of storedZipChunks(source(), { readAhead: 2 })) if (c instanceof Uint8Array && c[0] === 0x50 && c[1] === 0x4b && c[2] === 3) names.push(strFromU8(c.subarray(30)));
    })().catch((e) => e);
    expect(names).toEqual(['a', 'b']);
    expect(err.message).toBe('An image was deleted during the export.');
  });

  it('passes a Blob whose CRC-32 is known through unread, and writes the same archive', async () => {
    const when = new Date(2026, 0, 1);
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 2654435761) >>> 24);
    /** A stored image that must not be read: the browser copies it to the file on its side. */
    class Unreadable extends Blob {
      override arrayBuffer(): Promise<ArrayBuffer> { throw new Error('read'); }
      override stream(): ReadableStream<Uint8Array<ArrayBuffer>> { throw new Error('read'); }
    }
    const stored = new Unreadable([bytes]);
    const chunks = await chunksOf([{ name: 'a.jpg', data: stored, crc32: crc32(bytes), lastModified: when }, { name: 'b.json', data: '[]', lastModified: when }], 2);
    expect(chunks).toContain(stored);
    const passed = await joined(chunks.map((c) => (c === stored ? new Blob([bytes]) : c)));
    const read = await bytesOf([{ name: 'a.jpg', data: new Blob([bytes]), lastModified: when }, { name: 'b.json', data: '[]', lastModified: when }]);
    expect(Buffer.compare(passed, read)).toBe(0);
    expect(pythonCheck(passed)).toBe('2 None');
  });

  it('cancelling the stream stops pulling entries', async () => {
    let pulled = 0;
    async function* many() { for (let i = 0; i < 1000; i++) { pulled++; yield { name: `f${i}`, data: new Uint8Array(1 << 16) }; } }
    const reader = makeStoredZip(many()).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(pulled).toBeLessThan(5);
  });

  it('cancelling a read-ahead stream stops pulling entries and closes the source', async () => {
    let pulled = 0;
    let closed = false;
    async function* many() {
      try {
        for (let i = 0; i < 1000; i++) { pulled++; yield { name: `f${i}`, data: new Blob([new Uint8Array(1 << 16)]) }; }
      } finally {
        closed = true;
      }
    }
    const reader = makeStoredZip(many(), { readAhead: 2 }).getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(pulled).toBeLessThan(6);
    expect(closed).toBe(true);
  });
});
