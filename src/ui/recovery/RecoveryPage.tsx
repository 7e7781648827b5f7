import { useEffect, useState } from 'react';
import { checkDatabase, removeRecords, resetDatabase, type DatabaseCheck } from '../../app/recovery/recovery';
import { BackupPanel } from '../export/BackupPanel';
import { errorMessage } from '../../core/errorMessage';

/**
 * Reachable when any section fails to render (its error screen links here) and directly at
 * /recovery: back up what is there, restore a backup, remove the records the studio cannot use,
 * or start over. It renders no record content, so a bad record cannot break it.
 */
export default function RecoveryPage() {
  const [check, setCheck] = useState<DatabaseCheck | null>(null);
  const [busy, setBusy] = useState<string | null>('Checking every record…');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [confirmReset, setConfirmReset] = useState(false);

  const recheck = async () => {
    setBusy('Checking every record…');
    try {
      setCheck(await checkDatabase());
      setError(null);
    } catch (e) {
      setError(`The database could not be read: ${errorMessage(e)}. Restore a backup or start over below.`);
    } finally {
      setBusy(null);
    }
  };
  useEffect(() => { void recheck(); }, []);

  const act = async (label: string, fn: () => Promise<string>) => {
    setBusy(label);
    try {
      setMessage(await fn());
    } catch (e) {
      setError(errorMessage(e));
    }
    await recheck();
  };

  return (
    <div className="page recovery-page">
      <h1>Recovery</h1>
      <p className="muted">The project's records, checked one by one without showing them. Back up first: the backup holds every record as it is, bad ones included.</p>
      {busy && <p aria-busy="true">{busy}</p>}
      {error && <p className="form-error" role="alert">{error}</p>}
      {message && <p className="export-result" role="status" data-testid="recovery-message">{message}</p>}
      {check && (
        <section data-testid="recovery-check">
          <p>{check.tables.map((t) => `${t.records} ${t.name}`).join(' · ')}</p>
          {check.bad.length === 0 ? (
            <p data-testid="recovery-ok">Every record is one the studio can use.</p>
          ) : (
            <>
              <p role="alert">{check.bad.length} record{check.bad.length > 1 ? 's' : ''} the studio cannot use:</p>
              <ul data-testid="recovery-bad">
                {check.bad.slice(0, 50).map((b) => <li key={`${b.table}/${b.id}`}><code>{b.table}</code> {b.id}: {b.problem}</li>)}
              </ul>
              {check.bad.length > 50 && <p>…and {check.bad.length - 50} more.</p>}
              <button className="btn btn-danger" disabled={busy !== null} onClick={() => void act('Removing…', async () => `Removed ${await removeRecords(check.bad)} records; everything else is as it was.`)}>
                Remove these {check.bad.length} records
              </button>
            </>
          )}
        </section>
      )}
      <h2>Back up or restore</h2>
      <BackupPanel />
      <h2>Start over</h2>
      {!confirmReset ? (
        <button className="btn" disabled={busy !== null} onClick={() => setConfirmReset(true)}>Empty the project…</button>
      ) : (
        <div className="confirm-box" role="alertdialog" aria-label="Confirm reset">
          <p>This deletes <b>every</b> dataset, sample, episode, model and run in this browser. Back up first if you may need any of it.</p>
          <div className="toolbar">
            <button className="btn btn-danger" onClick={() => { setConfirmReset(false); void act('Emptying…', async () => { await resetDatabase(); return 'The project is empty.'; }); }}>Delete everything</button>
            <button className="btn" onClick={() => setConfirmReset(false)}>Keep it</button>
          </div>
        </div>
      )}
    </div>
  );
}
