/**
 * Lossless project backup and restore (format in docs/EXPORT.md, "Project backup").
 *
 * `backupEntries` walks every table of the database a page at a time and yields archive entries:
 * records as JSON Lines (`tables/<table>/<nnnnn>.jsonl`), every Blob / typed array / ArrayBuffer
 * once under its SHA-256 (`blobs/<sha256>`), and last `manifest.json` listing every entry with its
 * size and SHA-256. Values JSON cannot carry (Blob, Date, undefined, NaN, BigInt, typed arrays)
 * are written as tagged objects (`{"$blob": …}` …), so the restored records are identical.
 *
 * `restoreBackup` checks the whole archive first (every entry present, sizes and hashes as in the
 * manifest, nothing extra) and names the first bad entry, then checks every decoded record against
 * its table's schema (schemas.ts: hashes prove the bytes, not that a record is one the studio can
 * show); only then does it replace the database in ONE transaction, so a truncated, tampered or
 * crafted archive leaves the database untouched.
 */
import type { Table } from 'dexie';
import { CURRENT_SCHEMA_VERSION, DB_NAME, getDb } from './db';
import { guardedWrite } from './errors';
import { recordProblem } from './schemas';
import { crc32 } from '../core/crc32';
import { sha256Hex } from './hash';
import { errorMessage } from '../core/errorMessage';

export const BACKUP_FORMAT = 'path-studio-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  database: { name: string; schemaVersion: number };
  tables: Record<string, { records: number; files: string[] }>;
  /** Every entry of the archive except the manifest itself, in archive order. */
  entries: ManifestEntry[];
}

/** One archive entry: bytes in memory (small: one record page or one blob at a time). */
export interface BackupEntry {
  path: string;
  data: Uint8Array;
}

export class BackupError extends Error {
  constructor(message: string, readonly entry?: string) {
    super(message);
    this.name = 'BackupError';
  }
}

// ---------------------------------------------------------------------------------------------
// Value encoding

const TYPED_ARRAYS = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
} as const;
type TypedName = keyof typeof TYPED_ARRAYS;

/** Stores bytes once and returns their hash. */
type BlobStore = (bytes: Uint8Array) => Promise<string>;

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Turns a stored value into JSON-safe data; binary parts go to `store`. */
export async function encodeValue(v: unknown, store: BlobStore, where: string): Promise<unknown> {
  if (v === undefined) return { $undefined: true };
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $number: 'NaN' };
    if (!Number.isFinite(v)) return { $number: v > 0 ? 'Infinity' : '-Infinity' };
    if (Object.is(v, -0)) return { $number: '-0' };
    return v;
  }
  if (typeof v === 'bigint') return { $bigint: v.toString() };
  if (typeof v !== 'object') throw new BackupError(`${where}: a ${typeof v} cannot be backed up.`);
  if (v instanceof Blob) {
    const out: Record<string, unknown> = { $blob: await store(new Uint8Array(await v.arrayBuffer())), type: v.type, size: v.size };
    if (typeof File !== 'undefined' && v instanceof File) Object.assign(out, { name: v.name, lastModified: v.lastModified });
    return out;
  }
  if (v instanceof Date) return { $date: v.getTime() };
  if (v instanceof ArrayBuffer) return { $arraybuffer: await store(new Uint8Array(v.slice(0))) };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const name = v.constructor.name as TypedName;
    if (!(name in TYPED_ARRAYS)) throw new BackupError(`${where}: ${name} cannot be backed up.`);
    return { $typed: name, $blob: await store(new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength))) };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) out.push(await encodeValue(v[i], store, `${where}[${i}]`));
    return out;
  }
  if (!isPlainObject(v)) throw new BackupError(`${where}: a ${v.constructor?.name ?? 'value'} cannot be backed up.`);
  const out: Record<string, unknown> = {};
  let tagLike = false;
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) tagLike = true;
    out[k] = await encodeValue(x, store, `${where}.${k}`);
  }
  // An object whose own keys look like our tags is wrapped, so it is never mistaken for one.
  return tagLike ? { $object: out } : out;
}

/** Resolves stored bytes by hash when decoding. */
interface BlobSource {
  blob(sha: string, type: string): Blob;
  bytes(sha: string): Promise<Uint8Array>;
}

export async function decodeValue(v: unknown, src: BlobSource): Promise<unknown> {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) out.push(await decodeValue(x, src));
    return out;
  }
  const o = v as Record<string, unknown>;
  if ('$undefined' in o) return undefined;
  if ('$number' in o) return Number(o.$number);
  if ('$bigint' in o) return BigInt(o.$bigint as string);
  if ('$date' in o) return new Date(o.$date as number);
  if ('$typed' in o) {
    const bytes = await src.bytes(o.$blob as string);
    const Ctor = TYPED_ARRAYS[o.$typed as TypedName];
    if (!Ctor) throw new BackupError(`unknown typed array ${String(o.$typed)}`);
    return new Ctor(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
  if ('$arraybuffer' in o) {
    const bytes = await src.bytes(o.$arraybuffer as string);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  if ('$blob' in o) {
    const blob = src.blob(o.$blob as string, (o.type as string) ?? '');
    if (typeof o.name === 'string' && typeof File !== 'undefined') return new File([blob], o.name, { type: blob.type, lastModified: o.lastModified as number });
    return blob;
  }
  const plain = '$object' in o ? (o.$object as Record<string, unknown>) : o;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(plain)) out[k] = await decodeValue(x, src);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Backup

const PAGE = 200;
const CHUNK_RECORDS = 2000;
const CHUNK_BYTES = 8 << 20;
const encoder = new TextEncoder();
const blobPath = (sha: string) => `blobs/${sha}`;

export interface BackupProgress {
  table: string;
  records: number;
  totalRecords: number;
}

/** Record counts per table, for progress. */
export async function countRecords(): Promise<Record<string, number>> {
  const db = getDb();
  const out: Record<string, number> = {};
  for (const t of db.tables) out[t.name] = await t.count();
  return out;
}

/**
 * Yields the archive's entries, the manifest last. Memory holds one page of records, one chunk
 * of JSON lines and one blob at a time, plus the set of blob hashes already written.
 */
export async function* backupEntries(onProgress?: (p: BackupProgress) => void, signal?: AbortSignal): AsyncGenerator<BackupEntry> {
  const db = getDb();
  const counts = await countRecords();
  const totalRecords = Object.values(counts).reduce((a, b) => a + b, 0);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    database: { name: DB_NAME, schemaVersion: db.verno || CURRENT_SCHEMA_VERSION },
    tables: {},
    entries: [],
  };
  const written = new Set<string>();
  let done = 0;
  const entry = async (path: string, data: Uint8Array, sha?: string): Promise<BackupEntry> => {
    manifest.entries.push({ path, size: data.byteLength, sha256: sha ?? (await sha256Hex(data)) });
    return { path, data };
  };

  for (const table of db.tables as Table<Record<string, unknown>, unknown>[]) {
    const keyPath = table.schema.primKey.keyPath;
    if (typeof keyPath !== 'string') throw new BackupError(`table ${table.name} has no simple primary key`);
    const files: string[] = [];
    manifest.tables[table.name] = { records: 0, files };
    const pending: { sha: string; bytes: Uint8Array }[] = [];
    let lines: string[] = [];
    let lineBytes = 0;
    const store: BlobStore = async (bytes) => {
      const sha = await sha256Hex(bytes);
      if (!written.has(sha)) {
        written.add(sha);
        pending.push({ sha, bytes });
      }
      return sha;
    };
    const flushChunk = async (): Promise<BackupEntry | null> => {
      if (!lines.length) return null;
      const path = `tables/${table.name}/${String(files.length).padStart(5, '0')}.jsonl`;
      files.push(path);
      const data = encoder.encode(lines.join('\n') + '\n');
      lines = [];
      lineBytes = 0;
      return entry(path, data);
    };
    // Page by primary key so the table is read in order without holding it all.
    let last: unknown = undefined;
    for (;;) {
      if (signal?.aborted) throw new DOMException('Backup cancelled', 'AbortError');
      const page = await (last === undefined ? table.orderBy(':id') : table.where(':id').above(last)).limit(PAGE).toArray();
      if (!page.length) break;
      last = page[page.length - 1][keyPath];
      for (let i = 0; i < page.length; i++) {
        const line = JSON.stringify(await encodeValue(page[i], store, `${table.name} ${String(page[i][keyPath])}`));
        // Blobs first, so an archive read front to back meets a blob before the record using it.
        for (const { sha, bytes } of pending.splice(0)) yield await entry(blobPath(sha), bytes, sha);
        lines.push(line);
        lineBytes += line.length;
        manifest.tables[table.name].records++;
        done++;
        if (lines.length >= CHUNK_RECORDS || lineBytes >= CHUNK_BYTES) {
          const e = await flushChunk();
          if (e) yield e;
        }
      }
      onProgress?.({ table: table.name, records: done, totalRecords });
      if (page.length < PAGE) break;
    }
    const e = await flushChunk();
    if (e) yield e;
  }
  yield { path: MANIFEST_FILE, data: encoder.encode(JSON.stringify(manifest, null, 1) + '\n') };
}

// ---------------------------------------------------------------------------------------------
// Restore

/** What restore needs from an archive (a ZIP reader in the app, a Map in tests). */
export interface BackupArchive {
  names(): string[];
  size(name: string): number | undefined;
  /** The entry's bytes as a Blob, without reading them into memory where possible. */
  blob(name: string, type?: string): Promise<Blob>;
}

export interface RestoreOptions {
  signal?: AbortSignal;
  /** Bytes checked so far and the total (the check is most of the time). */
  onProgress?: (done: number, total: number) => void;
}

export interface RestoreReport {
  records: Record<string, number>;
  blobs: number;
  bytes: number;
}

function parseManifest(text: string): BackupManifest {
  let m: BackupManifest;
  try {
    m = JSON.parse(text) as BackupManifest;
  } catch {
    throw new BackupError('manifest.json is damaged (not valid JSON).', MANIFEST_FILE);
  }
  if (m?.format !== BACKUP_FORMAT) throw new BackupError('This is not a Path Studio backup (manifest.json has another format).', MANIFEST_FILE);
  if (m.version > BACKUP_VERSION) throw new BackupError(`This backup was written by a newer Path Studio (backup format ${m.version}); update the studio to restore it.`, MANIFEST_FILE);
  if (!Array.isArray(m.entries) || typeof m.tables !== 'object' || m.tables === null || Array.isArray(m.tables)) throw new BackupError('manifest.json is incomplete (no entries or tables): the backup is damaged. Nothing was restored.', MANIFEST_FILE);
  if (typeof m.database?.schemaVersion !== 'number') throw new BackupError('manifest.json does not say which database it holds ("database.schemaVersion" is missing): the backup is damaged or was not written by Path Studio. Nothing was restored.', MANIFEST_FILE);
  for (const [name, t] of Object.entries(m.tables)) {
    if (!Array.isArray(t?.files) || !t.files.every((f) => typeof f === 'string')) throw new BackupError(`manifest.json lists table "${name}" without its files: the backup is damaged. Nothing was restored.`, MANIFEST_FILE);
  }
  // Every record file in the archive belongs to a table: a manifest that drops a table would
  // otherwise restore that table empty — the whole project, for a manifest with no tables.
  const claimed = new Set(Object.values(m.tables).flatMap((t) => t.files));
  const orphan = m.entries.find((e) => typeof e?.path === 'string' && e.path.startsWith('tables/') && !claimed.has(e.path));
  if (orphan) throw new BackupError(`manifest.json lists "${orphan.path}" but no table claims it: the backup was altered or damaged. Nothing was restored.`, MANIFEST_FILE);
  return m;
}

/** Checks every entry against the manifest; throws naming the first bad one. */
export async function verifyBackup(archive: BackupArchive, options: RestoreOptions = {}): Promise<BackupManifest> {
  return (await verifyEntries(archive, options)).manifest;
}

/** verifyBackup, also returning the CRC-32 of each blob's verified bytes, by SHA-256. */
async function verifyEntries(archive: BackupArchive, { signal, onProgress }: RestoreOptions): Promise<{ manifest: BackupManifest; blobCrc: Map<string, number> }> {
  if (archive.size(MANIFEST_FILE) === undefined) throw new BackupError('This is not a Path Studio backup, or it is truncated: manifest.json is missing.', MANIFEST_FILE);
  const manifest = parseManifest(await (await archive.blob(MANIFEST_FILE)).text());
  const db = getDb();
  if (manifest.database.schemaVersion > CURRENT_SCHEMA_VERSION)
    throw new BackupError(`This backup comes from a newer Path Studio (database schema v${manifest.database.schemaVersion}, this studio has v${CURRENT_SCHEMA_VERSION}); update the studio to restore it.`, MANIFEST_FILE);
  const known = new Set(db.tables.map((t) => t.name));
  for (const name of Object.keys(manifest.tables)) if (!known.has(name)) throw new BackupError(`The backup has a table "${name}" this studio does not know.`, MANIFEST_FILE);
  const listed = new Set(manifest.entries.map((e) => e.path));
  for (const name of archive.names()) {
    if (name !== MANIFEST_FILE && !listed.has(name)) throw new BackupError(`Entry "${name}" is not listed in the manifest: the archive was altered. Nothing was restored.`, name);
  }
  const total = manifest.entries.reduce((n, e) => n + e.size, 0);
  let done = 0;
  const blobCrc = new Map<string, number>();
  for (const e of manifest.entries) {
    if (signal?.aborted) throw new DOMException('Restore cancelled', 'AbortError');
    const size = archive.size(e.path);
    if (size === undefined) throw new BackupError(`Entry "${e.path}" is missing: the archive is truncated or incomplete. Nothing was restored.`, e.path);
    if (size !== e.size) throw new BackupError(`Entry "${e.path}" has ${size} bytes, the manifest says ${e.size}: the archive is damaged. Nothing was restored.`, e.path);
    let actual: string;
    try {
      const bytes = new Uint8Array(await (await archive.blob(e.path)).arrayBuffer());
      actual = await sha256Hex(bytes);
      if (e.path.startsWith('blobs/')) blobCrc.set(e.path.slice(6), crc32(bytes));
    } catch (err) {
      throw new BackupError(`Entry "${e.path}" cannot be read (${errorMessage(err)}). Nothing was restored.`, e.path);
    }
    if (actual !== e.sha256) throw new BackupError(`Entry "${e.path}" does not match its hash in the manifest: the archive was altered or damaged. Nothing was restored.`, e.path);
    done += e.size;
    onProgress?.(done, total);
  }
  return { manifest, blobCrc };
}

/**
 * Replaces the whole database with the backup. The archive is verified first; records are decoded
 * (Blobs stay references into the archive file), then all tables are cleared and filled in one
 * transaction.
 */
export async function restoreBackup(archive: BackupArchive, options: RestoreOptions = {}): Promise<RestoreReport> {
  const { manifest, blobCrc } = await verifyEntries(archive, options);
  const blobs = new Map<string, Blob>();
  for (const e of manifest.entries) if (e.path.startsWith('blobs/')) blobs.set(e.path.slice(6), await archive.blob(e.path));
  const src: BlobSource = {
    blob: (sha, type) => {
      const b = blobs.get(sha);
      if (!b) throw new BackupError(`A record refers to blob ${sha.slice(0, 12)}…, which the backup does not contain.`, blobPath(sha));
      return b.type === type ? b : b.slice(0, b.size, type);
    },
    bytes: async (sha) => new Uint8Array(await src.blob(sha, '').arrayBuffer()),
  };
  const decoded = new Map<string, unknown[]>();
  for (const [table, { files }] of Object.entries(manifest.tables)) {
    const rows: unknown[] = [];
    for (const file of files) {
      const text = await (await archive.blob(file)).text();
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          const encoded = JSON.parse(line);
          const row = await decodeValue(encoded, src);
          if (table === 'assets' && row !== null && typeof row === 'object') {
            // An image's CRC-32 (AssetRecord.crc32) comes from its bytes verified above, never from
            // the record: a wrong one would make every export of that image a damaged ZIP entry.
            const crc = blobCrc.get(encoded?.blob?.$blob);
            if (crc === undefined) delete (row as { crc32?: number }).crc32;
            else (row as { crc32?: number }).crc32 = crc;
          }
          rows.push(row);
        } catch (e) {
          throw e instanceof BackupError ? e : new BackupError(`A record in "${file}" is damaged (${errorMessage(e)}). Nothing was restored.`, file);
        }
      }
    }
    // All or nothing: every record must be one this studio can store and show, before anything is cleared.
    rows.forEach((row, i) => {
      const problem = recordProblem(table, row);
      if (problem) {
        const rid = row !== null && typeof row === 'object' && typeof (row as { id?: unknown }).id === 'string' ? `id ${(row as { id: string }).id}` : `record ${i + 1}`;
        throw new BackupError(`The backup's ${table} table has a record this studio cannot use (${rid}: ${problem}). The backup was altered or damaged. Nothing was restored.`, `tables/${table}`);
      }
    });
    decoded.set(table, rows);
  }
  const db = getDb();
  await guardedWrite('restore the backup', () =>
    db.transaction('rw', db.tables, async () => {
      for (const t of db.tables) await t.clear();
      for (const [table, rows] of decoded) {
        for (let i = 0; i < rows.length; i += 500) await db.table(table).bulkAdd(rows.slice(i, i + 500));
      }
    }),
  );
  const records = Object.fromEntries([...decoded].map(([t, rows]) => [t, rows.length]));
  return { records, blobs: blobs.size, bytes: manifest.entries.reduce((n, e) => n + e.size, 0) };
}
