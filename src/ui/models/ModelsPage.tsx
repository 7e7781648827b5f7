import { useState } from 'react';
import { getBackendPreference, reloadActive, setBackendPreference, type ActiveLocal, type ActivePlanner } from '../../inference/registry';
import { inferenceClient } from '../../inference/client';
import { exposeForAutomation } from '../../app/automation';
import { inferenceAutomation } from '../../inference/automationHook';
import type { BackendPreference } from '../../app/models/models';
import { EmptyState } from '../common/EmptyState';
import { notifyError } from '../../app/toasts';
import { AddModel } from './AddModel';
import { ModelList } from './ModelList';
import { PrelabelPanel } from './PrelabelPanel';
import { RemotePlannerForm } from './RemotePlannerForm';
import { TryPlanner } from './TryPlanner';
import { useRegistry } from './useRegistry';
import './models.css';

exposeForAutomation('__pathStudioInference', inferenceAutomation());

function ActiveSlot({ role, active }: { role: string; active: ActivePlanner | ActiveLocal | null }) {
  if (!active) return <div className="models-slot" data-testid={`active-${role}`}><span className="muted">No {role} active</span></div>;
  if (active.kind === 'remote')
    return <div className="models-slot" data-testid={`active-${role}`}><strong>Remote: {active.config.model}</strong><div className="muted small">{active.config.url} · {(active.config.connection ?? 'relay') === 'relay' ? "through the studio's relay" : 'directly from the browser'}</div></div>;
  const stats = inferenceClient().latency(active.key);
  return (
    <div className="models-slot" data-testid={`active-${role}`}>
      <strong>{active.record.name}</strong> <span className="badge" data-testid={`backend-${role}`}>{active.loaded.backend}</span>
      <div className="muted small" data-testid={`backend-reason-${role}`}>{active.loaded.reason}</div>
      <div className="muted small">
        load {active.loaded.loadMs.toFixed(0)} ms{active.loaded.warmupMs !== null && ` · warm-up ${active.loaded.warmupMs.toFixed(0)} ms`}
        {stats && ` · p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms over ${stats.count} calls`}
      </div>
    </div>
  );
}

export default function ModelsPage() {
  const { state, models, refresh } = useRegistry();
  const [backend, setBackend] = useState<BackendPreference>(getBackendPreference);
  return (
    <section className="page models-page">
      <div className="page-header">
        <h2>Models</h2>
        <label className="small">
          Run models on{' '}
          <select
            aria-label="Inference backend"
            value={backend}
            onChange={(e) => {
              const p = e.target.value as BackendPreference;
              setBackend(p);
              setBackendPreference(p);
              void reloadActive().catch(notifyError);
            }}
          >
            <option value="auto">Automatic (WebGPU on a real GPU, else WASM)</option>
            <option value="wasm">WASM (CPU)</option>
            <option value="webgpu">WebGPU (even a software adapter)</option>
          </select>
        </label>
      </div>
      <div className="models-active">
        <div><h3>Active planner</h3><ActiveSlot role="planner" active={state.planner} /></div>
        <div><h3>Active policy</h3><ActiveSlot role="policy" active={state.policy} /></div>
      </div>
      {state.busy && <p className="muted" aria-live="polite">{state.busy}</p>}
      {state.lastError && <p className="models-error" role="alert" data-testid="registry-error">{state.lastError}</p>}
      {models === null ? (
        <p className="muted">Loading models…</p>
      ) : models.length === 0 ? (
        <EmptyState title="No models yet"><p>Add an ONNX model and its card below, or connect a remote planner.</p></EmptyState>
      ) : (
        <ModelList models={models} state={state} onChange={() => void refresh()} />
      )}
      <div className="models-grid">
        <TryPlanner />
        <AddModel onAdded={() => void refresh()} />
        <PrelabelPanel />
        <RemotePlannerForm />
      </div>
    </section>
  );
}
