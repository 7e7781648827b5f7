import { SKIP_REASON_TEXT, WARNING_TEXT } from '../../app/export/hamsterExport';
import type { HamsterSummary } from '../../exporters/hamster/plan';
import { formatBytes } from '../../core/formatBytes';
import { SAMPLE_SOURCES, SAMPLE_STATUSES } from '../../app/records';

const LISTED = 50;

/** What an export will contain, and the samples that will be skipped or look wrong. */
export function HamsterSummaryView({ summary }: { summary: HamsterSummary }) {
  return (
    <div className="export-summary" data-testid="export-summary">
      <div className="summary-counts">
        <table>
          <caption>Samples in “{summary.datasetName}”</caption>
          <tbody>
            {SAMPLE_STATUSES.map((s) => <tr key={s}><th>{s}</th><td data-testid={`summary-status-${s}`}>{summary.byStatus[s]}</td></tr>)}
          </tbody>
        </table>
        <table>
          <caption>By source</caption>
          <tbody>
            {SAMPLE_SOURCES.filter((s) => summary.bySource[s] > 0).map((s) => <tr key={s}><th>{s}</th><td>{summary.bySource[s]}</td></tr>)}
          </tbody>
        </table>
        <table>
          <caption>Will be written</caption>
          <tbody>
            <tr><th>training records</th><td data-testid="summary-train">{summary.train.samples}</td></tr>
            <tr><th>validation records</th><td data-testid="summary-val">{summary.validation.samples}</td></tr>
            <tr><th>images</th><td>{summary.images} ({formatBytes(summary.imageBytes)})</td></tr>
            <tr><th>skipped</th><td data-testid="summary-skipped">{summary.skipped.length}</td></tr>
          </tbody>
        </table>
      </div>
      {summary.skipped.length > 0 && (
        <details className="summary-list summary-skipped" open>
          <summary>{summary.skipped.length} sample{summary.skipped.length === 1 ? '' : 's'} will be skipped (not written)</summary>
          <ul>
            {summary.skipped.slice(0, LISTED).map((s) => (
              <li key={s.sampleId}><a href={`/annotate/${summary.datasetId}/${s.sampleId}`}>{s.fileName}</a> {SKIP_REASON_TEXT[s.reason]}</li>
            ))}
            {summary.skipped.length > LISTED && <li className="muted">…and {summary.skipped.length - LISTED} more (all listed in export_info.json)</li>}
          </ul>
        </details>
      )}
      {summary.warnings.length > 0 && (
        <details className="summary-list summary-warnings">
          <summary>{summary.warnings.length} path{summary.warnings.length === 1 ? '' : 's'} look{summary.warnings.length === 1 ? 's' : ''} wrong (exported anyway)</summary>
          <ul>
            {summary.warnings.slice(0, LISTED).map((w) => (
              <li key={`${w.sampleId}-${w.warning}`}><a href={`/annotate/${summary.datasetId}/${w.sampleId}`}>{w.fileName}</a>: {WARNING_TEXT[w.warning]}</li>
            ))}
            {summary.warnings.length > LISTED && <li className="muted">…and {summary.warnings.length - LISTED} more</li>}
          </ul>
        </details>
      )}
    </div>
  );
}
