// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDatasetWithSamples, updateSample } from '../../storage';
import { setDb, StudioDatabase } from '../../storage/db';
import { sha256Hex } from '../../storage/hash';
import { installMemoryLocalStorage } from '../../testing/memoryLocalStorage';
import { freePort } from '../../testing/teamServerProcess';
import { memoryPlatform } from '../../team/nodePlatform';
import { DatasetReplica, describeSyncError } from '../../team/replica';
import { assetToDoc, datasetToDoc, sampleDocId, sampleToDoc, type SampleDoc } from '../../team/docs';
import type { PouchDatabase } from '../../team/pouch';
import { getDb } from '../../storage/db';
import { useDatasets } from '../library/datasetList';
import { TeamController } from './teamController';

let n = 0;
let storage: Map<string, string>;
beforeEach(() => {
  storage = installMemoryLocalStorage();
  setDb(new StudioDatabase(`team-controller-${n++}`));
});

/**
 * Ann, signed in here before, about to join: the team server's address answers nothing, and a
 * memory database stands in for the dataset's database on it.
 */
async function annAboutToJoin(dbName: string) {
  const url = `http://127.0.0.1:${await freePort()}/`;
  storage.set('path-studio.team', JSON.stringify({ serverUrl: url, user: 'ann', datasets: {} }));
  const platform = memoryPlatform(`controller-${n}-`);
  return { platform, server: platform.openRemote(`${dbName}-${n}`) };
}

describe('team controller', () => {
  it('loads no engine and touches nothing for someone who never connects', async () => {
    const loadEngine = vi.fn();
    const team = new TeamController(loadEngine);
    await team.resume();
    expect(loadEngine).not.toHaveBeenCalled();
    expect(team.getSnapshot()).toMatchObject({ user: null, datasets: {}, available: null });
    expect(storage.size).toBe(0);
  });

  it('resumes a shared dataset while the server is unreachable: it mirrors and replicates once it can', async () => {
    const blob = new Blob(['img'], { type: 'image/png' });
    const asset = { id: await sha256Hex(blob), blob, mime: 'image/png', size: 3, width: 1, height: 1, createdAt: 1 };
    const { dataset, samples } = await createDatasetWithSamples('Shared', [asset], [{ assetId: asset.id, source: 'image' }]);
    const closed = `http://127.0.0.1:${await freePort()}/`;
    storage.set('path-studio.team', JSON.stringify({ serverUrl: closed, user: 'ann', datasets: { [dataset.id]: { name: 'Shared', server: closed, db: 'pathstudio-ds-x' } } }));
    const platform = memoryPlatform(`controller-${n}-`);
    // The "server" database is a memory one here: what matters is that the controller connects it.
    const server = platform.openRemote(`${closed}pathstudio-ds-x`);
    const team = new TeamController(async () => ({ platform: { ...platform, openRemote: () => server }, DatasetReplica, localReplicaName: (id) => `r-${id}`, describeSyncError }));
    await team.resume();
    expect(team.getSnapshot()).toMatchObject({ user: { name: 'ann' }, message: { ok: false, text: expect.stringMatching(/cannot be reached: working offline/) } });
    await updateSample(samples[0].id, { instruction: 'stamped by ann' });
    await expect.poll(async () => ((await server.get(sampleDocId(samples[0].id)).catch(() => null)) as SampleDoc | null)?.instruction, { timeout: 10_000 }).toBe('stamped by ann');
    expect(((await server.get(sampleDocId(samples[0].id))) as unknown as SampleDoc).changedBy).toBe('ann');
    await expect.poll(() => team.getSnapshot().datasets[dataset.id]?.state, { timeout: 10_000 }).toBe('idle');
  });

  it('keeps a join the server broke off halfway, says so, and the live sync brings the rest', async () => {
    const { platform, server } = await annAboutToJoin('join');
    const stamp = { changedBy: 'lead', changedAt: 1 };
    const blob = new Blob(['img'], { type: 'image/png' });
    const asset = { id: await sha256Hex(blob), blob, mime: 'image/png', size: 3, width: 1, height: 1, createdAt: 1 };
    const datasetId = 'ds-joined';
    const count = 1500; // two batches of the join's replication
    await server.bulkDocs([datasetToDoc({ id: datasetId, name: 'Big', createdAt: 1, updatedAt: 1 }, stamp), assetToDoc(asset, stamp, await platform.toAttachment(blob))]);
    await server.bulkDocs(Array.from({ length: count }, (_, i) => sampleToDoc({
      id: `s${i}`, datasetId, assetId: asset.id, order: i, instruction: `pick ${i}`, path: null, status: 'draft', source: 'image', provenance: { fileName: `f${i}.png` }, createdAt: 1, updatedAt: 1,
    }, stamp)));
    // The server answers the first batch and then drops the next request once (a cable pulled mid-join).
    let fetches = 0;
    const flaky = new Proxy(server, {
      get(target, prop) {
        if (prop === 'bulkGet') {
          return (...args: unknown[]) => (++fetches === 2 ? Promise.reject(Object.assign(new Error('Failed to fetch'), { status: 0 })) : (Reflect.get(target, 'bulkGet') as (...a: unknown[]) => unknown).apply(target, args));
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as PouchDatabase;
    const team = new TeamController(async () => ({ platform: { ...platform, openRemote: () => flaky }, DatasetReplica, localReplicaName: (id) => `r-${id}`, describeSyncError }));
    await team.resume();
    await team.join({ id: datasetId, name: 'Big', db: `join-${n}`, sharedBy: 'lead', sharedAt: 1, samples: count });
    expect(team.getSnapshot().message).toMatchObject({ ok: false, text: expect.stringMatching(/“Big” is only partly here .*the rest arrives by itself/) });
    expect(JSON.parse(storage.get('path-studio.team')!).datasets[datasetId]).toMatchObject({ name: 'Big' });
    await expect.poll(() => getDb().samples.where('datasetId').equals(datasetId).count(), { timeout: 20_000 }).toBe(count);
  });

  it("fetches the images of the signed-in annotator's queue ahead, and only those", async () => {
    const { platform, server } = await annAboutToJoin('queue');
    const stamp = { changedBy: 'rev', changedAt: 1 };
    const datasetId = 'ds-queue';
    const assets = await Promise.all([0, 1, 2].map(async (i) => {
      const blob = new Blob([`image ${i}`], { type: 'image/png' });
      return { blob, record: { id: await sha256Hex(blob), blob, mime: 'image/png', size: blob.size, width: 1, height: 1, createdAt: 1 } };
    }));
    await server.bulkDocs([
      datasetToDoc({ id: datasetId, name: 'Queue', createdAt: 1, updatedAt: 1 }, stamp),
      ...(await Promise.all(assets.map(async (a) => assetToDoc(a.record, stamp, await platform.toAttachment(a.blob))))),
      ...assets.map((a, i) => sampleToDoc({ id: `q${i}`, datasetId, assetId: a.record.id, order: i, instruction: '', path: null, status: 'draft', source: 'image', provenance: {}, createdAt: 1, updatedAt: 1 }, stamp)),
      { _id: 'assignment:ann', type: 'assignment', annotator: 'ann', from: 2, to: 3, statuses: [], assignedBy: 'rev', at: 1, ...stamp },
    ]);
    const team = new TeamController(async () => ({ platform: { ...platform, openRemote: () => server }, DatasetReplica, localReplicaName: (id) => `r-${id}`, describeSyncError }));
    await team.resume();
    await team.join({ id: datasetId, name: 'Queue', db: `queue-${n}`, sharedBy: 'rev', sharedAt: 1, samples: 3 });
    await expect.poll(() => team.getSnapshot().datasets[datasetId]?.queueImages, { timeout: 20_000 }).toEqual({ here: 2, total: 2 });
    // The dataset list follows what the team brought in, with its count.
    await expect.poll(() => useDatasets.getState().datasets.find((d) => d.id === datasetId)?.sampleCount, { timeout: 5_000 }).toBe(3);
    const stored = new Set(await getDb().assets.toCollection().primaryKeys());
    expect(stored).toEqual(new Set([assets[1].record.id, assets[2].record.id]));
  });
});
