/**
 * rosbag2 SQLite storage (`.db3`) through @foxglove/rosbag2-web (sql.js, SQLite compiled to WASM).
 * Each file is read into memory whole (sql.js has no random-access reader). Messages are decoded
 * with the definitions of @foxglove/rosmsg-msgs-common: SQLite bags before Iron store none.
 */
import { SqliteSqljs, type RawMessage } from '@foxglove/rosbag2-web';
import { BagError, bytesOf, type BagBytes, type BagReader, type BagTopic, type MessageQuery } from '../mcap/bag';
import { decoderFor, type Decoder } from '../mcap/decode';

export interface SqlJsOptions {
  /** Where sql.js finds `sql-wasm.wasm` (the browser passes the bundled URL). */
  locateFile?: (file: string) => string;
  /** Or the bytes of `sql-wasm.wasm` (Node, where sql.js would try to fetch a file path). */
  wasmBinary?: Uint8Array;
}

const toNs = (t: { sec: number; nsec: number }): bigint => BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
const toTime = (ns: bigint) => ({ sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) });

export async function openDb3(files: { name: string; bytes: BagBytes }[], opts: SqlJsOptions & { version?: string } = {}): Promise<BagReader> {
  await SqliteSqljs.Initialize({
    ...(opts.locateFile ? { locateFile: opts.locateFile } : {}),
    ...(opts.wasmBinary ? { wasmBinary: opts.wasmBinary.buffer.slice(opts.wasmBinary.byteOffset, opts.wasmBinary.byteOffset + opts.wasmBinary.byteLength) as ArrayBuffer } : {}),
  }).catch((e) => {
    throw new BagError(`SQLite (sql.js) did not start, so .db3 bags cannot be read here: ${(e as Error).message ?? e}`);
  });
  const dbs: SqliteSqljs[] = [];
  for (const f of files) {
    const db = new SqliteSqljs(await bytesOf(f.bytes));
    try {
      await db.open();
    } catch (e) {
      throw new BagError(`${f.name}: not a rosbag2 SQLite file (${(e as Error).message}).`);
    }
    dbs.push(db);
  }
  const topics = new Map<string, BagTopic>();
  let start: bigint | null = null, end = 0n;
  for (const db of dbs) {
    const counts = await db.messageCounts();
    for (const t of await db.readTopics()) {
      const have = topics.get(t.name);
      if (have) have.count += counts.get(t.name) ?? 0;
      else topics.set(t.name, { name: t.name, type: t.type, count: counts.get(t.name) ?? 0, encoding: t.serializationFormat });
    }
    if ([...counts.values()].some((c) => c > 0)) {
      const [a, b] = await db.timeRange();
      if (start === null || toNs(a) < start) start = toNs(a);
      if (toNs(b) > end) end = toNs(b);
    }
  }
  const cache = new Map<string, Decoder>();
  return {
    format: 'rosbag2',
    profile: 'ros2',
    version: opts.version ?? '',
    storage: 'sqlite3',
    topics: [...topics.values()].sort((a, b) => a.name.localeCompare(b.name)),
    startNs: start ?? 0n,
    endNs: end,
    problems: [],
    async *messages(q: MessageQuery = {}) {
      // Each file is in time order; files are merged by timestamp.
      const iters = dbs.map((db) => db.readMessages({ topics: q.topics ? [...q.topics] : undefined, startTime: q.startNs !== undefined ? toTime(q.startNs) : undefined, endTime: q.endNs !== undefined ? toTime(q.endNs + 1n) : undefined }));
      const heads: (RawMessage | undefined)[] = await Promise.all(iters.map(async (it) => (await it.next()).value as RawMessage | undefined));
      for (;;) {
        let k = -1;
        heads.forEach((h, i) => { if (h && (k < 0 || toNs(h.timestamp) < toNs(heads[k]!.timestamp))) k = i; });
        if (k < 0) return;
        const h = heads[k]!;
        yield { topic: h.topic.name, logTimeNs: toNs(h.timestamp), data: h.data };
        heads[k] = (await iters[k].next()).value as RawMessage | undefined;
      }
    },
    decode(topic, data) {
      let d = cache.get(topic);
      if (!d) {
        const t = topics.get(topic);
        if (!t) throw new BagError(`The bag has no topic ${topic}.`);
        d = decoderFor({ topic, type: t.type, messageEncoding: t.encoding, schemaEncoding: '', schema: null });
        cache.set(topic, d);
      }
      return d(data);
    },
    close: async () => { for (const db of dbs) await db.close(); },
  };
}
