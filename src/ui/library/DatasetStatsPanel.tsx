/**
 * The dataset's statistics, read when the section is opened (every sample once): counts by
 * status, source and task, live runs' success, the path histograms (uPlot, loaded with the
 * panel) and the duplicate finder.
 */
import { lazy, Suspense } from 'react';
import type { DatasetController, StatsPanel } from '../../app/library/datasetController';
import { SAMPLE_SOURCES, SAMPLE_STATUSES } from '../../app/records';

const StatsCharts = lazy(() => import('./StatsCharts'));

const plural = (n: number, what: string) => `${n.toLocaleString()} ${what}${n === 1 ? '' : 's'}`;

function CountTable({ title, rows, testId }: { title: string; rows: [string, number][]; testId: string }) {
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <table className="stats-counts" data-testid={testId}>
      <caption>{title}</caption>
      <tbody>
        {rows.map(([name, n]) => (
          <tr key={name} data-testid={`${testId}-row`}>
            <th scope="row" title={name}>{name}</th>
            <td className="stats-count">{n.toLocaleString()}</td>
            <td className="stats-bar-cell"><span className="stats-bar" style={{ width: `${(100 * n) / max}%` }} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Duplicates({ panel, onSelect }: { panel: StatsPanel; onSelect: () => void }) {
  if (!panel.duplicates) return null;
  const extras = panel.duplicates.reduce((n, g) => n + g.extras.length, 0);
  if (!extras) return <p className="muted" data-testid="duplicates">No duplicates.</p>;
  return (
    <p className="stats-duplicates" data-testid="duplicates">
      <strong>{plural(extras, 'duplicate')}</strong>{' '}
      <span className="muted">of {plural(panel.duplicates.length, 'sample')}: the same image with the same path (within 0.001), or the same instruction and no path.</span>{' '}
      <button className="btn btn-small" onClick={onSelect}>Select the extra copies</button>{' '}
      <span className="muted">(the oldest of each stays unselected; then Delete, undoable)</span>
    </p>
  );
}

export function DatasetStatsPanel({ panel, controller }: { panel: StatsPanel; controller: DatasetController }) {
  const { stats } = panel;
  const runs = stats?.liveRuns;
  const extras = panel.duplicates?.reduce((n, g) => n + g.extras.length, 0) ?? 0;
  return (
    <details className="dataset-stats" data-testid="dataset-stats" open={panel.open} onToggle={(e) => controller.setStatsOpen(e.currentTarget.open)}>
      <summary>Statistics{extras > 0 && <span className="muted"> · {plural(extras, 'duplicate')}</span>}</summary>
      {panel.reading !== null && <p className="muted" aria-live="polite">Reading the samples… {panel.reading.toLocaleString()}</p>}
      <Duplicates panel={panel} onSelect={() => controller.selectDuplicateCopies()} />
      {stats && (
        <>
          <div className="stats-grid">
            <CountTable title="By status" testId="stats-status" rows={SAMPLE_STATUSES.map((s) => [s, stats.byStatus[s]])} />
            <CountTable title="By source" testId="stats-source" rows={SAMPLE_SOURCES.filter((s) => stats.bySource[s] > 0).map((s) => [s, stats.bySource[s]])} />
            <CountTable
              title={`Top tasks (${plural(stats.tasks.distinct, 'distinct task')}${stats.tasks.withoutInstruction ? `, ${stats.tasks.withoutInstruction.toLocaleString()} without an instruction` : ''})`}
              testId="stats-tasks"
              rows={stats.tasks.top.map((t) => [t.task, t.count])}
            />
            <div className="stats-runs" data-testid="stats-live-runs">
              <h3>Live runs</h3>
              {runs && runs.runs > 0 ? (
                <p>
                  <strong>{runs.successRate === null ? 'no verdicts' : `${Math.round(runs.successRate * 100)}% success`}</strong>{' '}
                  <span className="muted">({runs.success} succeeded, {runs.failure} failed{runs.unknown ? `, ${runs.unknown} without a verdict` : ''} of {plural(runs.runs, 'run')})</span>
                </p>
              ) : <p className="muted">No live runs recorded in this dataset.</p>}
            </div>
          </div>
          <p className="muted">{plural(stats.withPath, 'sample')} of {stats.samples.toLocaleString()} have a path.</p>
          {stats.withPath > 0 && (
            <Suspense fallback={<p className="muted">Loading the charts…</p>}>
              <StatsCharts stats={stats} />
            </Suspense>
          )}
        </>
      )}
    </details>
  );
}
