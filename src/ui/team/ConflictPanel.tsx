import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { ConflictView } from '../../app/team/conflictView';
import { team, type ConflictVersion, type MergeField } from '../../app/team/teamController';
import { useThumbnailUrl } from '../library/useThumbnailUrl';

const FIELDS: { field: MergeField; label: string }[] = [
  { field: 'path', label: 'Path' },
  { field: 'instruction', label: 'Instruction' },
  { field: 'status', label: 'Status (and review)' },
];

/** One version's path drawn over the sample's thumbnail. */
function PathPreview({ version }: { version: ConflictVersion }) {
  const url = useThumbnailUrl(version.record.assetId);
  const points = version.record.path?.points ?? [];
  return (
    <svg viewBox="0 0 160 120" width={160} height={120} role="img" aria-label={`Path of ${version.changedBy}'s version: ${points.length} points`} style={{ background: '#222', borderRadius: 4 }}>
      {url && <image href={url} x={0} y={0} width={160} height={120} preserveAspectRatio="none" />}
      <polyline points={points.map((p) => `${p.x * 160},${p.y * 120}`).join(' ')} fill="none" stroke="#ffcc00" strokeWidth={2} />
      {points.map((p, i) => <circle key={i} cx={p.x * 160} cy={p.y * 120} r={3} fill={p.gripper === 'closed' ? '#e5484d' : '#30a46c'} />)}
    </svg>
  );
}

/**
 * A sample edited in two places while apart (docs/TEAMS.md, Conflicts): the versions side by side,
 * with who made each and when. Keep one, or take each field from the version that has it right;
 * the result replaces every version, here and on the server (app/team/conflictView.ts).
 */
export function ConflictPanel({ datasetId, sampleId, onClose }: { datasetId: string; sampleId: string; onClose: () => void }) {
  const view = useMemo(() => new ConflictView(team, datasetId, sampleId, () => team.getSnapshot().datasets[datasetId]?.role ?? null), [datasetId, sampleId]);
  const { versions, picks, busy, done } = useSyncExternalStore(view.subscribe, view.getSnapshot);
  useEffect(() => void view.load(), [view]);
  useEffect(() => {
    if (done) onClose();
  }, [done, onClose]);

  if (!versions) return <div className="card" data-testid="conflict-panel">Reading the versions…</div>;
  if (!versions.length || !picks) {
    return (
      <div className="card" data-testid="conflict-panel">
        <p>This sample has no conflict any more.</p>
        <button className="btn btn-small" onClick={onClose}>Close</button>
      </div>
    );
  }

  const mergeBlocked = view.blockedReason(versions[0].rev, picks);
  return (
    <div className="card" data-testid="conflict-panel" aria-label="Conflict">
      <h3>Edited in two places</h3>
      <p className="muted">
        Until you choose, every browser shows the first version. Keep one, or pick each field from the version that has it right and save the merge.
      </p>
      <div style={{ display: 'grid', gridTemplateColumns: `8em repeat(${versions.length}, minmax(12em, 1fr))`, gap: '0.5em', alignItems: 'start' }}>
        <span />
        {versions.map((v) => {
          const blocked = view.blockedReason(v.rev);
          return (
            <div key={v.rev} data-testid="conflict-version" data-changed-by={v.changedBy}>
              <strong>{v.changedBy}</strong>
              <div className="muted">{new Date(v.changedAt).toLocaleString()}{v.winner ? ' · shown now' : ''}</div>
              <button className="btn btn-small" disabled={busy || !!blocked} title={blocked ?? undefined} onClick={() => void view.keep(v.rev)}>Keep {v.changedBy}'s version</button>
            </div>
          );
        })}
        {FIELDS.map(({ field, label }) => (
          <div key={field} style={{ display: 'contents' }} role="radiogroup" aria-label={label}>
            <span>{label}</span>
            {versions.map((v) => (
              <label key={v.rev} style={{ display: 'block' }}>
                <input type="radio" name={`${sampleId}-${field}`} checked={picks[field] === v.rev} onChange={() => view.pick(field, v.rev)}
                  aria-label={`${label} from ${v.changedBy}`} />{' '}
                {field === 'path' ? <PathPreview version={v} />
                  : field === 'instruction' ? <span>{v.record.instruction || <em className="muted">none</em>}</span>
                  : <span>{v.record.status}{v.record.review ? ` (${v.record.review.verdict}${v.record.review.comment ? `: ${v.record.review.comment}` : ''})` : ''}</span>}
              </label>
            ))}
          </div>
        ))}
      </div>
      {mergeBlocked && <p className="form-error" role="alert">{mergeBlocked}</p>}
      <p className="inline-form">
        <button className="btn btn-primary" disabled={busy || !!mergeBlocked} onClick={() => void view.saveMerge()} data-testid="conflict-save-merge">Save the merge</button>
        <button className="btn" disabled={busy} onClick={onClose}>Later</button>
      </p>
    </div>
  );
}
