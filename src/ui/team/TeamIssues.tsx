import { useEffect, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router-dom';
import { team } from '../../app/team/teamController';
import { AssignmentPanel } from './AssignmentPanel';
import { ConflictPanel } from './ConflictPanel';

/**
 * What needs a person in a shared dataset (docs/TEAMS.md): who else works in it now and where,
 * changes the server refused (what was refused, why, and what to do) and samples edited in two
 * places (open the side-by-side view). Nothing for a dataset that is not shared or has nothing to say.
 */
export function TeamIssues({ datasetId, assignments = true }: { datasetId: string; assignments?: boolean }) {
  const state = useSyncExternalStore(team.subscribe, team.getSnapshot);
  const shared = state.datasets[datasetId];
  const [open, setOpen] = useState<string | null>(null);
  const others = team.othersHere(datasetId);
  if (!shared || (!assignments && !shared.refused.length && !shared.conflicts.length && !others.length && !open)) return null;
  const short = (id: string) => id.slice(0, 8);
  return (
    <div className="team-issues" data-testid="team-issues" aria-label="Team: needs you">
      {assignments && <AssignmentPanel datasetId={datasetId} />}
      {others.length > 0 && (
        <p className="muted" data-testid="team-presence">
          Working now:{' '}
          {others.map((p, i) => (
            <span key={p.user} data-user={p.user} data-sample-id={p.sampleId}>
              {i > 0 && ', '}<strong>{p.user}</strong> on <Link to={`/annotate/${datasetId}/${p.sampleId}`}>sample {short(p.sampleId!)}</Link>
            </span>
          ))}
        </p>
      )}
      {shared.refused.map((r) => (
        <p key={r.docId} role="alert" className="form-error" data-testid="team-refused" data-sample-id={r.sampleId ?? ''}>
          The server refused your change to {r.sampleId ? <Link to={`/annotate/${datasetId}/${r.sampleId}`}>sample {short(r.sampleId)}</Link> : r.docId}: {r.reason}{' '}
          {r.outcome === 'reverted'
            ? 'Your change was undone here and the server’s version is back; later edits sync as usual.'
            : 'Your change is only in this browser; ask a reviewer or an admin.'}{' '}
          <button className="btn btn-small" onClick={() => team.dismissRefused(datasetId, r.docId)}>Dismiss</button>
        </p>
      ))}
      {shared.conflicts.map((id) => (
        <p key={id} className="conflict-entry" data-testid="team-conflict" data-sample-id={id}>
          <span className="badge" style={{ color: 'var(--danger)' }}>conflict</span>{' '}
          <Link to={`/annotate/${datasetId}/${id}`}>Sample {short(id)}</Link> was edited in two places while apart.{' '}
          <button className="btn btn-small" onClick={() => setOpen(id)} aria-label={`Resolve the conflict of sample ${short(id)}`}>Resolve…</button>
        </p>
      ))}
      {open && <ConflictPanel datasetId={datasetId} sampleId={open} onClose={() => setOpen(null)} />}
    </div>
  );
}

/** One sample's team notice (Annotate): who else has it open, a conflict to resolve, a refused change; says it is open here. */
export function TeamSampleNotice({ datasetId, sampleId }: { datasetId: string; sampleId: string }) {
  const state = useSyncExternalStore(team.subscribe, team.getSnapshot);
  const shared = state.datasets[datasetId];
  const [open, setOpen] = useState(false);
  const isShared = !!shared;
  // Presence: others see that this sample is open here, as long as it is.
  useEffect(() => {
    if (!isShared) return;
    team.setPresence(datasetId, sampleId);
    return () => team.setPresence(datasetId, null);
  }, [isShared, datasetId, sampleId]);
  if (!shared) return null;
  const refused = shared.refused.find((r) => r.sampleId === sampleId);
  const conflict = shared.conflicts.includes(sampleId);
  const here = team.othersHere(datasetId).filter((p) => p.sampleId === sampleId);
  if (!refused && !conflict && !here.length && !open) return null;
  return (
    <div data-testid="team-sample-notice">
      {here.length > 0 && <p className="muted" data-testid="team-sample-presence">Also on this sample: {here.map((p) => p.user).join(', ')}</p>}
      {refused && (
        <p role="alert" className="form-error">
          The server refused your change: {refused.reason} {refused.outcome === 'reverted' ? 'It was undone (reopen the sample to see the server’s version).' : ''}
        </p>
      )}
      {conflict && !open && (
        <p>
          <span className="badge" style={{ color: 'var(--danger)' }}>conflict</span> Edited in two places.{' '}
          <button className="btn btn-small" onClick={() => setOpen(true)}>Compare and resolve…</button>
        </p>
      )}
      {open && <ConflictPanel datasetId={datasetId} sampleId={sampleId} onClose={() => setOpen(false)} />}
    </div>
  );
}

/** A sample's mark on its Library tile: in conflict, refused by the server, or open by someone else. */
export function TeamSampleMark({ datasetId, sampleId }: { datasetId: string; sampleId: string }) {
  const state = useSyncExternalStore(team.subscribe, team.getSnapshot);
  const shared = state.datasets[datasetId];
  if (!shared) return null;
  const conflict = shared.conflicts.includes(sampleId);
  const refused = shared.refused.some((r) => r.sampleId === sampleId);
  const here = team.othersHere(datasetId).filter((p) => p.sampleId === sampleId).map((p) => p.user);
  if (!conflict && !refused && !here.length) return null;
  return (
    <span data-testid="team-sample-mark" data-conflict={conflict} data-refused={refused}>
      {conflict && <span className="badge" style={{ color: 'var(--danger)' }} title="Edited in two places: resolve it on the dataset's page">conflict</span>}
      {refused && <span className="badge" style={{ color: 'var(--danger)' }} title="The server refused a change: see the dataset's page">refused</span>}
      {here.length > 0 && <span className="badge" title={`Open now by ${here.join(', ')}`}>{here.join(', ')}</span>}
    </span>
  );
}
