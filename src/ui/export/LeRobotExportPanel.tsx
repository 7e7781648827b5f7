import { Link } from 'react-router-dom';
import { leRobotExportController } from '../../app/export/leRobotExport';
import { ExportFilterFields } from './ExportFilterFields';
import { JobProgress } from './JobProgress';
import { useExportController } from './useExportController';

/** LeRobot v3.0 export of a dataset's episodes (lazy: mediabunny + parquet writer load with it). */
export default function LeRobotExportPanel({ datasetId }: { datasetId: string }) {
  const [controller, state] = useExportController(() => leRobotExportController(datasetId));
  // The last plan stays on screen while the filter is re-planned, so the fields keep their focus.
  const { options: filter, plan, planError, jobId, result } = state;
  const busy = jobId !== null;

  if (planError) return <p className="form-error" role="alert">{planError}</p>;
  if (!plan) return <p className="muted">Reading the episodes…</p>;
  if (!plan.episodes.length && !plan.skipped.length && !plan.filteredOut) {
    return <p className="muted" data-testid="no-episodes">This dataset has no episodes. <Link to="/import/episodes">Import robot or simulator episodes</Link> first; images alone export as a HAMSTER zip.</p>;
  }
  return (
    <div className="export-panel">
      <fieldset className="export-options" disabled={busy}>
        <legend>Which episodes and paths</legend>
        <ExportFilterFields value={filter} onChange={(f) => controller.setOptions(f)} fields={['outcomes', 'task', 'statuses', 'sources']} outcomeCounts={plan.byOutcome} />
        <p className="muted">Statuses and sources choose the samples whose paths label the frames; outcome and task choose the episodes.</p>
      </fieldset>
      <div className="summary-counts" data-testid="lerobot-summary">
        <table>
          <caption>Will be written</caption>
          <tbody>
            <tr><th>episodes</th><td data-testid="lerobot-episodes">{plan.episodes.length}</td></tr>
            <tr><th>frames</th><td>{plan.totalFrames}</td></tr>
            <tr><th>frames with a path</th><td data-testid="lerobot-path-frames">{plan.framesWithPath}</td></tr>
            <tr><th>left out by the filter</th><td data-testid="lerobot-filtered">{plan.filteredOut}</td></tr>
            <tr><th>skipped episodes</th><td>{plan.skipped.length}</td></tr>
          </tbody>
        </table>
      </div>
      {plan.skipped.length > 0 && (
        <details className="summary-list summary-skipped" open>
          <summary>{plan.skipped.length} episode{plan.skipped.length === 1 ? '' : 's'} will be skipped</summary>
          <ul>{plan.skipped.slice(0, 50).map((s) => <li key={s.episodeId}>“{s.task}” {s.reason}</li>)}</ul>
        </details>
      )}
      <p className="muted">Camera video (H.264), the path-overlay video and the 2D path of each frame's segment (<code>observation.path</code>, 32 points) with state and action, as <code>lerobot</code> reads them.</p>
      <div className="toolbar">
        <button className="btn btn-primary" disabled={!controller.canExport()} onClick={() => void controller.export()}>Export LeRobot dataset</button>
      </div>
      <JobProgress jobId={jobId} unit="items" />
      {result && <p className="export-result" role="status">{result}</p>}
    </div>
  );
}
