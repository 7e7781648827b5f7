import { useRef, useState } from 'react';
import { openSink } from '../../exporters/sink';
import { backupFileName, openBackupArchive, restoreBackup, writeBackupZip } from '../../app/export/backup';
import { formatBytes } from '../../core/formatBytes';
import { useDatasets } from '../../app/library/datasetList';
import { notify, notifyError } from '../../app/toasts';
import { JobProgress } from './JobProgress';
import { isCancel, runJob } from '../../app/jobs/runJob';

/** Back up the whole project into one ZIP, or replace it with one. */
export function BackupPanel() {
  const [jobId, setJobId] = useState<number | null>(null);
  const [mode, setMode] = useState<'backup' | 'restore'>('backup');
  const [pending, setPending] = useState<File | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function onBackup() {
    setMessage(null);
    setMode('backup');
    try {
      const sink = await openSink(backupFileName(), 'application/zip', 'zip');
      if (!sink) return;
      const bytes = await runJob('Backing up the project', 1, (signal, progress) =>
        writeBackupZip(sink, { signal, onProgress: (p) => progress(p.records, Math.max(1, p.totalRecords)) }), setJobId);
      const text = `Backup written: ${sink.name} (${formatBytes(bytes)}).`;
      setMessage({ kind: 'ok', text });
      notify({ kind: 'success', message: text });
    } catch (e) {
      if (isCancel(e)) notify({ kind: 'info', message: 'Backup cancelled; no file was kept.' });
      else notifyError(e);
    } finally {
      setJobId(null);
    }
  }

  async function onRestore(file: File) {
    setPending(null);
    setMessage(null);
    setMode('restore');
    try {
      const report = await runJob(`Restoring ${file.name}`, file.size, async (signal, progress) => {
        const archive = await openBackupArchive(file, `"${file.name}"`);
        return restoreBackup(archive, { signal, onProgress: progress });
      }, setJobId);
      const r = report.records;
      const text = `Restored ${r.datasets ?? 0} datasets, ${r.samples ?? 0} samples, ${r.episodes ?? 0} episodes, ${r.models ?? 0} models and ${report.blobs} files from ${file.name}.`;
      setMessage({ kind: 'ok', text });
      notify({ kind: 'success', message: text });
      void useDatasets.getState().refresh();
    } catch (e) {
      if (isCancel(e)) notify({ kind: 'info', message: 'Restore cancelled; the project was not changed.' });
      else setMessage({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    } finally {
      setJobId(null);
    }
  }

  return (
    <div className="export-panel">
      <p className="muted">One ZIP with every dataset, sample, image, episode, model and run, a manifest and SHA-256 hashes. Restoring checks every file before it changes anything.</p>
      <div className="toolbar">
        <button className="btn btn-primary" disabled={jobId !== null} onClick={() => void onBackup()}>Back up project</button>
        <button className="btn" disabled={jobId !== null} onClick={() => input.current?.click()}>Restore from backup…</button>
        <input ref={input} type="file" accept=".zip,application/zip" hidden data-testid="restore-input"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) setPending(f); }} />
      </div>
      {pending && (
        <div className="confirm-box" role="alertdialog" aria-label="Confirm restore">
          <p>Restoring <b>{pending.name}</b> replaces <b>everything</b> in this browser's project (all datasets, samples, episodes, models and runs) with the backup's content. Back up first if you may need the current state.</p>
          <div className="toolbar">
            <button className="btn btn-danger" onClick={() => void onRestore(pending)}>Replace everything with the backup</button>
            <button className="btn" onClick={() => setPending(null)}>Keep the current project</button>
          </div>
        </div>
      )}
      <JobProgress jobId={jobId} unit={mode === 'backup' ? 'items' : 'bytes'} />
      {message && <p className={message.kind === 'error' ? 'form-error' : 'export-result'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="backup-message">{message.text}</p>}
    </div>
  );
}
