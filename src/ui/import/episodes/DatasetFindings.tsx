/**
 * What the reader found in the opened dataset (its DatasetInspection): episodes on disk, every
 * column with its role and names, every camera's files. The user can change a column's role; the
 * dataset is then re-read with the new roles.
 */
import { CHOOSABLE_ROLES, ROLE_LABELS } from '../../../app/episodes/episodeLabels';
import type { ColumnRole, DatasetInspection } from '../../../importers/episodes/inspection';

const shortNames = (names: string[]) => (names.length <= 8 ? names.join(', ') : `${names.slice(0, 6).join(', ')}, … ${names[names.length - 1]} (${names.length})`);

export function DatasetFindings({ inspection, onRoleChange, busy }: {
  inspection: DatasetInspection;
  /** Null when the roles cannot be changed (HDF5). */
  onRoleChange: ((key: string, role: ColumnRole) => void) | null;
  busy: boolean;
}) {
  const { episodes, columns, cameras } = inspection;
  const data = columns.filter((c) => c.role !== 'camera');
  return (
    <details className="ep-findings" open data-testid="dataset-findings">
      <summary>
        Found: <span data-testid="episodes-found">{episodes.present} of {episodes.listed} episodes on disk</span>
        {' · '}{data.length} columns · {cameras.length} camera{cameras.length === 1 ? '' : 's'}
      </summary>
      <table className="ep-table" aria-label="Columns">
        <thead><tr><th>column</th><th>role</th><th>values</th><th>names</th></tr></thead>
        <tbody>
          {data.map((c) => (
            <tr key={c.key} data-testid={`column-${c.key}`}>
              <td><code>{c.key}</code></td>
              <td>
                {onRoleChange && c.role !== 'index' ? (
                  <select aria-label={`Role of ${c.key}`} value={c.role} disabled={busy} onChange={(e) => onRoleChange(c.key, e.target.value as ColumnRole)}>
                    {CHOOSABLE_ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
                  </select>
                ) : ROLE_LABELS[c.role]}
                {c.role !== c.detected && <span className="muted"> (detected: {ROLE_LABELS[c.detected]})</span>}
              </td>
              <td>{c.names.length}</td>
              <td className="muted" title={c.names.join(', ')}>{shortNames(c.names)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="ep-table" aria-label="Cameras">
        <thead><tr><th>camera</th><th>codec (from the file)</th><th>files found</th><th>missing</th></tr></thead>
        <tbody>
          {cameras.map((c) => (
            <tr key={c.key} data-testid={`camera-${c.key}`}>
              <td><code>{c.key}</code></td>
              <td>{c.codec ?? '–'}</td>
              <td>{c.found.length}</td>
              <td>{c.missing.length ? `${c.missing.length} (episode${c.episodesWithout.length === 1 ? '' : 's'} without frames: ${c.episodesWithout.length})` : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
