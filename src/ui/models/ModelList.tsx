import { formatBytes } from '../../core/formatBytes';
import { isBuiltinModel, type ModelsController } from '../../app/models/modelsController';
import type { ModelRecord } from '../../app/records';
import type { RegistryState } from '../../inference/registry';

function metricLine(card: Record<string, unknown>): string | null {
  const m = card.metrics as Record<string, number> | undefined;
  if (!m || m.mean_point_distance === undefined) return null;
  return `held-out: mean point distance ${m.mean_point_distance}, endpoint ${m.endpoint_error}, gripper events ${(100 * m.gripper_event_accuracy).toFixed(0)}%`;
}

export function ModelList({ models, registry, controller }: { models: ModelRecord[]; registry: RegistryState; controller: ModelsController }) {
  const isActive = (m: ModelRecord) => {
    const a = m.role === 'planner' ? registry.planner : registry.policy;
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
              <strong>{m.name}</strong> {isBuiltinModel(m) && <span className="badge">built-in</span>}{' '}
              {isActive(m) && <span className="badge badge-done">active</span>}
              {metricLine(m.card) && <div className="muted small">{metricLine(m.card)}</div>}
            </td>
            <td>{m.role}</td>
            <td>{String(m.card.conditioning ?? (m.role === 'planner' ? 'instruction' : ''))}</td>
            <td>{formatBytes(m.onnx.size)}</td>
            <td className="models-actions">
              <button className="btn btn-small" disabled={isActive(m) || registry.busy !== null} onClick={() => void controller.activate(m.id)}>
                Make active
              </button>
              {!isBuiltinModel(m) && (
                <button className="btn btn-small btn-danger" onClick={() => void controller.remove(m.id)} aria-label={`Remove ${m.name}`}>
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
