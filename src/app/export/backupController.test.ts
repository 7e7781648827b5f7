import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createDataset, listDatasets } from '../../storage/datasets';
import { setDb, StudioDatabase } from '../../storage/db';
import type { ExportSink } from '../../exporters/sink';
import { useToasts } from '../toasts';
import { BackupController } from './backupController';

/** The sink the save picker "returns" next (null: the person closed it). */
const picker = vi.hoisted(() => ({ sink: null as ExportSink | null }));
vi.mock('../../exporters/sink', async (original) => ({ ...(await original<typeof import('../../exporters/sink')>()), openSink: async () => picker.sink }));

class MemorySink implements ExportSink {
  name = 'backup.zip';
  parts: Blob[] = [];
  async write(c: Blob) {
    this.parts.push(c);
  }
  async close() {}
  async abort() {
    this.parts = [];
  }
}

let n = 0;
beforeEach(() => {
  setDb(new StudioDatabase(`backup-controller-${n++}`));
  useToasts.setState({ toasts: [] });
});

const lastToast = () => useToasts.getState().toasts.at(-1);

describe('BackupController', () => {
  it('writes the project to the chosen file, and restores it into another once confirmed', async () => {
    await createDataset('kitchen');
    const sink = new MemorySink();
    picker.sink = sink;
    const c = new BackupController();
    await c.backUp();
    expect(c.getSnapshot().message).toMatchObject({ kind: 'ok', text: expect.stringMatching(/^Backup written: backup\.zip \(.+\)\.$/) });
    expect(lastToast()?.kind).toBe('success');

    setDb(new StudioDatabase(`backup-controller-${n++}`));
    const file = new File(sink.parts, 'backup.zip');
    c.chooseRestore(file);
    expect(c.getSnapshot().pending).toBe(file);
    c.cancelRestore();
    expect(c.getSnapshot().pending).toBeNull();
    await c.confirmRestore(); // nothing chosen: nothing happens
    expect(await listDatasets()).toEqual([]);

    c.chooseRestore(file);
    await c.confirmRestore();
    expect(c.getSnapshot()).toMatchObject({ jobId: null, mode: 'restore', pending: null, message: { kind: 'ok', text: 'Restored 1 datasets, 0 samples, 0 episodes, 0 models and 0 files from backup.zip.' } });
    expect((await listDatasets()).map((d) => d.name)).toEqual(['kitchen']);
  });

  it('refuses a file that is not a backup and leaves the project alone', async () => {
    await createDataset('kept');
    const c = new BackupController();
    c.chooseRestore(new File(['not a zip'], 'notes.zip'));
    await c.confirmRestore();
    expect(c.getSnapshot().message).toMatchObject({ kind: 'error', text: expect.stringContaining('notes.zip') });
    expect((await listDatasets()).map((d) => d.name)).toEqual(['kept']);
  });

  it('writes nothing when the save picker is closed', async () => {
    picker.sink = null;
    const c = new BackupController();
    await c.backUp();
    expect(c.getSnapshot()).toMatchObject({ jobId: null, message: null });
    expect(lastToast()).toBeUndefined();
  });
});
