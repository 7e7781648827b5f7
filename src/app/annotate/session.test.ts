// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Path } from '../../core/path';
import { addSamplesWithAssets, createDataset, getSample, setDb, StudioDatabase, type AssetRecord } from '../../storage';
import { installMemoryLocalStorage } from '../../testing/memoryLocalStorage';
import { replayJournal } from './autosave';
import type { LoadedImage } from './imageCache';
import { AnnotateSession, type ImageSource } from './session';

/** localStorage for the crash journal, as the browser has it. */
const storage = installMemoryLocalStorage();

const fakeImages: ImageSource = {
  get: async (assetId) => ({ assetId, width: 640, height: 480, bitmap: {} as ImageBitmap, levels: [] }) satisfies LoadedImage,
  preload: () => undefined,
  clear: () => undefined,
};

const onePoint = (x: number): Path => ({ initialGripper: 'open', points: [{ x, y: 0.5, gripper: 'open' }] });

let counter = 0;
async function setup(samples: number) {
  setDb(new StudioDatabase(`annotate-session-${counter++}`));
  storage.clear();
  const dataset = await createDataset('session test');
  const assets: AssetRecord[] = Array.from({ length: samples }, (_, i) => ({ id: `asset-${i}`, blob: new Blob([`img ${i}`]), mime: 'image/png', size: 5, width: 640, height: 480, createdAt: 0 }));
  const records = await addSamplesWithAssets(dataset.id, assets, assets.map((a) => ({ assetId: a.id, source: 'image' as const })));
  const session = new AnnotateSession(dataset.id, { images: fakeImages });
  await session.start();
  return { session, ids: records.map((r) => r.id) };
}

describe('AnnotateSession', () => {
  beforeEach(() => storage.clear());

  it('saves each finished edit, and opening another sample never writes over the one before', async () => {
    const { session, ids } = await setup(2);
    await session.open(ids[0]);
    session.editor.setPath(onePoint(0.25));
    await session.open(ids[1]);
    await session.flush();
    expect((await getSample(ids[0]))!.path).toEqual(onePoint(0.25));
    expect((await getSample(ids[1]))!.path).toBeNull();
    await session.open(ids[0]);
    expect(session.editor.path).toEqual(onePoint(0.25));
  });

  it('keeps each sample’s undo history when moving between samples', async () => {
    const { session, ids } = await setup(2);
    await session.open(ids[0]);
    session.editor.setPath(onePoint(0.25));
    session.editor.setPath(onePoint(0.35));
    await session.open(ids[1]);
    expect(session.editor.history.canUndo).toBe(false);
    await session.open(ids[0]);
    session.editor.undo();
    expect(session.editor.path).toEqual(onePoint(0.25));
    await session.flush();
    expect((await getSample(ids[0]))!.path).toEqual(onePoint(0.25));
  });

  it('saves a drag once, when it ends', async () => {
    const { session, ids } = await setup(1);
    await session.open(ids[0]);
    session.editor.setViewportSize({ width: 672, height: 512 }); // 640×480 at scale 1, offset 16
    session.editor.setPath(onePoint(0.5));
    await session.flush();
    const writesBefore = (await getSample(ids[0]))!.updatedAt;
    const at = session.editor.normalizedToScreen({ x: 0.5, y: 0.5 });
    session.editor.pointerDown({ ...at, pointerId: 1, pointerType: 'mouse', button: 0 });
    session.editor.pointerMove({ x: at.x + 64, y: at.y, pointerId: 1, pointerType: 'mouse', button: 0 });
    expect(session.getSnapshot().unsaved).toBe(0);
    session.editor.pointerUp({ x: at.x + 64, y: at.y, pointerId: 1, pointerType: 'mouse', button: 0 });
    await session.flush();
    const saved = (await getSample(ids[0]))!;
    expect(saved.path!.points[0].x).toBeCloseTo(0.6);
    expect(saved.updatedAt).toBeGreaterThanOrEqual(writesBefore);
  });

  it('keeps counts per status and finds the next unfinished sample for annotators and reviewers', async () => {
    const { session, ids } = await setup(3);
    await session.open(ids[0]);
    session.setStatus('done');
    expect(session.getSnapshot().counts).toMatchObject({ draft: 2, done: 1 });
    expect(session.nextUnfinishedId()).toBe(ids[1]);
    session.setMode('review');
    expect(session.nextUnfinishedId()).toBeNull(); // the only done sample is the open one
    session.reject('too short');
    session.setMode('annotate');
    await session.open(ids[2]);
    expect(session.nextUnfinishedId()).toBe(ids[0]); // wraps around to the rejected one
    await session.flush();
    expect((await getSample(ids[0]))!.review).toMatchObject({ verdict: 'rejected', comment: 'too short' });
  });

  it('adds a second path on the same image right after the sample, and copies the previous path', async () => {
    const { session, ids } = await setup(2);
    await session.open(ids[0]);
    session.editor.setPath(onePoint(0.3));
    const added = (await session.addPathOnSameImage())!;
    expect(session.getSnapshot().entries.map((e) => e.id)).toEqual([ids[0], added, ids[1]]);
    await session.open(added);
    expect(session.getSnapshot().siblings).toEqual([ids[0], added]);
    expect(await session.copyPreviousPath()).toBe(true);
    expect(session.editor.path).toEqual(onePoint(0.3));
    session.editor.undo();
    expect(session.editor.path.points).toEqual([]);
  });

  it('puts a planner suggestion in as one undo step, marked prelabeled until a person edits it', async () => {
    const { session, ids } = await setup(1);
    await session.open(ids[0]);
    session.setInstruction('put the red cube on the plate');
    await session.suggestPath({ name: 'fake', suggest: async () => onePoint(0.7) });
    expect(session.editor.path).toEqual(onePoint(0.7));
    expect(session.getSnapshot().sample!.prelabeled).toBe(true);
    session.editor.setPath(onePoint(0.6));
    await session.flush();
    expect((await getSample(ids[0]))!).toMatchObject({ prelabeled: false, path: onePoint(0.6) });
    session.editor.undo();
    session.editor.undo();
    expect(session.editor.path.points).toEqual([]);
  });

  it('asks for an instruction before suggesting: the planner is not run on an empty one', async () => {
    const { session, ids } = await setup(1);
    await session.open(ids[0]);
    session.setInstruction('   ');
    let asked = 0;
    const planner = { name: 'fake', suggest: async () => (asked++, onePoint(0.7)) };
    await expect(session.suggestPath(planner)).rejects.toThrow(/Write the instruction first/);
    expect(asked).toBe(0);
    expect(session.editor.path.points).toEqual([]);
    expect(session.getSnapshot().sample!.prelabeled).toBeFalsy();
  });

  it('replays journaled changes that never reached IndexedDB', async () => {
    const { ids } = await setup(1);
    storage.set('path-studio.annotate.journal.v1', JSON.stringify({ [ids[0]]: { patch: { instruction: 'from the journal' }, at: Date.now() + 1000 } }));
    expect((await replayJournal()).applied).toBe(1);
    expect((await getSample(ids[0]))!.instruction).toBe('from the journal');
    expect(storage.size).toBe(0);
  });

  it('a journal that cannot be replayed shows its error and the samples, never "no samples"', async () => {
    const { ids } = await setup(2);
    // An edit the database refuses (a path that is text): dropped with its reason, the samples load.
    storage.set('path-studio.annotate.journal.v1', JSON.stringify({ [ids[0]]: { patch: { path: 'left' }, at: Date.now() + 1000 } }));
    const session = new AnnotateSession((await getSample(ids[0]))!.datasetId, { images: fakeImages });
    await session.start();
    const state = session.getSnapshot();
    expect(state.entries).toHaveLength(2);
    expect(state.error).toMatch(/1 edit from an earlier visit could not be stored and was discarded: .*path is "left"/);
    expect(storage.size).toBe(0); // nothing left to retry forever
  });
});
