/**
 * Reads an MCAP file (ROS 1 or ROS 2 profile, or none) with @mcap/core: an indexed file through its
 * summary (topics and counts without reading messages), an unindexed one by streaming it.
 */
import { McapIndexedReader, McapStreamReader, type McapTypes } from '@mcap/core';
import { decompress as zstdDecompress } from 'fzstd';
import { BagError, sizeOf, sliceOf, type BagBytes, type BagMessage, type BagReader, type BagTopic, type MessageQuery } from './bag';
import { decoderFor, type Decoder } from './decode';

type Channel = McapTypes.Channel;
type Schema = McapTypes.Schema;

const STREAM_SLICE = 4 << 20;

/**
 * zstd chunks (rosbag2's and Foxglove's default) are decompressed with fzstd, a pure-JS decoder
 * that runs unchanged in Node, the page and workers. The WASM decoders the MCAP docs name
 * (@foxglove/wasm-zstd/-lz4) need Node's Buffer and load their .wasm beside the script, which the
 * studio's Vite build does not provide. lz4 chunks are refused with a message (see below).
 */
const decompressHandlers: McapTypes.DecompressHandlers = {
  zstd: (buffer, size) => zstdDecompress(buffer, new Uint8Array(Number(size))),
};

function readableOf(file: BagBytes): McapTypes.IReadable {
  return {
    size: async () => BigInt(sizeOf(file)),
    read: async (offset, length) => sliceOf(file, Number(offset), Number(length)),
  };
}

async function* streamRecords(file: BagBytes, name: string): AsyncGenerator<McapTypes.TypedMcapRecord> {
  const reader = new McapStreamReader({ validateCrcs: true, decompressHandlers });
  const size = sizeOf(file);
  for (let at = 0; at < size; at += STREAM_SLICE) {
    reader.append(await sliceOf(file, at, Math.min(STREAM_SLICE, size - at)));
    for (let rec; (rec = reader.nextRecord()); ) yield rec;
  }
  if (!reader.done()) throw new BagError(`${name}: the MCAP file ends early (${reader.bytesRemaining()} bytes of a record left over); it was probably cut off while recording. Run \`mcap recover\` on it and import the result.`);
}

function compressionError(name: string, e: unknown): never {
  const m = (e as Error).message ?? String(e);
  const compression = /Unsupported compression (\S+)/i.exec(m)?.[1];
  if (compression) throw new BagError(`${name}: its chunks are ${compression}-compressed, which the studio does not decompress (it reads uncompressed and zstd chunks). Write a zstd copy with \`mcap compress --compression zstd ${name} -o ${name.replace(/\.mcap$/i, '')}-zstd.mcap\` and import that.`);
  throw new BagError(`${name}: not a readable MCAP file (${m}).`);
}

export async function openMcap(file: BagBytes, name = 'file.mcap'): Promise<BagReader> {
  const head = await sliceOf(file, 0, 8);
  const magic = [0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a];
  if (head.length < 8 || magic.some((b, i) => head[i] !== b)) throw new BagError(`${name}: not an MCAP file (it does not start with the MCAP magic bytes).`);
  // No summary (a recording cut off, or written without one): the file is streamed instead.
  const indexed = await McapIndexedReader.Initialize({ readable: readableOf(file), decompressHandlers }).catch(() => null);
  // Messages outside chunks are not indexed: such a file is streamed too.
  if (!indexed || (!indexed.chunkIndexes.length && (indexed.statistics?.messageCount ?? 1n) > 0n)) return fromStream(file, name);
  return fromIndexed(indexed, name);
}

function topicsOf(channels: Iterable<Channel>, schemas: ReadonlyMap<number, Schema>, counts: (id: number) => number): BagTopic[] {
  const byName = new Map<string, BagTopic>();
  for (const c of channels) {
    const t = byName.get(c.topic);
    if (t) t.count += counts(c.id);
    else byName.set(c.topic, { name: c.topic, type: schemas.get(c.schemaId)?.name ?? '', count: counts(c.id), encoding: c.messageEncoding });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function decoders(channels: ReadonlyMap<number, Channel>, schemas: ReadonlyMap<number, Schema>) {
  const cache = new Map<string, Decoder>();
  return (topic: string, data: Uint8Array): unknown => {
    let d = cache.get(topic);
    if (!d) {
      const channel = [...channels.values()].find((c) => c.topic === topic);
      if (!channel) throw new BagError(`The bag has no topic ${topic}.`);
      const schema = schemas.get(channel.schemaId);
      d = decoderFor({ topic, type: schema?.name ?? '', messageEncoding: channel.messageEncoding, schemaEncoding: schema?.encoding ?? '', schema: schema?.data ?? null });
      cache.set(topic, d);
    }
    return d(data);
  };
}

function fromIndexed(r: McapIndexedReader, name: string): BagReader {
  const stats = r.statistics;
  const problems: string[] = [];
  const compressions = [...new Set(r.chunkIndexes.map((c) => c.compression).filter((c) => c && !(c in decompressHandlers)))];
  if (compressions.length) problems.push(`${name}: chunks are ${compressions.join('/')}-compressed, which the studio does not decompress (it reads uncompressed and zstd chunks); write a zstd copy with \`mcap compress --compression zstd\`.`);
  const counts = stats ? (id: number) => Number(stats.channelMessageCounts.get(id) ?? 0n) : () => 0;
  const chunkStart = r.chunkIndexes.reduce((m, c) => (c.messageStartTime < m ? c.messageStartTime : m), r.chunkIndexes[0]?.messageStartTime ?? 0n);
  const chunkEnd = r.chunkIndexes.reduce((m, c) => (c.messageEndTime > m ? c.messageEndTime : m), 0n);
  return {
    format: 'mcap',
    profile: r.header.profile,
    version: r.header.library,
    storage: 'mcap',
    topics: topicsOf(r.channelsById.values(), r.schemasById, counts),
    startNs: stats?.messageStartTime ?? chunkStart,
    endNs: stats?.messageEndTime ?? chunkEnd,
    problems,
    async *messages(q: MessageQuery = {}) {
      try {
        for await (const m of r.readMessages({ topics: q.topics, startTime: q.startNs, endTime: q.endNs })) {
          yield { topic: r.channelsById.get(m.channelId)!.topic, logTimeNs: m.logTime, data: m.data } satisfies BagMessage;
        }
      } catch (e) {
        if (e instanceof BagError) throw e;
        compressionError(name, e);
      }
    },
    decode: decoders(r.channelsById, r.schemasById),
    close: async () => {},
  };
}

async function fromStream(file: BagBytes, name: string): Promise<BagReader> {
  const channels = new Map<number, Channel>();
  const schemas = new Map<number, Schema>();
  const counts = new Map<number, number>();
  let header: McapTypes.Header | null = null;
  let start: bigint | null = null, end = 0n;
  try {
    for await (const rec of streamRecords(file, name)) {
      if (rec.type === 'Header') header = rec;
      else if (rec.type === 'Schema') schemas.set(rec.id, rec);
      else if (rec.type === 'Channel') channels.set(rec.id, rec);
      else if (rec.type === 'Message') {
        counts.set(rec.channelId, (counts.get(rec.channelId) ?? 0) + 1);
        if (start === null || rec.logTime < start) start = rec.logTime;
        if (rec.logTime > end) end = rec.logTime;
      }
    }
  } catch (e) {
    if (e instanceof BagError) throw e;
    compressionError(name, e);
  }
  return {
    format: 'mcap',
    profile: header?.profile ?? '',
    version: header?.library ?? '',
    storage: 'mcap',
    topics: topicsOf(channels.values(), schemas, (id) => counts.get(id) ?? 0),
    startNs: start ?? 0n,
    endNs: end,
    problems: [],
    async *messages(q: MessageQuery = {}) {
      // An unindexed file is read front to back; messages come in file order, sorted per call.
      const out: BagMessage[] = [];
      const want = q.topics ? new Set(q.topics) : null;
      for await (const rec of streamRecords(file, name)) {
        if (rec.type !== 'Message') continue;
        const topic = channels.get(rec.channelId)?.topic;
        if (!topic || (want && !want.has(topic))) continue;
        if ((q.startNs !== undefined && rec.logTime < q.startNs) || (q.endNs !== undefined && rec.logTime > q.endNs)) continue;
        out.push({ topic, logTimeNs: rec.logTime, data: rec.data });
      }
      out.sort((a, b) => (a.logTimeNs < b.logTimeNs ? -1 : a.logTimeNs > b.logTimeNs ? 1 : 0));
      yield* out;
    },
    decode: decoders(channels, schemas),
    close: async () => {},
  };
}
