import { useRef, useState, useSyncExternalStore } from 'react';
import { BackupController } from '../../app/export/backupController';
import { JobProgress } from './JobProgress';

/** Back up the whole project into one ZIP, or replace it with one. */
export function BackupPanel() {
  const [controller] = useState(() => new BackupController());
  const { jobId, mode, pending, message } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const input = useRef<HTMLInputElement>(null);

  return (
    <div className="export-panel">
      <p className="muted">One ZIP with every dataset, sample, image, episode, model and run, a manifest and SHA-256 hashes. Restoring checks every file before it changes anything.</p>
      <div className="toolbar">
        <button className="btn btn-primary" disabled={jobId !== null} onClick={() => void controller.backUp()}>Back up project</button>
        <button className="btn" disabled={jobId !== null} onClick={() => input.current?.click()}>Restore from backup…</button>
        <input ref={input} type="file" accept=".zip,application/zip" hidden data-testid="restore-input"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) controller.chooseRestore(f); }} />
      </div>
      {pending && (
        <div className="confirm-box" role="alertdialog" aria-label="Confirm restore">
          <p>Restoring <b>{pending.name}</b> replaces <b>everything</b> in this browser's project (all datasets, samples, episodes, models and runs) with the backup's content. Back up first if you may need the current state.</p>
          <div className="toolbar">
            <button className="btn btn-danger" onClick={() => void controller.confirmRestore()}>Replace everything with the backup</button>
            <button className="btn" onClick={() => controller.cancelRestore()}>Keep the current project</button>
          </div>
        </div>
      )}
      <JobProgress jobId={jobId} unit={mode === 'backup' ? 'items' : 'bytes'} />
      {message && <p className={message.kind === 'error' ? 'form-error' : 'export-result'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="backup-message">{message.text}</p>}
    </div>
  );
}
