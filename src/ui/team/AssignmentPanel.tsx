import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { SAMPLE_STATUSES, type SampleStatus } from '../../app/records';
import { team, type TeamQueue } from '../../app/team/teamController';

/**
 * Work assignment in a shared dataset (docs/TEAMS.md, Assignment): an annotator sees their queue
 * (the positions a reviewer gave them, how many are left, where to start); a reviewer or admin
 * gives ranges to annotators and sees who has what. Nothing for a dataset that is not shared.
 */
export function AssignmentPanel({ datasetId }: { datasetId: string }) {
  const state = useSyncExternalStore(team.subscribe, team.getSnapshot);
  const shared = state.datasets[datasetId];
  const [queue, setQueue] = useState<TeamQueue | null>(null);
  const [form, setForm] = useState({ annotator: '', from: '1', to: '', status: '' as SampleStatus | '' });
  const assignments = shared?.assignments;

  useEffect(() => {
    let live = true;
    if (assignments) void team.queue(datasetId).then((q) => live && setQueue(q));
    return () => void (live = false);
  }, [datasetId, assignments]);

  if (!shared) return null;
  const reviews = shared.role === 'reviewer' || shared.role === 'admin';
  if (!queue && !reviews) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void team.assign(datasetId, form.annotator, { from: Number(form.from), to: Number(form.to), statuses: form.status ? [form.status] : [] });
  };

  return (
    <div className="team-assignments" data-testid="team-assignments">
      {queue && (
        <p data-testid="team-queue">
          <strong>Your queue</strong>: samples {queue.assignment.from}–{queue.assignment.to}
          {queue.assignment.statuses.length > 0 && ` (${queue.assignment.statuses.join(', ')})`}, assigned by {queue.assignment.assignedBy} —{' '}
          <span data-testid="team-queue-todo">{queue.todo.length}</span> of {queue.samples.length} to do.{' '}
          {queue.todo.length > 0 && <Link className="btn btn-small" to={`/annotate/${datasetId}/${queue.todo[0].id}`}>Start</Link>}
        </p>
      )}
      {reviews && (
        <>
          {shared.assignments.length > 0 && (
            <ul className="muted" aria-label="Assignments">
              {shared.assignments.map((a) => (
                <li key={a.annotator} data-testid="team-assignment" data-annotator={a.annotator}>
                  {a.annotator}: samples {a.from}–{a.to}{a.statuses.length ? ` (${a.statuses.join(', ')})` : ''}, by {a.assignedBy}{' '}
                  <button className="btn btn-small" onClick={() => void team.assign(datasetId, a.annotator, null)}>Withdraw</button>
                </li>
              ))}
            </ul>
          )}
          <form className="inline-form" aria-label="Assign samples" onSubmit={submit}>
            Assign samples
            <input aria-label="From position" type="number" min={1} value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} style={{ width: '5em' }} />
            to
            <input aria-label="To position" type="number" min={1} value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} style={{ width: '5em' }} />
            <select aria-label="Only status" value={form.status} onChange={(e) => setForm({ ...form, status: e.target.value as SampleStatus | '' })}>
              <option value="">any status</option>
              {SAMPLE_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
            to
            <input aria-label="Annotator" placeholder="annotator" value={form.annotator} onChange={(e) => setForm({ ...form, annotator: e.target.value })} />
            <button className="btn btn-small" type="submit" disabled={!form.annotator || !form.to}>Assign</button>
          </form>
        </>
      )}
    </div>
  );
}
