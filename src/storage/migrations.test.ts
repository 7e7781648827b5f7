// @vitest-environment node
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, SCHEMA_VERSIONS, StudioDatabase } from './db';

/**
 * Migration harness: for every shipped schema version, write a database the way that release
 * did, then open it with the current code and check the records are all there. A new schema
 * version adds its fixture to `writtenBy` below.
 */
const writtenBy: Record<number, (db: StudioDatabase) => Promise<void>> = {
  1: async (db) => {
    await db.datasets.add({ id: 'd1', name: 'old', createdAt: 1, updatedAt: 1 });
    await db.assets.add({ id: 'h1', blob: new Blob(['img']), mime: 'image/png', size: 3, width: 1, height: 1, createdAt: 1 });
    await db.samples.add({
      id: 's1', datasetId: 'd1', assetId: 'h1', order: 0, instruction: 'pick', status: 'done', source: 'image', provenance: {},
      path: { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'closed' }] }, createdAt: 1, updatedAt: 1,
    });
  },
  2: async (db) => {
    await writtenBy[1](db);
    await db.videos.add({ id: 'v1', datasetId: 'd1', assetId: 'h1', name: 'clip.mp4', codec: 'avc1', width: 8, height: 6, fps: 30, frameCount: 3, durationSeconds: 0.1, annotation: {}, createdAt: 1, updatedAt: 1 });
    await db.calibrations.add({ id: 'c1', datasetId: 'd1', camera: 'front', projection: new Array(12).fill(0), width: 8, height: 6, source: 'clicks', createdAt: 1 });
  },
  3: async (db) => {
    await writtenBy[2](db);
    await db.samples.add({ id: 's2', datasetId: 'd1', assetId: 'h1', order: 1, instruction: 'place', path: null, status: 'draft', source: 'image', provenance: {}, createdAt: 2, updatedAt: 2 });
  },
};

describe('schema migrations', () => {
  it('every shipped version has a fixture writer', () => {
    for (const v of SCHEMA_VERSIONS) expect(writtenBy[v.version], `fixture for v${v.version}`).toBeTypeOf('function');
  });

  for (const { version } of SCHEMA_VERSIONS) {
    it(`opens a database written by schema v${version} with the current schema v${CURRENT_SCHEMA_VERSION}`, async () => {
      const name = `migration-from-${version}`;
      const old = new StudioDatabase(name, version);
      await writtenBy[version](old);
      old.close();
      const current = new StudioDatabase(name);
      await current.open();
      expect(current.verno).toBe(CURRENT_SCHEMA_VERSION);
      const s = await current.samples.get('s1');
      expect(s?.path?.points[0]).toEqual({ x: 0.1, y: 0.2, gripper: 'closed' });
      expect(await (await current.assets.get('h1'))!.blob.text()).toBe('img');
      expect(await current.samples.where('[datasetId+status+order]').between(['d1', 'done', 0], ['d1', 'done', Infinity]).count()).toBe(1);
      if (version >= 2) expect((await current.videos.get('v1'))?.name).toBe('clip.mp4');
      // v3's sort indexes hold the records written before them.
      expect(await current.samples.where('[datasetId+updatedAt]').between(['d1', 0], ['d1', Infinity]).primaryKeys()).toContain('s1');
      expect(await current.samples.where('[datasetId+instruction]').between(['d1', ''], ['d1', '\uffff']).primaryKeys()).toContain('s1');
      expect(await current.samples.where('[datasetId+path.points.length]').between(['d1', 0], ['d1', Infinity]).primaryKeys()).toEqual(['s1']);
      current.close();
    });
  }

  it('an old database keeps working after the upgrade adds tables', async () => {
    const old = new StudioDatabase('upgrade-adds-tables', 1);
    await writtenBy[1](old);
    old.close();
    const current = new StudioDatabase('upgrade-adds-tables');
    expect(await current.videos.count()).toBe(0);
    expect(await current.samples.count()).toBe(1);
    current.close();
  });
});
