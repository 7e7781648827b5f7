// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Path } from '../../core/path';
import { addSamplesWithAssets, createDataset, getSample, putSamples, removeSamples, setDb, StudioDatabase, updateSample, type AssetRecord } from '../../storage';
import * as storageModule from '../../storage';
import { installMemoryLocalStorage } from '../../testing/memoryLocalStorage';
import { replayJournal } from './autosave';
import type { LoadedImage } from './imageCache';
import { AnnotateSession, type ImageSource } from './session';

vi.mock('../../storage', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../storage')>();
  return { ...actual, getSamples: vi.fn(actual.getSamples) };
});

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

  describe('changes made elsewhere (a teammate\'s edit mirrored in, a conflict resolved)', () => {
    it('shows a change of the open sample and follows the queue’s statuses', async () => {
      const { session, ids } = await setup(2);
      await session.open(ids[0]);
      await updateSample(ids[0], { path: onePoint(0.7), status: 'done', instruction: 'from bob' });
      await updateSample(ids[1], { status: 'reviewed' });
      await vi.waitFor(() => expect(session.getSnapshot().sample!.instruction).toBe('from bob'));
      await session.settled();
      const state = session.getSnapshot();
      expect(session.editor.path).toEqual(onePoint(0.7));
      expect(state.sample!.status).toBe('done');
      expect(state.changedElsewhere).toMatch(/changed elsewhere/);
      expect(state.counts).toMatchObject({ draft: 0, done: 1, reviewed: 1 });
      // The change shown is not an edit: nothing is written back.
      await session.flush();
      expect(session.getSnapshot().unsaved).toBe(0);
      expect((await getSample(ids[0]))!.instruction).toBe('from bob');
    });

    it('an edit not stored yet is neither lost nor hidden: both are stored and shown', async () => {
      const { session, ids } = await setup(1);
      await session.open(ids[0]);
      session.editor.setPath(onePoint(0.3)); // queued in the autosave
      await updateSample(ids[0], { status: 'done', instruction: 'from bob' });
      await session.flush();
      await vi.waitFor(() => expect(session.getSnapshot().sample!.status).toBe('done'));
      await session.settled();
      expect(session.editor.path).toEqual(onePoint(0.3));
      expect(session.getSnapshot().sample!.instruction).toBe('from bob');
      const stored = (await getSample(ids[0]))!;
      expect(stored.path).toEqual(onePoint(0.3));
      expect(stored.status).toBe('done');
    });

    it('a change during a drag is shown once the drag is stored, without undoing the drag', async () => {
      const { session, ids } = await setup(1);
      await session.open(ids[0]);
      session.editor.setViewportSize({ width: 672, height: 512 });
      session.editor.setPath(onePoint(0.5));
      await session.flush();
      const at = session.editor.normalizedToScreen({ x: 0.5, y: 0.5 });
      session.editor.pointerDown({ ...at, pointerId: 1, pointerType: 'mouse', button: 0 });
      session.editor.pointerMove({ x: at.x + 64, y: at.y, pointerId: 1, pointerType: 'mouse', button: 0 });
      await updateSample(ids[0], { instruction: 'from bob' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await session.settled();
      expect(session.getSnapshot().sample!.instruction).toBe(''); // not while dragging
      session.editor.pointerUp({ x: at.x + 64, y: at.y, pointerId: 1, pointerType: 'mouse', button: 0 });
      await session.flush();
      await vi.waitFor(() => expect(session.getSnapshot().sample!.instruction).toBe('from bob'));
      expect(session.editor.path.points[0].x).toBeCloseTo(0.6);
      expect((await getSample(ids[0]))!.path!.points[0].x).toBeCloseTo(0.6);
    });

    it('a change of its own made while a change from elsewhere is read is never undone by that older read', async () => {
      const { session, ids } = await setup(2);
      await session.open(ids[0]);
      // The read of the change from elsewhere is held until the annotator has marked the sample done.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const actual = vi.mocked(storageModule.getSamples).getMockImplementation()!;
      let reading!: () => void;
      const started = new Promise<void>((resolve) => (reading = resolve));
      vi.mocked(storageModule.getSamples).mockImplementationOnce(async (wanted) => {
        const read = await actual(wanted);
        reading();
        await held;
        return read;
      });
      const doneCounts: number[] = [];
      session.subscribe(() => doneCounts.push(session.getSnapshot().counts.done));
      await updateSample(ids[0], { instruction: 'from bob' });
      await started;
      session.setStatus('done');
      await session.flush();
      release();
      await vi.waitFor(() => expect(session.getSnapshot().sample!.instruction).toBe('from bob'));
      await session.settled();
      expect(session.getSnapshot().counts.done).toBe(1);
      // Never back to 0 once it was 1: the older read did not put "draft" back.
      expect(doneCounts.slice(doneCounts.indexOf(1))).not.toContain(0);
    });

    it('samples removed or added elsewhere leave or join the queue; the open one says it is gone', async () => {
      const { session, ids } = await setup(3);
      await session.open(ids[0]);
      const [removed] = await removeSamples([ids[2]]);
      await vi.waitFor(() => expect(session.getSnapshot().entries.map((e) => e.id)).toEqual(ids.slice(0, 2)));
      await putSamples([removed]);
      await vi.waitFor(() => expect(session.getSnapshot().entries.map((e) => e.id)).toEqual(ids));
      await removeSamples([ids[0]]);
      await vi.waitFor(() => expect(session.getSnapshot().changedElsewhere).toMatch(/removed elsewhere/));
    });
  });
});
