import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDataset, softDeleteDataset } from '../../storage/datasets';
import { setDb, StudioDatabase } from '../../storage/db';
import { addSamplesWithAssets, getSamples, querySampleIds } from '../../storage/samples';
import { useToasts } from '../toasts';
import { deleteSamplesWithUndo, moveSamplesWithUndo, setStatusWithUndo } from './sampleActions';

let n = 0;
beforeEach(() => {
  setDb(new StudioDatabase(`sample-actions-${n++}`));
  useToasts.setState({ toasts: [] });
});

async function seed() {
  const d = await createDataset('kitchen');
  const other = await createDataset('drawer');
  const asset = { id: 'a'.repeat(64), blob: new Blob(['x']), mime: 'image/png', size: 1, width: 4, height: 3, createdAt: 1 };
  const samples = await addSamplesWithAssets(d.id, [asset], ['one', 'two', 'three'].map((instruction) => ({ assetId: asset.id, source: 'image' as const, instruction, status: 'done' as const })));
  return { d, other, ids: samples.map((s) => s.id) };
}

const lastToast = () => useToasts.getState().toasts.at(-1)!;
const undo = async () => {
  lastToast().action!.run();
  await new Promise((r) => setTimeout(r, 20));
};

describe('bulk sample actions with undo', () => {
  it('returns a step that undoes once, from the toast or later, and says so', async () => {
    const { d, ids } = await seed();
    const step = (await deleteSamplesWithUndo([ids[1]], () => {}))!;
    expect(step.label).toBe('Deleted 1 sample.');
    useToasts.setState({ toasts: [] }); // the message is gone: the step still undoes
    await step.undo();
    expect(step.undone).toBe(true);
    expect(await querySampleIds(d.id)).toEqual(ids);
    await step.undo(); // a second undo writes nothing
    expect(useToasts.getState().toasts.map((t) => t.message)).toEqual(['1 sample back as they were.']);
  });

  it('deletes, and undo puts the samples back as they were', async () => {
    const { d, ids } = await seed();
    const before = await getSamples(ids);
    let changed = 0;
    await deleteSamplesWithUndo([ids[0], ids[2]], () => changed++);
    expect(await querySampleIds(d.id)).toEqual([ids[1]]);
    expect(lastToast().message).toBe('Deleted 2 samples.');
    await undo();
    expect(await querySampleIds(d.id)).toEqual(ids);
    expect(await getSamples(ids)).toEqual(before);
    expect(changed).toBe(2);
  });

  it('sets a status on many, and undo restores each one’s own', async () => {
    const { ids } = await seed();
    await setStatusWithUndo([ids[0]], 'reviewed', () => undefined);
    await setStatusWithUndo(ids, 'draft', () => undefined);
    expect((await getSamples(ids)).map((s) => s!.status)).toEqual(['draft', 'draft', 'draft']);
    await undo();
    expect((await getSamples(ids)).map((s) => s!.status)).toEqual(['reviewed', 'done', 'done']);
  });

  it('moves to the end of another dataset in order, and undo moves them back', async () => {
    const { d, other, ids } = await seed();
    await moveSamplesWithUndo([ids[2], ids[0]], other.id, other.name, () => undefined);
    expect(await querySampleIds(d.id)).toEqual([ids[1]]);
    expect(await querySampleIds(other.id)).toEqual([ids[0], ids[2]]);
    expect(lastToast().message).toBe('Moved 2 samples to “drawer”.');
    await undo();
    expect(await querySampleIds(d.id)).toEqual(ids);
    expect(await querySampleIds(other.id)).toEqual([]);
  });

  it('a move to a dataset deleted meanwhile says so and what to do, and moves nothing', async () => {
    const { d, other, ids } = await seed();
    await softDeleteDataset(other.id);
    await moveSamplesWithUndo(ids, other.id, other.name, () => undefined);
    expect(lastToast()).toMatchObject({ kind: 'error', message: 'Could not move the samples: the dataset to move them to was deleted (pick another). Nothing was changed.' });
    expect(await querySampleIds(d.id)).toEqual(ids);
  });
});
