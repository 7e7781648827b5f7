import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Path } from '../../core/path';
import type { LiveSession, LiveSnapshot } from '../../robot/liveSession';
import type { ModelRecord } from '../../app/records';
import { notifyError } from '../../app/toasts';
import { activateModel, activePlannerStatus, getRegistryState, listModels, restoreActiveModels, runModels, subscribeRegistry } from '../../app/live/modelAdapters';
import { errorMessage } from '../../core/errorMessage';

const ZERO_ID = 'zero';

/** Instruction → planner path (or the operator's sketch) → policy, with re-planning and take-over. */
export function RunPanel({ session, snap, draftPath, onDraftPath }: { session: LiveSession; snap: LiveSnapshot; draftPath: Path | null; onDraftPath: (p: Path | null) => void }) {
  const registry = useSyncExternalStore(subscribeRegistry, getRegistryState);
  const [instruction, setInstruction] = useState('');
  const [policies, setPolicies] = useState<ModelRecord[]>([]);
  const [replanEvery, setReplanEvery] = useState(0);
  const [usePlanner, setUsePlanner] = useState(true);
  const connected = snap.link?.state === 'connected';
  const running = snap.mode === 'model';
  const planner = activePlannerStatus();
  const policyId = registry.policy?.record.id ?? ZERO_ID;

  useEffect(() => {
    void restoreActiveModels().catch(() => undefined).then(() => listModels()).then((all) => setPolicies(all.filter((m) => m.role === 'policy')));
  }, [registry.policy]);

  const effectiveInstruction = instruction.trim() || snap.taskInstruction;

  const run = () => {
    try {
      const { policy, planner: plannerImpl } = runModels(usePlanner);
      if (!plannerImpl && !draftPath && policy.conditioning === 'path') {
        notifyError('No path: sketch one on the camera image, or activate a planner in Models.');
        return;
      }
      session.startModel({ policy, planner: plannerImpl, instruction: effectiveInstruction, path: draftPath, replanEverySec: replanEvery, stopAfterSuccessMs: 1500 });
    } catch (err) {
      notifyError(errorMessage(err));
    }
  };

  const choosePolicy = (id: string) => {
    if (id === ZERO_ID) return;
    void activateModel(id).catch((err) => notifyError(errorMessage(err)));
  };

  return (
    <section className="live-panel" aria-label="Run the model">
      <h3>Run the hierarchical model</h3>
      <div className="live-row">
        <input
          className="live-instruction"
          value={instruction}
          placeholder={snap.taskInstruction || 'put the red cube in the blue bowl'}
          onChange={(e) => setInstruction(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && connected && !running) run(); }}
          aria-label="Instruction"
        />
        <button className="btn btn-primary" disabled={!connected || running || !effectiveInstruction} onClick={run} data-testid="run-model">Run</button>
      </div>
      <div className="live-row live-small">
        <label><input type="checkbox" checked={usePlanner} onChange={(e) => setUsePlanner(e.target.checked)} /> Planner: {planner.ready ? <b>{planner.name}</b> : <span className="muted">{planner.reason}</span>}</label>
      </div>
      <div className="live-row live-small">
        <label>Policy{' '}
          <select value={policyId} onChange={(e) => choosePolicy(e.target.value)} aria-label="Policy" disabled={running || registry.busy !== null}>
            {!registry.policy && <option value={ZERO_ID}>None — holds still (zero policy)</option>}
            {policies.map((m) => <option key={m.id} value={m.id}>{m.name}{(m.card as { conditioning?: string }).conditioning === 'none' ? ' (flat baseline)' : ''}</option>)}
          </select>
        </label>
        {registry.busy && <span className="muted">{registry.busy}</span>}
        {registry.policy && <span className="muted">{registry.policy.loaded.backend.toUpperCase()} · {registry.policy.card.control_rate_hz ?? 10} Hz</span>}
      </div>
      <div className="live-row live-small">
        <button className="btn btn-small" disabled={!running || !usePlanner || !registry.planner} onClick={() => session.replan()}>Re-plan now</button>
        <label>re-plan every <input type="number" min={0} max={60} value={replanEvery} onChange={(e) => setReplanEvery(Math.max(0, Number(e.target.value) || 0))} style={{ width: 48 }} aria-label="Re-plan every N seconds" /> s (0 = on demand)</label>
      </div>
      <div className="live-row live-small">
        <span data-testid="path-status">
          {snap.planner.busy ? 'Planning…' : snap.planner.error ? `Planner failed: ${snap.planner.error}` : running && snap.path
            ? `Path v${snap.pathVersion} from the ${snap.pathSource} (${snap.path.points.length} points)`
            : draftPath ? `Sketched path (${draftPath.points.length} points) — used instead of the planner's first answer` : 'Drag on the camera image to sketch a path.'}
        </span>
        {!running && draftPath && <button className="btn btn-small" onClick={() => onDraftPath(null)}>Clear sketch</button>}
      </div>
      <div className="live-row">
        <button className="btn" disabled={!running} onClick={() => session.setIntervention(!snap.intervening)} data-testid="intervene" title="Take over with the keyboard, gamepad or 3D gizmo (T)">
          {snap.intervening ? 'Hand back to the model (T)' : 'Take over (T)'}
        </button>
        <button className="btn" disabled={snap.mode === 'idle'} onClick={() => session.stop('stop', 'stopped by the operator')}>Stop</button>
      </div>
    </section>
  );
}
