import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ModelsController, type ModelsState } from '../../app/models/modelsController';
import type { ActiveLocal, ActivePlanner } from '../../inference/registry';
import { EmptyState } from '../common/EmptyState';
import { AddModel } from './AddModel';
import { ModelList } from './ModelList';
import { PrelabelPanel } from './PrelabelPanel';
import { RemotePlannerForm } from './RemotePlannerForm';
import { TeamModels } from './TeamModels';
import { TryPlanner } from './TryPlanner';
import './models.css';

/**
 * One active model: a name line, a reason of up to two lines and a line of timings, always as tall, so that the model
 * list below does not move (under a pointer about to click) while the built-ins load.
 */
function SlotLines({ role, title, detail, extra }: { role: 'planner' | 'policy'; title: ReactNode; detail?: string; extra?: ReactNode }) {
  return (
    <div className="models-slot" data-testid={`active-${role}`}>
      <div className="models-slot-title">{title}</div>
      <div className="muted small models-slot-reason" data-testid={`backend-reason-${role}`} title={detail}>{detail ?? '\u00a0'}</div>
      <div className="muted small">{extra ?? '\u00a0'}</div>
    </div>
  );
}

function ActiveSlot({ role, active, controller }: { role: 'planner' | 'policy'; active: ActivePlanner | ActiveLocal | null; controller: ModelsController }) {
  if (!active) return <SlotLines role={role} title={<span className="muted">No {role} active</span>} />;
  if (active.kind === 'remote')
    return <SlotLines role={role} title={<strong>Remote: {active.config.model}</strong>} detail={`${active.config.url} · ${(active.config.connection ?? 'relay') === 'relay' ? "through the studio's relay" : 'directly from the browser'}`} />;
  const stats = controller.latency(role);
  return (
    <SlotLines
      role={role}
      title={<><strong>{active.record.name}</strong><span className="badge" data-testid={`backend-${role}`}>{active.loaded.backend}</span></>}
      detail={active.loaded.reason}
      extra={<>
        load {active.loaded.loadMs.toFixed(0)} ms{active.loaded.warmupMs !== null && ` · warm-up ${active.loaded.warmupMs.toFixed(0)} ms`}
        {stats && ` · p50 ${stats.p50.toFixed(1)} ms, p95 ${stats.p95.toFixed(1)} ms over ${stats.count} calls`}
      </>}
    />
  );
}

export default function ModelsPage() {
  const [controller] = useState(() => new ModelsController());
  useEffect(() => controller.open(), [controller]);
  const { registry, models, backend } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  return (
    <section className="page models-page">
      <div className="page-header">
        <h2>Models</h2>
        <label className="small">
          Run models on{' '}
          <select aria-label="Inference backend" value={backend} onChange={(e) => controller.setBackend(e.target.value as ModelsState['backend'])}>
            <option value="auto">Automatic (WebGPU on a real GPU, else WASM)</option>
            <option value="wasm">WASM (CPU)</option>
            <option value="webgpu">WebGPU (even a software adapter)</option>
          </select>
        </label>
      </div>
      <div className="models-active">
        <div><h3>Active planner</h3><ActiveSlot role="planner" active={registry.planner} controller={controller} /></div>
        <div><h3>Active policy</h3><ActiveSlot role="policy" active={registry.policy} controller={controller} /></div>
      </div>
      {/* Always there (empty when idle), so that loading does not move the list below. */}
      <p className="muted models-busy" aria-live="polite">{registry.busy ?? '\u00a0'}</p>
      {registry.lastError && <p className="models-error" role="alert" data-testid="registry-error">{registry.lastError}</p>}
      {models === null ? (
        <p className="muted">Loading models…</p>
      ) : models.length === 0 ? (
        <EmptyState title="No models yet"><p>Add an ONNX model and its card below, or connect a remote planner.</p></EmptyState>
      ) : (
        <ModelList models={models} registry={registry} controller={controller} />
      )}
      <div className="models-grid">
        <TryPlanner controller={controller} />
        <AddModel controller={controller} />
        <PrelabelPanel controller={controller} />
        <RemotePlannerForm controller={controller} />
        <TeamModels controller={controller} models={models} />
      </div>
    </section>
  );
}
