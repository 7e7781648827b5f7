// @vitest-environment node
import 'fake-indexeddb/auto';
import { makeZip } from 'client-zip';
import { beforeEach, describe, expect, it } from 'vitest';
import { openBackupArchive } from '../exporters/backup/backupZip';
import { backupEntries, BackupError, decodeValue, encodeValue, restoreBackup, verifyBackup, type BackupArchive } from './backup';
import { createDataset } from './datasets';
import { getDb, setDb, StudioDatabase } from './db';
import { assetKeys, sha256Hex } from './hash';
import { addSamplesWithAssets } from './samples';
import { craftBackup } from '../testing/craftedBackup';

let n = 0;
beforeEach(() => setDb(new StudioDatabase(`backup-${n++}`)));

/** Every record of every table, Blobs replaced by their hash and type (what "identical" means). */
async function dump(): Promise<Record<string, unknown[]>> {
  const db = getDb();
  const norm = async (v: unknown): Promise<unknown> => {
    if (v instanceof Blob) return { blob: await sha256Hex(v), type: v.type };
    if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number>, String) };
    if (Array.isArray(v)) return Promise.all(v.map(norm));
    if (v && typeof v === 'object' && !(v instanceof Date)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = [await norm(x), k in v ? 'own' : ''];
      return out;
    }
    return v;
  };
  const out: Record<string, unknown[]> = {};
  for (const t of db.tables) out[t.name] = await Promise.all((await t.toArray()).map(norm));
  return out;
}

async function seed() {
  const d = await createDataset('kitchen');
  const blob = (s: string, type = 'image/png') => new Blob([s], { type });
  const a = { ...(await assetKeys(blob('img-a'))), blob: blob('img-a'), thumbnail: blob('thumb-a', 'image/jpeg'), mime: 'image/png', size: 5, width: 4, height: 3, createdAt: 1 };
  const b = { ...(await assetKeys(blob('img-b'))), blob: blob('img-b'), mime: 'image/png', size: 5, width: 4, height: 3, createdAt: 2 };
  await addSamplesWithAssets(d.id, [a, b], [
    { assetId: a.id, source: 'image', instruction: 'pick', path: { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'closed' }] }, status: 'done' },
    { assetId: b.id, source: 'image' },
  ]);
  const db = getDb();
  await db.episodes.add({ id: 'e1', datasetId: d.id, task: 'pick', createdAt: 3, data: { state: new Float32Array([1.5, -0, NaN]), when: new Date(5), big: 12n, inf: -Infinity, nothing: undefined, $weird: { $blob: 'not a tag' }, video: blob('mp4', 'video/mp4') } });
  await db.models.add({ id: 'm1', name: 'planner', role: 'planner', onnx: blob('onnx-bytes', 'application/octet-stream'), card: { inputs: [] }, createdAt: 4 });
  await db.runs.add({ id: 'r1', modelIds: ['m1'], metrics: { success: 0.5 }, createdAt: 5 });
  return d;
}

async function zipOf(entries: AsyncIterable<{ path: string; data: Uint8Array }>): Promise<Blob> {
  async function* files() {
    for await (const e of entries) yield { name: e.path, input: e.data };
  }
  return new Response(makeZip(files())).blob();
}

describe('value encoding', () => {
  it('round-trips what JSON cannot carry', async () => {
    const stored = new Map<string, Uint8Array>();
    const store = async (b: Uint8Array) => { const h = await sha256Hex(b); stored.set(h, b); return h; };
    const value = { a: undefined, n: NaN, z: -0, i: Infinity, big: 3n, d: new Date(9), f: new Float64Array([1, 2]), $tag: { $blob: 1 }, b: new Blob(['x'], { type: 't/x' }), list: [1, undefined] };
    const json = JSON.parse(JSON.stringify(await encodeValue(value, store, 'v')));
    const back = (await decodeValue(json, { blob: (h, type) => new Blob([stored.get(h)! as Uint8Array<ArrayBuffer>], { type }), bytes: async (h) => stored.get(h)! })) as typeof value;
    expect(Object.keys(back)).toEqual(Object.keys(value));
    expect(back.a).toBeUndefined();
    expect(back.n).toBeNaN();
    expect(Object.is(back.z, -0)).toBe(true);
    expect(back.big).toBe(3n);
    expect(back.d).toEqual(new Date(9));
    expect(back.f).toEqual(new Float64Array([1, 2]));
    expect(back.$tag).toEqual({ $blob: 1 });
    expect(await back.b.text()).toBe('x');
    expect(back.b.type).toBe('t/x');
    expect(back.list).toEqual([1, undefined]);
  });
});

describe('backup and restore', () => {
  it('restores an identical database into an empty one', async () => {
    await seed();
    const before = await dump();
    const zip = await zipOf(backupEntries());
    setDb(new StudioDatabase(`backup-${n++}`));
    const report = await restoreBackup(await openBackupArchive(zip));
    expect(report.records).toMatchObject({ datasets: 1, samples: 2, assets: 2, episodes: 1, models: 1, runs: 1 });
    expect(await dump()).toEqual(before);
  });

  it("takes each image's CRC-32 from its verified bytes, never from the record", async () => {
    await seed();
    const db = getDb();
    const [a, b] = await db.assets.toArray();
    await db.assets.update(a.id, { crc32: 12345 }); // wrong: an export would write a damaged entry
    await db.assets.update(b.id, { crc32: undefined }); // stored before the field existed
    const zip = await zipOf(backupEntries());
    setDb(new StudioDatabase(`backup-${n++}`));
    await restoreBackup(await openBackupArchive(zip));
    for (const asset of await getDb().assets.toArray()) expect(asset.crc32).toBe((await assetKeys(asset.blob)).crc32);
  });

  it('replaces what was there', async () => {
    await seed();
    const zip = await zipOf(backupEntries());
    const before = await dump();
    await createDataset('added later');
    await restoreBackup(await openBackupArchive(zip));
    expect(await dump()).toEqual(before);
  });

  it('refuses a tampered entry, naming it, and leaves the database untouched', async () => {
    await seed();
    const entries: { path: string; data: Uint8Array }[] = [];
    for await (const e of backupEntries()) entries.push(e);
    const victim = entries.find((e) => e.path.startsWith('tables/samples/'))!;
    victim.data = new TextEncoder().encode(new TextDecoder().decode(victim.data).replace('pick', 'kcip'));
    const zip = await zipOf((async function* () { yield* entries; })());
    setDb(new StudioDatabase(`backup-${n++}`));
    await createDataset('keep me');
    const before = await dump();
    const err = await restoreBackup(await openBackupArchive(zip)).catch((e) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect(err.entry).toBe(victim.path);
    expect(err.message).toContain(victim.path);
    expect(await dump()).toEqual(before);
  });

  it('refuses a truncated archive and an archive with an extra or missing entry', async () => {
    await seed();
    const zip = await zipOf(backupEntries());
    const entries: string[] = [];
    for await (const e of backupEntries()) entries.push(e.path);
    const cutInside = await openBackupArchive(zip.slice(0, Math.floor(zip.size / 2))).catch((e) => e);
    expect(cutInside).toBeInstanceOf(BackupError);
    expect(entries).toContain(cutInside.entry);
    expect(cutInside.message).toMatch(new RegExp(`truncated: entry "${cutInside.entry}" is cut short`));
    await expect(openBackupArchive(zip.slice(0, zip.size - 30))).rejects.toThrow(/table of contents is cut short/);
    const archive = await openBackupArchive(zip);
    const names = archive.names();
    const missing: BackupArchive = { ...archive, names: () => names.filter((x) => !x.startsWith('blobs/')), size: (x) => (x.startsWith('blobs/') ? undefined : archive.size(x)) };
    await expect(verifyBackup(missing)).rejects.toThrow(/Entry "blobs\/[0-9a-f]{64}" is missing/);
    const extra: BackupArchive = { ...archive, names: () => [...names, 'evil.txt'] };
    await expect(verifyBackup(extra)).rejects.toThrow(/"evil.txt" is not listed/);
  });

  /** A backup of the seeded database with one table's records changed and every hash recomputed (as an attacker would). */
  async function crafted(table: string, change: (record: Record<string, unknown>) => void, changeManifest?: (m: Record<string, unknown>) => void): Promise<Blob> {
    await seed();
    const entries: { path: string; data: Uint8Array }[] = [];
    for await (const e of backupEntries()) entries.push(e);
    return craftBackup(entries, table, change, changeManifest);
  }

  it.each([
    ['a dataset name that decodes to a date', 'datasets', (r: Record<string, unknown>) => { r.name = { $date: 0 }; }, /datasets table .*name is a date/],
    ['a sample path that is text', 'samples', (r: Record<string, unknown>) => { r.path = 'left then right'; }, /samples table .*path is "left then right"/],
    ['a path point that is not a number', 'samples', (r: Record<string, unknown>) => { r.path = { initialGripper: 'open', points: [{ x: { $number: 'NaN' }, y: 0, gripper: 'open' }] }; }, /path\.points\.0\.x is NaN/],
    ['a record without its key', 'runs', (r: Record<string, unknown>) => { delete r.id; }, /runs table .*record 1: id is missing/],
    ['a model whose file is not a file', 'models', (r: Record<string, unknown>) => { r.onnx = 'x'; }, /models table .*onnx is "x"/],
  ])('refuses a crafted backup (hashes recomputed) with %s, naming it, and leaves the database untouched', async (_what, table, change, message) => {
    const zip = await crafted(table, change);
    setDb(new StudioDatabase(`backup-${n++}`));
    await createDataset('keep me');
    const before = await dump();
    const err = await restoreBackup(await openBackupArchive(zip)).catch((e) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect(err.message).toMatch(message);
    expect(err.message).toContain('Nothing was restored');
    expect(await dump()).toEqual(before);
  });

  it('refuses a manifest without its database section with a message, not a TypeError', async () => {
    const zip = await crafted('runs', () => {}, (m) => { delete m.database; });
    await expect(restoreBackup(await openBackupArchive(zip))).rejects.toThrow(/does not say which database it holds/);
  });

  it('the database itself refuses a bad record from any writer, naming table, record and field', async () => {
    const db = getDb();
    await expect(db.datasets.add({ id: 'd1', name: new Date(0) as unknown as string, createdAt: 1, updatedAt: 1 })).rejects.toThrow(/A datasets record \(id d1\) is not valid: name is a date/);
    await createDataset('fine');
    const [d] = await db.datasets.toArray();
    await expect(db.datasets.update(d.id, { name: 42 as unknown as string })).rejects.toThrow(/name is 42/);
    expect((await db.datasets.get(d.id))!.name).toBe('fine');
  });
});
