// @vitest-environment node
/**
 * A dataset joined with its images on demand, against the real embedded server
 * (scripts/teamServer.mjs as its own process): the pull brings the samples without a single image,
 * an image comes when the studio asks for it (and goes back to nobody), deletions still arrive, and
 * "available offline" brings the rest.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PouchDBNode from 'pouchdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetWithSamples } from '../storage';
import { getAsset, getThumbnailBlob, setAssetSource } from '../storage/assets';
import { getDb, setDb, StudioDatabase } from '../storage/db';
import { sha256Hex } from '../storage/hash';
import { fetchAs, startTeamServer, type TeamServerProcess } from '../testing/teamServerProcess';
import { assetDocId, sampleDocId, WITHOUT_IMAGES } from './docs';
import { memoryPlatform } from './nodePlatform';
import type { PouchDatabase, PouchStatic } from './pouch';
import { DatasetReplica } from './replica';
import { TeamServer } from './server';

const HttpPouch = PouchDBNode as PouchStatic;
const USERS = { lead: 'lead-pw', ann: 'ann-pw' };
const DB = 'pathstudio-ds-lazy';
let server: TeamServerProcess;
let dir = '';

const remote = (name: keyof typeof USERS): PouchDatabase => new HttpPouch(`${server.url}${DB}`, { skip_setup: true, auth: { username: name, password: USERS[name] } });
const as = (name: keyof typeof USERS): typeof fetch => fetchAs(`${name}:${USERS[name]}`);
const assetDocsIn = async (db: PouchDatabase) => (await db.allDocs({ startkey: 'asset:', endkey: 'asset:\uffff' })).rows.length;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'path-studio-lazy-'));
  server = await startTeamServer({ dir, admin: `lead:${USERS.lead}`, users: [`ann:${USERS.ann}:annotator`], origins: ['http://localhost:5173'] });
}, 60_000);

afterAll(async () => {
  setAssetSource(null);
  await server?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('images on demand', () => {
  it('joins without images, fetches one when asked, still receives deletions, and keeps all once offline is chosen', async () => {
    // The lead shares three samples with three images from their own browser.
    setDb(new StudioDatabase('lazy-lead'));
    const assets = await Promise.all(['red', 'green', 'blue'].map(async (colour) => {
      const blob = new Blob([`${colour} pixels`], { type: 'image/png' });
      return { id: await sha256Hex(blob), blob, mime: 'image/png', size: blob.size, width: 1, height: 1, createdAt: 1, thumbnail: new Blob([`${colour} thumb`], { type: 'image/jpeg' }) };
    }));
    const { dataset, samples } = await createDatasetWithSamples('Lazy', assets, assets.map((a) => ({ assetId: a.id, source: 'image' as const })));
    await new TeamServer(server.url, as('lead')).publish({ id: dataset.id, name: 'Lazy', db: DB, sharedBy: 'lead', sharedAt: 1 });
    const platform = memoryPlatform('lazy-');
    const lead = new DatasetReplica({ datasetId: dataset.id, local: platform.openLocal('lead'), platform, user: () => 'lead', retryMaxMs: 200 });
    await lead.start();
    lead.connect(remote('lead'));
    await expect.poll(() => assetDocsIn(remote('ann')), { timeout: 15_000 }).toBe(3);
    await expect.poll(async () => (await remote('ann').get(sampleDocId(samples[2].id)).catch(() => null)) !== null, { timeout: 15_000 }).toBe(true);

    // Ann joins in another browser with images on demand, as the studio's join does.
    setDb(new StudioDatabase('lazy-ann'));
    const local = platform.openLocal('ann');
    const ann = new DatasetReplica({ datasetId: dataset.id, local, platform, user: () => 'ann', retryMaxMs: 200, imagesOnDemand: true });
    await ann.start();
    await local.replicate.from(remote('ann'), { selector: WITHOUT_IMAGES });
    await ann.caughtUp();
    ann.connect(remote('ann'));
    try {
      expect(await getDb().samples.where('datasetId').equals(dataset.id).count()).toBe(3);
      expect(await getDb().assets.count()).toBe(0);
      expect(await assetDocsIn(local)).toBe(0);

      // A tile's thumbnail comes alone (nothing stored); opening the sample fetches its image.
      setAssetSource({ fetch: (id) => ann.fetchImage(id), thumbnail: async (id) => (await ann.fetchThumbnail(id)) ?? undefined });
      expect(await (await getThumbnailBlob(assets[1].id))?.text()).toBe('green thumb');
      expect(await getDb().assets.count()).toBe(0);
      const fetched = await getAsset(assets[0].id);
      expect(await fetched?.blob.text()).toBe('red pixels');
      expect(await assetDocsIn(local)).toBe(1);
      // It is the server's revision, so nothing new goes back: no second revision, no conflict.
      const onServer = await remote('ann').get(assetDocId(assets[0].id), { conflicts: true });
      expect(onServer._rev).toBe((await local.get(assetDocId(assets[0].id)))._rev);
      expect((onServer as { _conflicts?: string[] })._conflicts).toBeUndefined();

      // A deletion (a tombstone) passes the pull's selector.
      setDb(new StudioDatabase('lazy-lead-again'));
      await lead.stop();
      await remote('lead').bulkDocs([{ _id: sampleDocId(samples[2].id), _rev: (await remote('lead').get(sampleDocId(samples[2].id)))._rev, _deleted: true, type: 'sample', changedBy: 'lead', changedAt: 2 }]);
      setDb(new StudioDatabase('lazy-ann'));
      await expect.poll(() => getDb().samples.where('datasetId').equals(dataset.id).count(), { timeout: 15_000 }).toBe(2);

      // Available offline: the images still missing arrive without being asked for.
      ann.setImagesOnDemand(false);
      await expect.poll(() => getDb().assets.count(), { timeout: 15_000 }).toBe(3);
      expect(await (await getDb().assets.get(assets[1].id))?.blob.text()).toBe('green pixels');
    } finally {
      setAssetSource(null);
      await ann.stop();
      await lead.stop();
    }
  }, 60_000);
});
