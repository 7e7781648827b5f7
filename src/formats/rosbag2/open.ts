/**
 * Opens what the user dropped as a bag: a rosbag2 folder (`metadata.yaml` + `.mcap` or `.db3`
 * files), a single `.mcap` file (any profile), or `.db3` files without their metadata.
 */
import { BagError, type BagBytes, type BagMessage, type BagReader, type BagTopic, type MessageQuery } from '../mcap/bag';
import { openMcap } from '../mcap/reader';
import { openDb3, type SqlJsOptions } from './db3';
import { parseRosbag2Metadata } from './metadata';

/** Files by path relative to the dropped folder ('/'-separated); a single file is one entry. */
export interface BagFiles {
  name: string;
  paths(): string[];
  get(path: string): BagBytes | undefined;
}

export type OpenBagOptions = SqlJsOptions;

const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** True when the files look like a bag (so the import screen can route them here). */
export function looksLikeBag(paths: readonly string[]): boolean {
  return paths.some((p) => /(^|\/)metadata\.yaml$/.test(p) || /\.(mcap|db3)$/i.test(p));
}

export async function openBag(files: BagFiles, opts: OpenBagOptions = {}): Promise<BagReader> {
  const paths = files.paths();
  const meta = paths.filter((p) => base(p) === 'metadata.yaml').sort((a, b) => a.length - b.length)[0];
  if (meta) {
    const dir = meta.slice(0, meta.length - 'metadata.yaml'.length);
    const text = new TextDecoder().decode(await (async () => { const b = files.get(meta)!; return b instanceof Uint8Array ? b : new Uint8Array(await b.arrayBuffer()); })());
    const md = parseRosbag2Metadata(text, meta);
    const wanted = md.files.length ? md.files : paths.filter((p) => p.startsWith(dir) && /\.(mcap|db3)$/i.test(p)).map((p) => p.slice(dir.length));
    const missing = wanted.filter((f) => !files.get(dir + f));
    if (missing.length) throw new BagError(`${files.name}: metadata.yaml lists ${missing.join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not in the folder. Add the missing file${missing.length > 1 ? 's' : ''} (or drop the whole bag folder).`);
    if (md.compression) throw new BagError(`${files.name}: the bag is ${md.compression}-compressed per ${md.compression === 'zstd' ? 'file/message' : 'item'} (rosbag2 compression), which the studio does not decompress. Decompress it with \`ros2 bag convert\` and import the result.`);
    const version = `rosbag2 v${md.version}`;
    let reader: BagReader;
    if (md.storage === 'sqlite3' || (!md.storage && wanted.every((f) => f.endsWith('.db3')))) {
      reader = await openDb3(wanted.map((f) => ({ name: f, bytes: files.get(dir + f)! })), { ...opts, version });
    } else if (md.storage === 'mcap' || wanted.every((f) => f.endsWith('.mcap'))) {
      const parts = await Promise.all(wanted.map((f) => openMcap(files.get(dir + f)!, f)));
      reader = mergeReaders(parts);
      reader.format = 'rosbag2';
      reader.version = version;
      reader.profile ||= 'ros2';
    } else {
      throw new BagError(`${files.name}: storage “${md.storage}” is neither mcap nor sqlite3.`);
    }
    // Counts from the metadata where the storage gave none (an MCAP without statistics).
    for (const t of reader.topics) if (!t.count) t.count = md.topics.find((m) => m.name === t.name)?.count ?? 0;
    for (const m of md.topics) if (!reader.topics.some((t) => t.name === m.name)) reader.topics.push({ name: m.name, type: m.type, count: m.count, encoding: m.serializationFormat });
    reader.topics.sort((a, b) => a.name.localeCompare(b.name));
    return reader;
  }
  const mcaps = paths.filter((p) => /\.mcap$/i.test(p));
  if (mcaps.length === 1) return openMcap(files.get(mcaps[0])!, base(mcaps[0]));
  if (mcaps.length > 1) throw new BagError(`${files.name}: ${mcaps.length} MCAP files and no metadata.yaml; drop one MCAP file at a time, or the rosbag2 folder with its metadata.yaml.`);
  const db3 = paths.filter((p) => /\.db3$/i.test(p)).sort();
  if (db3.length) {
    const reader = await openDb3(db3.map((p) => ({ name: base(p), bytes: files.get(p)! })), opts);
    reader.problems.push(`${files.name}: no metadata.yaml beside ${db3.map(base).join(', ')}; read the SQLite file${db3.length > 1 ? 's' : ''} alone.`);
    return reader;
  }
  throw new BagError(`${files.name}: not a ROS bag: no metadata.yaml, .mcap or .db3 file among ${paths.length} file${paths.length === 1 ? '' : 's'}.`);
}

/** One reader over several MCAP files of one rosbag2 bag (split by size or duration). */
function mergeReaders(parts: BagReader[]): BagReader {
  if (parts.length === 1) return parts[0];
  const topics = new Map<string, BagTopic>();
  for (const p of parts) for (const t of p.topics) {
    const have = topics.get(t.name);
    if (have) have.count += t.count;
    else topics.set(t.name, { ...t });
  }
  const owner = (topic: string) => parts.find((p) => p.topics.some((t) => t.name === topic))!;
  return {
    format: parts[0].format,
    profile: parts[0].profile,
    version: parts[0].version,
    storage: 'mcap',
    topics: [...topics.values()],
    startNs: parts.reduce((m, p) => (p.startNs < m ? p.startNs : m), parts[0].startNs),
    endNs: parts.reduce((m, p) => (p.endNs > m ? p.endNs : m), 0n),
    problems: parts.flatMap((p) => p.problems),
    async *messages(q: MessageQuery = {}) {
      const iters = parts.map((p) => p.messages(q));
      const heads: (BagMessage | undefined)[] = await Promise.all(iters.map(async (it) => (await it.next()).value as BagMessage | undefined));
      for (;;) {
        let k = -1;
        heads.forEach((h, i) => { if (h && (k < 0 || h.logTimeNs < heads[k]!.logTimeNs)) k = i; });
        if (k < 0) return;
        yield heads[k]!;
        heads[k] = (await iters[k].next()).value as BagMessage | undefined;
      }
    },
    decode: (topic, data) => owner(topic).decode(topic, data),
    close: async () => { for (const p of parts) await p.close(); },
  };
}
