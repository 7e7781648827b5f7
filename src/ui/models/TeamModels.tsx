import { useEffect, useState, useSyncExternalStore } from 'react';
import { formatBytes } from '../../core/formatBytes';
import { isBuiltinModel, type ModelsController } from '../../app/models/modelsController';
import type { ModelRecord } from '../../app/records';
import { team } from '../../app/team/teamController';

/**
 * Models shared through the team server (docs/TEAMS.md, Models): share one of this browser's, or
 * bring one a teammate shared into this browser. Shown once signed in to a team server.
 */
export function TeamModels({ controller, models }: { controller: ModelsController; models: ModelRecord[] | null }) {
  const state = useSyncExternalStore(team.subscribe, team.getSnapshot);
  const [toShare, setToShare] = useState('');
  const [busy, setBusy] = useState(false);
  const [here, setHere] = useState<Set<string>>(new Set());
  const signedIn = state.user !== null;

  useEffect(() => {
    if (signedIn) void team.refreshModels();
  }, [signedIn]);
  // Which shared graphs this browser has already: by the SHA-256 of its models' files, read only
  // once there is a team model to compare with (hashing every built-in on each visit is not free).
  const shared = signedIn && (state.models?.length ?? 0) > 0;
  useEffect(() => {
    if (!shared) return;
    let live = true;
    void team.graphsHere(models ?? []).then((hashes) => live && setHere(hashes));
    return () => {
      live = false;
    };
  }, [models, shared]);

  if (!signedIn) return null;
  const own = (models ?? []).filter((m) => !isBuiltinModel(m));
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      await controller.refresh();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card" aria-label="Team models">
      <h3>Team models</h3>
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (toShare) void run(() => team.shareModel(toShare)); }}>
        <select aria-label="Model to share" value={toShare} onChange={(e) => setToShare(e.target.value)}>
          <option value="">{own.length ? 'Choose one of your models…' : 'Add a model first'}</option>
          {own.map((m) => <option key={m.id} value={m.id}>{m.name} ({m.role})</option>)}
        </select>
        <button className="btn" type="submit" disabled={!toShare || busy}>Share with the team</button>
        <button className="btn btn-small" type="button" onClick={() => void team.refreshModels()} disabled={busy}>Refresh</button>
      </form>
      {state.message && <p role={state.message.ok ? 'status' : 'alert'} className={state.message.ok ? 'muted' : 'models-error'} data-testid="team-models-message">{state.message.text}</p>}
      {state.models && state.models.length === 0 && <p className="muted">Nobody has shared a model on this team server yet.</p>}
      {state.models && state.models.length > 0 && (
        <table className="models-table" data-testid="team-model-list">
          <thead>
            <tr><th>Name</th><th>Role</th><th>Shared by</th><th>Size</th><th /></tr>
          </thead>
          <tbody>
            {state.models.map((m) => (
              <tr key={m.id} data-testid="team-model-row">
                <td><strong>{m.name}</strong></td>
                <td>{m.role}</td>
                <td>{m.sharedBy}{m.sharedAt ? `, ${new Date(m.sharedAt).toLocaleDateString()}` : ''}</td>
                <td>{formatBytes(m.size)}</td>
                <td>
                  {here.has(m.sha256) ? (
                    <span className="muted">here</span>
                  ) : (
                    <button className="btn btn-small" disabled={busy} onClick={() => void run(() => team.fetchModel(m))} aria-label={`Get ${m.name}`}>Get</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">A model is shared as its ONNX file and card, named by the file's SHA-256: the same graph is stored once on the server.</p>
    </div>
  );
}
