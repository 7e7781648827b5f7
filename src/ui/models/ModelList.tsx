import { activateModel, removeModel, type RegistryState } from '../../inference/registry';
import { formatBytes } from '../../core/formatBytes';
import { BUILTIN_MODEL_PREFIX } from '../../app/models/models';
import type { ModelRecord } from '../../app/records';
import { notifyError } from '../../app/toasts';

function metricLine(card: Record<string, unknown>): string | null {
  const m = card.metrics as Record<string, number> | undefined;
  if (!m || m.mean_point_distance === undefined) return null;
  return `held-out: mean point distance ${m.mean_point_distance}, endpoint ${m.endpoint_error}, gripper events ${(100 * m.gripper_event_accuracy).toFixed(0)}%`;
}

export function ModelList({ models, state, onChange }: { models: ModelRecord[]; state: RegistryState; onChange: () => void }) {
  const isActive = (m: ModelRecord) => {
    const a = m.role === 'planner' ? state.planner : state.policy;
    return a?.kind === 'local' && a.record.id === m.id;
  };
  return (
    <table className="models-table" data-testid="model-list">
      <thead>
        <tr><th>Name</th><th>Role</th><th>Conditioning</th><th>Size</th><th /></tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.id} data-testid="model-row" data-model-id={m.id}>
            <td>
              <strong>{m.name}</strong> {m.id.startsWith(BUILTIN_MODEL_PREFIX) && <span className="badge">built-in</span>}{' '}
              {isActive(m) && <span className="badge badge-done">active</span>}
              {metricLine(m.card) && <div className="muted small">{metricLine(m.card)}</div>}
            </td>
            <td>{m.role}</td>
            <td>{String(m.card.conditioning ?? (m.role === 'planner' ? 'instruction' : ''))}</td>
            <td>{formatBytes(m.onnx.size)}</td>
            <td className="models-actions">
              <button className="btn btn-small" disabled={isActive(m) || state.busy !== null} onClick={() => void activateModel(m.id).then(onChange, notifyError)}>
                Make active
              </button>
              {!m.id.startsWith(BUILTIN_MODEL_PREFIX) && (
                <button className="btn btn-small btn-danger" onClick={() => void removeModel(m.id).then(onChange, notifyError)} aria-label={`Remove ${m.name}`}>
                  Remove
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
