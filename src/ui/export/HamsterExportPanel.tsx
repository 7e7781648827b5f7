import { DEFAULT_PROMPT_TEMPLATE, hamsterExportController } from '../../app/export/hamsterExport';
import type { HamsterExportOptions } from '../../exporters/hamster/plan';
import { ExportFilterFields } from './ExportFilterFields';
import { HamsterSummaryView } from './HamsterSummaryView';
import { JobProgress } from './JobProgress';
import { useExportController } from './useExportController';

export function HamsterExportPanel({ datasetId }: { datasetId: string }) {
  const [controller, state] = useExportController(() => hamsterExportController(datasetId));
  const { options, planError, optionsError, jobId, result } = state;
  // While the options are re-planned the summary is hidden: it would describe other samples.
  const plan = state.planning ? null : state.plan;
  const busy = jobId !== null;
  const set = <K extends keyof HamsterExportOptions>(k: K, v: HamsterExportOptions[K]) => controller.setOptions({ ...options, [k]: v });

  return (
    <div className="export-panel">
      <fieldset className="export-options" disabled={busy}>
        <legend>Options</legend>
        <ExportFilterFields
          value={{ ...options, outcomes: [] }}
          onChange={({ statuses, sources, task }) => controller.setOptions({ ...options, statuses, sources, task })}
          fields={['statuses', 'sources', 'task']}
        />
        <div className="option-row">
          <label>Validation share of images <input aria-label="Validation share (%)" type="number" min={0} max={90} step={5} value={Math.round(options.validationFraction * 100)}
            onChange={(e) => set('validationFraction', Math.max(0, Math.min(90, Number(e.target.value) || 0)) / 100)} /> %</label>
          <label>Split seed <input aria-label="Split seed" type="number" value={options.seed} onChange={(e) => set('seed', Math.trunc(Number(e.target.value) || 0))} /></label>
        </div>
        <div className="option-row">
          <label>Max image side <input aria-label="Max image side" type="number" min={0} step={64} placeholder="keep" value={options.maxImageSide ?? ''}
            onChange={(e) => set('maxImageSide', Number(e.target.value) > 0 ? Math.trunc(Number(e.target.value)) : null)} /> px</label>
          <label>Decimals <input aria-label="Decimals" type="number" min={0} max={6} value={options.decimals} onChange={(e) => set('decimals', Math.max(0, Math.min(6, Math.trunc(Number(e.target.value) || 0))))} /></label>
          <label className="check"><input type="checkbox" aria-label="Simplify paths" checked={options.simplifyEpsilon !== null} onChange={(e) => set('simplifyEpsilon', e.target.checked ? 0.05 : null)} /> Simplify paths (RDP)</label>
          <label>ε <input aria-label="Simplify epsilon" type="number" min={0.001} max={0.5} step={0.01} disabled={options.simplifyEpsilon === null} value={options.simplifyEpsilon ?? 0.05}
            onChange={(e) => set('simplifyEpsilon', Math.max(0.001, Number(e.target.value) || 0.05))} /></label>
        </div>
        <label className="option-block"><span>Prompt template (<code>{'{instruction}'}</code> marks where the task goes)</span>
          <textarea aria-label="Prompt template" rows={5} value={options.promptTemplate} onChange={(e) => set('promptTemplate', e.target.value)} />
        </label>
        {options.promptTemplate !== DEFAULT_PROMPT_TEMPLATE && <button type="button" className="btn btn-small" onClick={() => set('promptTemplate', DEFAULT_PROMPT_TEMPLATE)}>Use HAMSTER's prompt</button>}
        {optionsError && <p className="form-error" role="alert">{optionsError}</p>}
      </fieldset>

      {planError && <p className="form-error" role="alert">{planError}</p>}
      {!plan && !planError && <p className="muted">Reading the dataset…</p>}
      {plan && <HamsterSummaryView summary={plan.summary} />}
      {plan && plan.summary.included === 0 && (
        <p className="muted" data-testid="nothing-to-export">Nothing to export: no sample the filter keeps has a usable path. Finish or review samples in Annotate, or widen the statuses, sources or task.</p>
      )}

      <div className="toolbar">
        <button className="btn btn-primary" disabled={!controller.canExport()} onClick={() => void controller.export()}>
          Export HAMSTER zip
        </button>
      </div>
      <JobProgress jobId={jobId} />
      {result && <p className="export-result" role="status">{result}</p>}
    </div>
  );
}
