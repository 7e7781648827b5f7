/**
 * The project backup on the Export screen: the whole project written as one ZIP, or replaced by
 * one once the person has confirmed (a restore checks every file before it changes anything).
 */
import { formatBytes } from '../../core/formatBytes';
import { SnapshotStore } from '../../core/snapshotStore';
import { backupFileName, openBackupArchive, writeBackupZip } from '../../exporters/backup/backupZip';
import { restoreBackup } from '../../storage/backup';
import { isCancel, runJob } from '../jobs/runJob';
import { useDatasets } from '../library/datasetList';
import { notify } from '../toasts';
import { writeToSink } from './writeToSink';
import { errorMessage } from '../../core/errorMessage';

export interface BackupState {
  /** The backup or restore job, while it runs. */
  jobId: number | null;
  /** What the job does: a backup counts records, a restore bytes read. */
  mode: 'backup' | 'restore';
  /** A backup chosen for restoring, waiting for the person to confirm. */
  pending: File | null;
  message: { kind: 'ok' | 'error'; text: string } | null;
}

export class BackupController extends SnapshotStore<BackupState> {
  constructor() {
    super({ jobId: null, mode: 'backup', pending: null, message: null });
  }

  async backUp(): Promise<void> {
    this.set({ message: null, mode: 'backup' });
    try {
      const text = await writeToSink({
        fileName: backupFileName(),
        label: 'Backing up the project',
        total: 1,
        write: (sink, signal, progress) => writeBackupZip(sink, { signal, onProgress: (p) => progress(p.records, Math.max(1, p.totalRecords)) }),
        describe: (bytes, to) => `Backup written: ${to} (${formatBytes(bytes)}).`,
        cancelled: 'Backup cancelled; no file was kept.',
      }, (jobId) => this.set({ jobId }));
      if (text) this.set({ message: { kind: 'ok', text } });
    } finally {
      this.set({ jobId: null });
    }
  }

  /** Asks to restore `file`; nothing changes until `confirmRestore`. */
  chooseRestore(file: File): void {
    this.set({ pending: file });
  }

  cancelRestore(): void {
    this.set({ pending: null });
  }

  /** Replaces the whole project with the chosen backup; a damaged backup changes nothing and says why. */
  async confirmRestore(): Promise<void> {
    const file = this.getSnapshot().pending;
    if (!file) return;
    this.set({ pending: null, message: null, mode: 'restore' });
    try {
      const report = await runJob(`Restoring ${file.name}`, file.size, async (signal, progress) => {
        const archive = await openBackupArchive(file, `"${file.name}"`);
        return restoreBackup(archive, { signal, onProgress: progress });
      }, (jobId) => this.set({ jobId }));
      const r = report.records;
      const text = `Restored ${r.datasets ?? 0} datasets, ${r.samples ?? 0} samples, ${r.episodes ?? 0} episodes, ${r.models ?? 0} models and ${report.blobs} files from ${file.name}.`;
      this.set({ message: { kind: 'ok', text } });
      notify({ kind: 'success', message: text });
      void useDatasets.getState().refresh();
    } catch (e) {
      if (isCancel(e)) notify({ kind: 'info', message: 'Restore cancelled; the project was not changed.' });
      else this.set({ message: { kind: 'error', text: errorMessage(e) } });
    } finally {
      this.set({ jobId: null });
    }
  }
}
