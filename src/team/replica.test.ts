// @vitest-environment node
/**
 * The Dexie ⇄ PouchDB mirror of a shared dataset, on PouchDB 9 with the memory adapter (a memory
 * database stands in for the team server) and Dexie on fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDb, setDb, StudioDatabase } from '../storage/db';
import { createDatasetWithSamples, purgeDeletedDatasets, removeSamples, softDeleteDataset, updateSample } from '../storage';
import { onStoredChanges, type StoredChange } from '../storage/changeFeed';
import { sha256Hex } from '../storage/hash';
import type { AssetRecord, SampleRecord } from '../storage/types';
import { assetDocId, DATASET_DOC_ID, sampleDocId, type AssetDoc, type SampleDoc } from './docs';
import { memoryPlatform } from './nodePlatform';
import type { PouchDatabase } from './pouch';
import { queueOf } from './assignments';
import { livePresence, PRESENCE_FRESH_MS } from './presence';
import { readDatasetSamples } from '../storage/replica';
import { DatasetReplica, type ReplicaStatus } from './replica';

const platform = memoryPlatform('test-');
let n = 0;
let replicas: DatasetReplica[] = [];

beforeEach(() => {
  n++;
  setDb(new StudioDatabase(`team-${n}`));
});

afterEach(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  replicas = [];
});

async function asset(content: string): Promise<AssetRecord> {
  const blob = new Blob([content], { type: 'image/png' });
  return {
    id: await sha256Hex(blob), blob, mime: 'image/png', size: blob.size, width: 4, height: 3, crc32: 7,
    thumbnail: new Blob([`thumb of ${content}`], { type: 'image/jpeg' }), createdAt: 1000,
  };
}

async function waitFor<T>(what: string, read: () => Promise<T> | T, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startReplica(datasetId: string, server: PouchDatabase | null, user = 'ann', statuses: ReplicaStatus[] = [], onGone?: () => void) {
  const replica = new DatasetReplica({
    datasetId, local: platform.openLocal(`local-${n}-${user}-${replicas.length}`), platform, user: () => user, retryMaxMs: 200,
    onStatus: (s) => statuses.push(s), onGone,
  });
  replicas.push(replica);
  await replica.start();
  if (server) replica.connect(server);
  return replica;
}

/** Another annotator: a fresh studio database in the same process, its replica pulled from the server and mirrored in. */
async function joinAsBob(datasetId: string, server: PouchDatabase, db = new StudioDatabase(`team-${n}-bob`), onGone?: () => void) {
  setDb(db);
  const local = platform.openLocal(`local-${n}-bob-join`);
  await local.replicate.from(server);
  const replica = new DatasetReplica({ datasetId, local, platform, user: () => 'bob', onGone });
  replicas.push(replica);
  await replica.start();
  await replica.caughtUp();
  return { replica, local, db };
}

/** A dataset with three samples, two of them on the same image. */
async function seed() {
  const red = await asset('red'), blue = await asset('blue');
  const { dataset, samples } = await createDatasetWithSamples('Kitchen', [red, blue], [
    { assetId: red.id, source: 'image', instruction: 'pick up the red block', provenance: { fileName: 'red.png' } },
    { assetId: red.id, source: 'image', instruction: 'push the red block', prelabeled: true },
    { assetId: blue.id, source: 'video', provenance: { videoAssetId: 'v1', frameStart: 3, frameEnd: 9, note: 'n' } },
  ]);
  await updateSample(samples[0].id, {
    path: { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'open' }, { x: 0.5, y: 0.25, gripper: 'closed' }] },
    status: 'reviewed', review: { verdict: 'approved', comment: 'fine', at: 1234 },
  });
  return { dataset, samples, red, blue };
}

const bytes = async (b: Blob | undefined) => (b ? Buffer.from(await b.arrayBuffer()).toString('hex') : undefined);

async function allRecords(datasetId: string) {
  const db = getDb();
  const samples = (await db.samples.where('datasetId').equals(datasetId).toArray()).sort((a, b) => a.order - b.order);
  const assets = await db.assets.toArray();
  return {
    dataset: await db.datasets.get(datasetId),
    samples,
    assets: await Promise.all(assets.sort((a, b) => a.id.localeCompare(b.id)).map(async (a) => ({ ...a, blob: await bytes(a.blob), thumbnail: await bytes(a.thumbnail) }))),
  };
}

describe('team replica (Dexie ⇄ PouchDB)', () => {
  it("a sample's fields, the dataset and its images round trip through the server into another browser", async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples } = await seed();
    const a = await startReplica(dataset.id, server, 'ann');
    await waitFor('the server to hold every sample', async () => (await server.allDocs()).rows.length === 1 + 3 + 2);
    const before = await allRecords(dataset.id);
    await a.stop();

    // Another annotator: a fresh database in the same process, joining the same server database.
    const { local: bobLocal } = await joinAsBob(dataset.id, server);
    expect(await getDb().samples.count()).toBe(3);
    const after = await allRecords(dataset.id);
    expect(after).toEqual(before);
    expect(after.samples[0]).toMatchObject({
      id: samples[0].id, instruction: 'pick up the red block', status: 'reviewed', review: { verdict: 'approved', comment: 'fine', at: 1234 },
      path: { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'open' }, { x: 0.5, y: 0.25, gripper: 'closed' }] },
      provenance: { fileName: 'red.png' },
    });
    expect(after.samples[1].prelabeled).toBe(true);
    expect(after.samples[2].provenance).toEqual({ videoAssetId: 'v1', frameStart: 3, frameEnd: 9, note: 'n' });
    // Joining wrote into the replica nothing of its own.
    expect((await bobLocal.allDocs()).rows.map((r) => r.value?.rev).sort()).toEqual((await server.allDocs()).rows.map((r) => r.value?.rev).sort());
  });

  it('a joined dataset is forgotten once it is gone from this browser, even before anything was edited here', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset } = await seed();
    const a = await startReplica(dataset.id, server, 'ann');
    await waitFor('the server to hold every sample', async () => (await server.allDocs()).rows.length === 6);
    await a.stop();
    let gone = 0;
    const bob = new StudioDatabase(`team-${n}-bob`);
    setDb(bob);
    await joinAsBob(dataset.id, server, bob, () => gone++);
    expect(await bob.samples.where('datasetId').equals(dataset.id).count()).toBe(3);
    // As a restore of a backup without it would: the record goes, with no bin on the way.
    await bob.datasets.delete(dataset.id);
    await waitFor('the joined dataset forgotten', () => gone === 1);
  });

  it('stores an image used by two samples once, as attachments of the document named by its hash', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples, red, blue } = await seed();
    await startReplica(dataset.id, server, 'ann');
    await waitFor('the server to hold every sample', async () => (await server.allDocs()).rows.length === 6);
    const ids = (await server.allDocs()).rows.map((r) => r.id).sort();
    expect(ids).toEqual([assetDocId(blue.id), assetDocId(red.id), DATASET_DOC_ID, ...samples.map((s) => sampleDocId(s.id))].sort());
    const redDoc = await server.get<AssetDoc>(assetDocId(red.id), { attachments: true, binary: true }) as unknown as AssetDoc;
    expect(Object.keys(redDoc._attachments ?? {}).sort()).toEqual(['file', 'thumbnail']);
    expect(Buffer.from(redDoc._attachments!.file.data as Buffer).toString()).toBe('red');
    expect(redDoc).toMatchObject({ type: 'asset', mime: 'image/png', size: 3, width: 4, height: 3, crc32: 7, changedBy: 'ann' });
    const sampleDoc = await server.get<SampleDoc>(sampleDocId(samples[1].id)) as unknown as SampleDoc;
    expect((sampleDoc as { _attachments?: unknown })._attachments).toBeUndefined();
    expect(sampleDoc).toMatchObject({ type: 'sample', assetId: red.id, changedBy: 'ann' });
    expect(typeof sampleDoc.changedAt).toBe('number');
  });

  it('a remote change lands in Dexie without echoing back; a new remote sample brings its image', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples } = await seed();
    const replica = await startReplica(dataset.id, server, 'ann');
    const id = sampleDocId(samples[2].id);
    await waitFor('the sample on the server', () => server.get(id).catch(() => null));
    const changes: StoredChange[][] = [];
    const off = onStoredChanges((c) => changes.push(c));

    // Bob edits the sample on his side; his revision reaches the server.
    const doc = await server.get<SampleDoc>(id) as unknown as SampleDoc;
    const bobsEdit = await server.put({ ...doc, instruction: 'wipe the table', updatedAt: doc.updatedAt + 5, changedBy: 'bob', changedAt: Date.now() });
    await waitFor('the edit in Dexie', async () => (await getDb().samples.get(samples[2].id))?.instruction === 'wipe the table');
    await replica.idle();
    await new Promise((r) => setTimeout(r, 300)); // time for any echo to reach the server
    await replica.idle();
    off();
    expect(changes.length).toBe(1); // the one write of Bob's edit into Dexie
    expect((await server.get(id))._rev).toBe(bobsEdit.rev);
    const local = (replica as unknown as { local: PouchDatabase }).local;
    expect((await local.get(id))._rev).toBe(bobsEdit.rev);
    expect(await getDb().samples.get(samples[2].id)).toMatchObject({ instruction: 'wipe the table', updatedAt: doc.updatedAt + 5 });

    // Bob adds a sample on a new image.
    const green = await asset('green');
    await server.put({
      _id: assetDocId(green.id), type: 'asset', mime: 'image/png', size: 5, width: 4, height: 3, createdAt: 5, changedBy: 'bob', changedAt: 5,
      _attachments: { file: { content_type: 'image/png', data: Buffer.from('green') } },
    });
    const added: Omit<SampleRecord, 'id'> = { datasetId: dataset.id, assetId: green.id, order: 10, instruction: 'stack', path: null, status: 'draft', source: 'image', provenance: {}, createdAt: 5, updatedAt: 5 };
    await server.put({ _id: sampleDocId('from-bob'), type: 'sample', ...added, changedBy: 'bob', changedAt: 5 });
    await waitFor('the new sample', () => getDb().samples.get('from-bob'));
    const stored = await getDb().assets.get(green.id);
    expect(await bytes(stored?.blob)).toBe(Buffer.from('green').toString('hex'));
    expect(stored?.thumbnail).toBeUndefined();
  });

  it('stamps local edits, sends deletions, and never deletes on the server when the dataset leaves this browser', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples } = await seed();
    let gone = 0;
    const replica = await startReplica(dataset.id, server, 'ann', [], () => gone++);
    const id = sampleDocId(samples[1].id);
    const first = await waitFor('the sample on the server', () => server.get<SampleDoc>(id).catch(() => null)) as unknown as SampleDoc;

    await updateSample(samples[1].id, { instruction: 'place the cup' });
    const edited = await waitFor('the edit on the server', async () => {
      const d = await server.get<SampleDoc>(id) as unknown as SampleDoc;
      return d.instruction === 'place the cup' ? d : null;
    });
    expect(Number(edited._rev!.split('-')[0])).toBe(Number(first._rev!.split('-')[0]) + 1);
    expect(edited.changedBy).toBe('ann');
    expect(edited.changedAt).toBeGreaterThanOrEqual(first.changedAt);

    await removeSamples([samples[0].id]);
    await waitFor('the deletion on the server', async () => (await server.get(sampleDocId(samples[0].id)).catch((e) => e)).status === 404);

    await softDeleteDataset(dataset.id);
    await purgeDeletedDatasets(0);
    await waitFor('the replica to let go', () => gone === 1);
    await replica.idle();
    await new Promise((r) => setTimeout(r, 200));
    expect((await server.allDocs()).rows.filter((r) => r.key.startsWith('sample:')).length).toBe(2);
  });

  it('keeps edits made with no server and sends them when it connects', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples } = await seed();
    const statuses: ReplicaStatus[] = [];
    const replica = await startReplica(dataset.id, null, 'ann', statuses);
    expect(replica.status.state).toBe('offline');
    await updateSample(samples[0].id, { instruction: 'offline edit' });
    await replica.idle();
    expect((await server.allDocs()).rows.length).toBe(0);
    replica.connect(server);
    const doc = await waitFor('the edit on the server', () => server.get<SampleDoc>(sampleDocId(samples[0].id)).catch(() => null)) as unknown as SampleDoc;
    expect(doc.instruction).toBe('offline edit');
    await waitFor('idle', () => replica.status.state === 'idle');
    expect(statuses.map((s) => s.state)).toContain('syncing');
  });

  it('skips what it cannot trust from the server and says so: an image that does not match its hash, a sample of another dataset', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples } = await seed();
    const statuses: ReplicaStatus[] = [];
    const replica = await startReplica(dataset.id, server, 'ann', statuses);
    await waitFor('the server to hold every sample', async () => (await server.allDocs()).rows.length === 6);
    const fake = await asset('claimed');
    await server.put({
      _id: assetDocId(fake.id), type: 'asset', mime: 'image/png', size: 5, width: 4, height: 3, createdAt: 5, changedBy: 'eve', changedAt: 5,
      _attachments: { file: { content_type: 'image/png', data: Buffer.from('other bytes') } },
    });
    const other = await createDatasetWithSamples('Private', [], []);
    const base = { order: 1, instruction: '', path: null, status: 'draft', source: 'image', provenance: {}, createdAt: 5, updatedAt: 5, changedBy: 'eve', changedAt: 5 };
    await server.put({ _id: sampleDocId('on-fake'), type: 'sample', datasetId: dataset.id, assetId: fake.id, ...base });
    await server.put({ _id: sampleDocId(samples[0].id), _rev: (await server.get(sampleDocId(samples[0].id)))._rev, type: 'sample', datasetId: other.dataset.id, assetId: samples[0].assetId, ...base });
    await waitFor('the refusal', () => replica.status.state === 'error');
    expect(replica.status.message).toMatch(/cannot use \(skipped\)/);
    await replica.idle();
    expect(await getDb().assets.get(fake.id)).toBeUndefined();
    expect(await getDb().samples.get('on-fake')).toBeUndefined();
    expect((await getDb().samples.get(samples[0].id))?.datasetId).toBe(dataset.id);
  });
});

describe('conflicts', () => {
  it('two offline edits of one sample surface as a conflict, keep both versions, and end when resolved with merged fields', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples } = await seed();
    const statuses: ReplicaStatus[] = [];
    let a = await startReplica(dataset.id, server, 'ann', statuses);
    const annLocal = `local-${n}-ann-0`;
    const id = samples[1].id;
    await waitFor('the server to hold the samples', async () => (await server.allDocs()).rows.length === 6);
    // Bob's browser (its replica alone is enough here) has the sample too.
    const bob = platform.openLocal(`bob-${n}`);
    await bob.replicate.from(server);

    // Both edit the same sample while the server is away.
    a.disconnect('away');
    await updateSample(id, { instruction: 'ann: push the red block left' });
    await a.idle();
    const bobsPath = { initialGripper: 'open' as const, points: [{ x: 0.9, y: 0.9, gripper: 'open' as const }] };
    const doc = await bob.get<SampleDoc>(sampleDocId(id));
    await bob.put({ ...doc, instruction: 'bob: push the red block right', path: bobsPath, changedBy: 'bob', changedAt: Date.now() });
    await bob.replicate.to(server);

    // Back online: CouchDB keeps both revisions and says so; the studio lists the sample.
    a.connect(server);
    await waitFor('the conflict to show', () => a.status.conflicts.includes(id));
    expect(statuses.at(-1)?.conflicts).toEqual([id]);
    // A restart knows it from the checkpoint: no reading every sample document again.
    await a.idle();
    await a.stop();
    const local = platform.openLocal(annLocal);
    let sampleScans = 0;
    const counted = new Proxy(local, {
      get(target, prop) {
        const value = Reflect.get(target, prop) as unknown;
        if (prop === 'allDocs') return (opts: { startkey?: string }) => (opts?.startkey === 'sample:' && sampleScans++, (value as (o: unknown) => unknown).call(target, opts));
        return typeof value === 'function' ? (value as (...x: unknown[]) => unknown).bind(target) : value;
      },
    }) as PouchDatabase;
    a = new DatasetReplica({ datasetId: dataset.id, local: counted, platform, user: () => 'ann', retryMaxMs: 200, onStatus: (st) => statuses.push(st) });
    replicas.push(a);
    await a.start();
    a.connect(server);
    expect(a.status.conflicts).toEqual([id]);
    expect(sampleScans).toBe(0);
    const versions = await a.conflictVersions(id);
    expect(versions.map((v) => v.changedBy).sort()).toEqual(['ann', 'bob']);
    expect(versions.filter((v) => v.winner)).toHaveLength(1);
    const mine = versions.find((v) => v.changedBy === 'ann')!, theirs = versions.find((v) => v.changedBy === 'bob')!;
    expect(mine.record.instruction).toBe('ann: push the red block left');
    expect(theirs.record).toMatchObject({ instruction: 'bob: push the red block right', path: bobsPath });

    // Resolved: ann's instruction with bob's path; every replica ends with one revision.
    await a.resolveConflict(id, mine.rev, { path: theirs.rev });
    await waitFor('the conflict to end here', () => !a.status.conflicts.length);
    await waitFor('Dexie to hold the merge', async () => (await getDb().samples.get(id))?.path?.points[0]?.x === 0.9);
    expect(await getDb().samples.get(id)).toMatchObject({ instruction: 'ann: push the red block left', path: bobsPath });
    await waitFor('the server to hold the merge', async () => {
      const onServer = await server.get<SampleDoc>(sampleDocId(id), { conflicts: true }) as unknown as SampleDoc;
      return onServer.instruction === 'ann: push the red block left' && !onServer._conflicts?.length;
    });
    expect(await server.get(sampleDocId(id))).toMatchObject({ changedBy: 'ann', path: bobsPath });
    expect(await a.conflictVersions(id)).toEqual([]);
  });
});

describe('presence', () => {
  it('says which sample is open here, shows who else works where, and drops stale ones', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples } = await seed();
    const a = await startReplica(dataset.id, server, 'ann');
    await a.setPresence(samples[0].id);
    await waitFor('ann\'s presence on the server', async () => ((await server.get('presence:ann').catch(() => null)) as { sampleId?: string } | null)?.sampleId === samples[0].id);
    const now = Date.now();
    await server.put({ _id: 'presence:bob', type: 'presence', user: 'bob', sampleId: samples[1].id, at: now, changedBy: 'bob', changedAt: now });
    await server.put({ _id: 'presence:cid', type: 'presence', user: 'cid', sampleId: samples[2].id, at: now - PRESENCE_FRESH_MS - 1, changedBy: 'cid', changedAt: now });
    await waitFor('bob\'s presence here', () => a.status.presence.some((p) => p.user === 'bob'));
    await waitFor('cid\'s presence here', () => a.status.presence.some((p) => p.user === 'cid'));
    expect(livePresence(a.status.presence, 'ann', Date.now())).toEqual([{ user: 'bob', sampleId: samples[1].id, at: now }]);
    // Nothing of it reaches the studio's tables.
    expect(await getDb().samples.count()).toBe(3);
    await a.setPresence(null);
    await waitFor('ann to have left', async () => ((await server.get('presence:ann')) as { sampleId?: string | null }).sampleId === null);
  });
});

describe('work assignment', () => {
  it('names a range of positions (optionally some statuses) and travels to the others, never into Dexie', async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset, samples } = await seed();
    const a = await startReplica(dataset.id, server, 'rev');
    await a.assign('ann', { from: 2, to: 3, statuses: [] });
    await waitFor('the assignment on the server', async () => (await server.get('assignment:ann').catch(() => null)) !== null);
    await waitFor('the assignment in the state', () => a.status.assignments.length === 1);
    const assignment = a.status.assignments[0];
    expect(assignment).toMatchObject({ annotator: 'ann', from: 2, to: 3, statuses: [], assignedBy: 'rev' });
    const records = await readDatasetSamples(dataset.id);
    expect(queueOf(assignment, [...records].reverse()).map((r) => r.id)).toEqual([samples[1].id, samples[2].id]);
    // Only the reviewed one of the first two.
    expect(queueOf({ ...assignment, from: 1, to: 2, statuses: ['reviewed'] }, records).map((r) => r.id)).toEqual([samples[0].id]);
    await expect(a.assign('ann', { from: 3, to: 2, statuses: [] })).rejects.toThrow(/range/);
    await a.assign('ann', null);
    await waitFor('the assignment withdrawn', () => a.status.assignments.length === 0);
    expect(await getDb().samples.count()).toBe(3);
  });
});

describe('storage change feed', () => {
  it('tells committed writes once, and nothing of an aborted transaction', async () => {
    const seen: StoredChange[][] = [];
    const off = onStoredChanges((c) => seen.push(c));
    const { dataset, samples } = await seed();
    const db = getDb();
    await expect(db.transaction('rw', db.samples, async () => {
      await db.samples.update(samples[0].id, { instruction: 'never' });
      throw new Error('abort');
    })).rejects.toThrow('abort');
    await removeSamples([samples[1].id]);
    off();
    await updateSample(samples[2].id, { instruction: 'unheard' });
    // The import (one transaction: assets, samples, dataset), the path edit, the removal; not the aborted write, nor what came after off().
    expect(seen.length).toBe(3);
    expect([...new Set(seen[0].map((c) => c.table))].sort()).toEqual(['assets', 'datasets', 'samples']);
    expect(seen[0].filter((c) => c.table === 'datasets').every((c) => c.keys?.join() === dataset.id)).toBe(true);
    expect(seen[1]).toEqual([{ table: 'samples', keys: [samples[0].id] }]);
    expect(seen[2]).toEqual([{ table: 'samples', keys: [samples[1].id] }]);
    expect((await db.samples.get(samples[0].id))?.instruction).not.toBe('never');
  });
});

describe('team replica: the rest of a dataset', () => {
  it("its episodes (typed arrays, frames, robot meshes), videos and calibrations go with it, both ways, and their assets too", async () => {
    const server = platform.openRemote(`server-${n}`);
    const { dataset } = await seed();
    const video = await asset('an mp4'), mesh = await asset('a mesh'), frame = await asset('a frame');
    const ann = getDb();
    await ann.assets.bulkAdd([video, mesh, frame]);
    await ann.calibrations.add({ id: 'cal-1', datasetId: dataset.id, camera: 'front', projection: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], width: 640, height: 480, source: 'clicks', rmsPx: 0.7, createdAt: 5 });
    await ann.episodes.add({
      id: 'ep-1', datasetId: dataset.id, task: 'stack', createdAt: 6,
      data: {
        kind: 'imported-episode', length: 2, states: new Float32Array([0.5, -1.25]), timestamps: new Float64Array([0, 1 / 30]), gripperClosed: new Uint8Array([0, 1]),
        frames: [{ camera: 'front', videoAssetId: video.id, fileName: 'ep.mp4', fromTimestamp: 0, fps: 30, width: 640, height: 480 }],
        robot: { urdf: '<robot/>', meshes: { 'base.stl': mesh.id }, tip: 'tool', joints: ['j1'], values: new Float32Array([0.1, 0.2]) },
        calibrationId: 'cal-1',
      },
    });
    await ann.episodes.add({ id: 'ep-live', datasetId: dataset.id, task: 'push', createdAt: 7, data: { format: 'live', frames: [frame.id, ''], states: [[1, 2]] } });
    await ann.videos.add({ id: 'vid-1', datasetId: dataset.id, assetId: video.id, name: 'hand.mp4', codec: 'avc1', width: 640, height: 480, fps: 30, frameCount: 2, durationSeconds: 0.07, annotation: { segments: [] }, createdAt: 8, updatedAt: 8 });
    const annLocal = `local-${n}-ann-rest`;
    const startAnn = async () => {
      const r = new DatasetReplica({ datasetId: dataset.id, local: platform.openLocal(annLocal), platform, user: () => 'ann', retryMaxMs: 200 });
      replicas.push(r);
      await r.start();
      r.connect(server);
      return r;
    };
    const a = await startAnn();
    await waitFor('the records on the server', async () => (await server.allDocs()).rows.length === 1 + 3 + 2 + 3 + 4);
    const docs = (await server.allDocs({ include_docs: true })).rows.map((r) => r.doc as unknown as Record<string, unknown>);
    expect(docs.filter((d) => /^(episode|video|calibration):/.test(String(d._id))).map((d) => d.changedBy)).toEqual(['ann', 'ann', 'ann', 'ann']);
    const before = { episodes: await ann.episodes.toArray(), videos: await ann.videos.toArray(), calibrations: await ann.calibrations.toArray(), assets: await ann.assets.toCollection().primaryKeys() };
    await a.stop();

    // Bob joins: the records arrive as they were, typed arrays as the same types, with their assets.
    const { replica: b, local: bobLocal, db: bob } = await joinAsBob(dataset.id, server);
    const episodes = await bob.episodes.toArray();
    expect(episodes).toEqual(before.episodes);
    const imported = episodes.find((e) => e.id === 'ep-1')!.data as { states: unknown; robot: { values: unknown } };
    expect(imported.states).toBeInstanceOf(Float32Array);
    expect(imported.robot.values).toEqual(new Float32Array([0.1, 0.2]));
    expect(await bob.videos.toArray()).toEqual(before.videos);
    expect(await bob.calibrations.toArray()).toEqual(before.calibrations);
    expect(new Set(await bob.assets.toCollection().primaryKeys())).toEqual(new Set(before.assets));

    // Bob edits the video's annotation; it reaches the server stamped by him.
    b.connect(server);
    await bob.videos.update('vid-1', { annotation: { segments: [{ start: 0, end: 1 }] }, updatedAt: 9 });
    await waitFor("bob's edit on the server", async () => ((await server.get('video:vid-1')) as unknown as { annotation: { segments: unknown[] } }).annotation.segments.length === 1);
    expect(((await server.get('video:vid-1')) as unknown as { changedBy: string }).changedBy).toBe('bob');
    await b.stop();

    // Ann comes back: Bob's edit lands in her store (hers is older); she deletes the live episode, and Bob loses it.
    setDb(ann);
    const a2 = await startAnn();
    await waitFor("bob's edit in ann's store", async () => ((await ann.videos.get('vid-1'))!.annotation as { segments: unknown[] }).segments.length === 1);
    await ann.episodes.delete('ep-live');
    await waitFor('the deletion on the server', async () => (await server.get('episode:ep-live').catch(() => null)) === null);
    await a2.stop();
    setDb(bob);
    const b2 = new DatasetReplica({ datasetId: dataset.id, local: bobLocal, platform, user: () => 'bob' });
    replicas.push(b2);
    await b2.start();
    b2.connect(server);
    await waitFor("the deletion in bob's store", async () => (await bob.episodes.get('ep-live')) === undefined);
    expect(await bob.episodes.get('ep-1')).toBeDefined();
  });
});
