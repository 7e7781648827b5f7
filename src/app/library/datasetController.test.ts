import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Path } from '../../core/path';
import { createDataset } from '../../storage/datasets';
import { getDb, setDb, StudioDatabase } from '../../storage/db';
import { applyReplicaWrites } from '../../storage/replica';
import type { SampleRecord } from '../../storage/types';
import { useToasts } from '../toasts';
import { DatasetController, type DatasetSnapshot } from './datasetController';

let n = 0;
beforeEach(() => {
  setDb(new StudioDatabase(`dataset-controller-${n++}`));
  useToasts.setState({ toasts: [] });
});

const path: Path = { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'closed' }, { x: 0.6, y: 0.2, gripper: 'open' }] };

/** Three samples and a copy of the first one (same image and path, made later). */
async function seed() {
  const d = await createDataset('kitchen');
  const rows: Partial<SampleRecord>[] = [
    { id: 'a', assetId: 'img1', instruction: 'pick the cube', path, status: 'done', updatedAt: 10, createdAt: 1 },
    { id: 'b', assetId: 'img2', instruction: 'open the drawer', path: null, status: 'draft', updatedAt: 30, createdAt: 2 },
    { id: 'c', assetId: 'img3', instruction: 'wipe', path: null, status: 'draft', updatedAt: 20, createdAt: 3 },
    { id: 'a-copy', assetId: 'img1', instruction: 'pick the cube', path, status: 'draft', updatedAt: 5, createdAt: 4 },
  ];
  await getDb().samples.bulkAdd(rows.map((r, i) => ({ datasetId: d.id, order: i, source: 'image', provenance: {}, ...r }) as SampleRecord));
  return d.id;
}

/** A controller whose address behaves like the router's: a change is handed back at once. */
function controllerAt(datasetId: string, search = '') {
  let address = search;
  const c: DatasetController = new DatasetController(datasetId, { read: () => address, replace: (s) => { address = s; c.urlChanged(s); } });
  c.open();
  return { c, address: () => address };
}

async function until(c: DatasetController, done: (s: DatasetSnapshot) => boolean): Promise<DatasetSnapshot> {
  for (let i = 0; i < 200; i++) {
    if (done(c.getSnapshot())) return c.getSnapshot();
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`not reached: ${JSON.stringify({ ...c.getSnapshot(), outcomes: undefined })}`);
}

describe('dataset page controller', () => {
  it('follows samples changed by a teammate (written from the team replica): counts and list, without a reload', async () => {
    const datasetId = await seed();
    const { c } = controllerAt(datasetId);
    await until(c, (x) => x.idsComplete);
    const b = (await getDb().samples.get('b'))!;
    const fresh = { ...b, id: 'from-bob', order: 9, status: 'done' as const };
    await applyReplicaWrites([{ table: 'samples', id: 'b', value: { ...b, status: 'reviewed' } }, { table: 'samples', id: 'from-bob', value: fresh }], () => true);
    const deadline = Date.now() + 5000;
    while (c.getSnapshot().ids.length !== 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(c.getSnapshot().ids).toEqual(['a', 'b', 'c', 'a-copy', 'from-bob']);
    await until(c, (x) => x.counts?.reviewed === 1);
    expect(c.getSnapshot().counts).toEqual({ draft: 2, done: 2, reviewed: 1, rejected: 0 });
    c.close();
  });

  it('lists in queue order with counts, then sorts by a column and reverses, in the address', async () => {
    const { c, address } = controllerAt(await seed());
    let s = await until(c, (x) => x.idsComplete && x.dataset !== undefined);
    expect(s.ids).toEqual(['a', 'b', 'c', 'a-copy']);
    expect(s.counts).toEqual({ draft: 3, done: 1, reviewed: 0, rejected: 0 });
    expect(s.dataset?.name).toBe('kitchen');

    c.sortBy('updated');
    expect(address()).toBe('sort=updated&dir=desc');
    s = await until(c, (x) => x.ids[0] === 'b');
    expect(s.ids).toEqual(['b', 'c', 'a', 'a-copy']);
    c.sortBy('updated');
    expect(address()).toBe('sort=updated&dir=asc');
    await until(c, (x) => x.ids[0] === 'a-copy');
    c.setStatusFilter('draft');
    s = await until(c, (x) => x.ids.length === 3);
    expect(s.ids).toEqual(['a-copy', 'c', 'b']);
    c.clearFilters();
    c.queueOrder();
    expect(address()).toBe('');
    await until(c, (x) => x.ids.join() === 'a,b,c,a-copy');
  });

  it('opens sorted from a link', async () => {
    const { c } = controllerAt(await seed(), 'view=list&sort=instruction&dir=desc');
    const s = await until(c, (x) => x.idsComplete);
    expect(s.query.view).toBe('list');
    expect(s.ids).toEqual(['c', 'a-copy', 'a', 'b']); // the reverse of ascending, ties included
  });

  it('types a search into the address after a pause', async () => {
    const { c, address } = controllerAt(await seed());
    await until(c, (x) => x.idsComplete);
    c.typeSearch('wi');
    c.typeSearch('wipe ');
    expect(address()).toBe('');
    const s = await until(c, (x) => x.ids.length === 1);
    expect(address()).toBe('q=wipe');
    expect(s.searchText).toBe('wipe '); // what was typed stays as typed
  });

  it('the statistics panel reads the dataset once: stats and duplicates; the copies are selected, deleted and undone', async () => {
    const { c } = controllerAt(await seed());
    await until(c, (x) => x.idsComplete);
    c.setStatsOpen(true);
    let s = await until(c, (x) => x.stats.stats !== null);
    expect(s.stats.stats?.byStatus).toEqual({ draft: 3, done: 1, reviewed: 0, rejected: 0 });
    expect(s.stats.stats?.withPath).toBe(2);
    expect(s.stats.duplicates).toEqual([{ keep: 'a', extras: ['a-copy'] }]);

    c.selectDuplicateCopies();
    expect([...c.selection.getSnapshot().ids]).toEqual(['a-copy']);
    await c.deleteSelected();
    await until(c, (x) => x.ids.length === 3 && x.stats.duplicates?.length === 0 && x.stats.reading === null);
    expect(c.selection.getSnapshot().count).toBe(0);

    useToasts.getState().toasts.at(-1)!.action!.run();
    s = await until(c, (x) => x.ids.length === 4 && x.stats.duplicates?.length === 1 && x.stats.reading === null);
    expect(s.total).toBe(4);
  });

  it('keeps its changes undoable while open, newest first, and keeps one whose undo failed', async () => {
    const { c } = controllerAt(await seed());
    await until(c, (x) => x.idsComplete);
    c.selection.selectAll(['b']);
    await c.deleteSelected();
    c.selection.selectAll(['c']);
    await c.setSelectedStatus('done');
    expect(c.getSnapshot().undoLabel).toBe('1 sample marked done.');
    useToasts.setState({ toasts: [] }); // the messages are gone; the page still undoes

    getDb().close(); // the undo cannot be written
    await c.undoLast();
    expect(c.getSnapshot().undoLabel).toBe('1 sample marked done.');
    expect(useToasts.getState().toasts.at(-1)?.kind).toBe('error');

    await getDb().open();
    await c.undoLast();
    expect(c.getSnapshot().undoLabel).toBe('Deleted 1 sample.');
    expect((await getDb().samples.get('c'))?.status).toBe('draft');
    await c.undoLast();
    expect(c.getSnapshot().undoLabel).toBeNull();
    expect(await getDb().samples.get('b')).toBeDefined();
    c.close();
  });

  it('close drops what is in flight; open reads again', async () => {
    const id = await seed();
    const c = new DatasetController(id, { read: () => '', replace: () => undefined });
    c.open();
    c.close();
    await new Promise((r) => setTimeout(r, 30));
    expect(c.getSnapshot().ids).toEqual([]);
    c.open();
    await until(c, (x) => x.ids.length === 4);
  });
});
