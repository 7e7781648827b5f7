// @vitest-environment node
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { addSamplesWithAssets, createDataset, getSample, setDb, StudioDatabase, updateSample, updateSampleRecovered } from '../../storage';
import { onStoredChanges, type StoredChange } from '../../storage/changeFeed';
import { installMemoryLocalStorage } from '../../testing/memoryLocalStorage';
import { replayJournal, SampleAutosave } from './autosave';

vi.mock('../../storage', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../storage')>();
  return { ...actual, updateSample: vi.fn(actual.updateSample), updateSampleRecovered: vi.fn(actual.updateSampleRecovered) };
});

/** localStorage for the crash journal, as the browser has it. */
const storage = installMemoryLocalStorage();

async function oneSample(): Promise<string> {
  setDb(new StudioDatabase(`autosave-${Math.random()}`));
  storage.clear();
  const dataset = await createDataset('autosave');
  const asset = { id: 'asset', blob: new Blob(['x']), mime: 'image/png', size: 1, width: 2, height: 2, createdAt: 0 };
  const [sample] = await addSamplesWithAssets(dataset.id, [asset], [{ assetId: asset.id, source: 'image' }]);
  return sample.id;
}

/** A sample marked done whose IndexedDB write never happened (the tab closed): only the journal has it. */
async function editNeverWritten(): Promise<string> {
  const id = await oneSample();
  vi.mocked(updateSample).mockRejectedValueOnce(new Error('tab closed'));
  const autosave = new SampleAutosave();
  autosave.save(id, { status: 'done' });
  await autosave.flush();
  return id;
}

describe('SampleAutosave', () => {
  it('journals synchronously, writes, then forgets the journal entry', async () => {
    const id = await oneSample();
    const autosave = new SampleAutosave();
    autosave.save(id, { instruction: 'stack the cups' });
    expect(storage.size).toBe(1); // before any await: a crash now loses nothing
    await autosave.flush();
    expect((await getSample(id))!.instruction).toBe('stack the cups');
    expect(storage.size).toBe(0);
  });

  it('after a failed write, keeps the change and writes it with the next one', async () => {
    const id = await oneSample();
    const autosave = new SampleAutosave();
    vi.mocked(updateSample).mockRejectedValueOnce(new Error('disk full'));
    const states: unknown[] = [];
    autosave.onChange(({ error }) => states.push(error));
    autosave.save(id, { instruction: 'stack the cups' });
    await autosave.flush();
    expect(states.at(-1)).toBeInstanceOf(Error);
    expect((await getSample(id))!.instruction).toBe('');
    autosave.save(id, { status: 'done' });
    await autosave.flush();
    expect(await getSample(id)).toMatchObject({ instruction: 'stack the cups', status: 'done' });
    expect(states.at(-1)).toBeNull();
    expect(storage.size).toBe(0);
  });

  it('a change whose write never happened is replayed on the next start, even one made in the same millisecond as the sample', async () => {
    // A fast machine creates the sample and saves the edit within one millisecond.
    vi.useFakeTimers({ toFake: ['Date'], now: 1_800_000_000_000 });
    try {
      const id = await editNeverWritten();
      expect((await replayJournal()).applied).toBe(1);
      expect((await getSample(id))!.status).toBe('done');
    } finally {
      vi.useRealTimers();
    }
  });

  it('an edit that still cannot be written (disk full) stays in the journal; replay does not throw', async () => {
    const id = await editNeverWritten();
    vi.mocked(updateSampleRecovered).mockRejectedValueOnce(new DOMException('The disk is full', 'QuotaExceededError'));
    const first = await replayJournal();
    expect(first.applied).toBe(0);
    expect(first.kept.map((k) => k.sampleId)).toEqual([id]);
    expect((await replayJournal()).applied).toBe(1); // room again: saved on the next start
    expect((await getSample(id))!.status).toBe('done');
  });

  it("the replay's writes reach the change feed as recovered (the Library reads them again); replays at once share one run", async () => {
    const id = await editNeverWritten();
    const told: StoredChange[] = [];
    const off = onStoredChanges((changes) => told.push(...changes));
    try {
      const [a, b] = [replayJournal(), replayJournal()];
      expect(a).toBe(b);
      expect((await a).applied).toBe(1);
      await new Promise((r) => setTimeout(r, 0));
      expect(told).toEqual([{ table: 'samples', keys: [id], recovered: true }]);
    } finally {
      off();
    }
  });
});
