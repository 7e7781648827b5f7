import { useEffect, useState } from 'react';
import { writeHamsterZip } from '../../exporters/hamster/exportHamster';
import { DEFAULT_HAMSTER_OPTIONS, planHamsterExport, type HamsterExportOptions, type HamsterPlan } from '../../exporters/hamster/plan';
import { checkPromptTemplate, DEFAULT_PROMPT_TEMPLATE } from '../../formats/hamster/records';
import { resizeImage } from '../../exporters/hamster/resizeImage';
import { formatBytes } from '../../core/formatBytes';
import { ExportFilterFields } from './ExportFilterFields';
import { HamsterSummaryView } from './HamsterSummaryView';
import { JobProgress } from './JobProgress';
import { fileStem, useExportJob } from './useExportJob';

export function HamsterExportPanel({ datasetId }: { datasetId: string }) {
  const [options, setOptions] = useState<HamsterExportOptions>(DEFAULT_HAMSTER_OPTIONS);
  const [plan, setPlan] = useState<HamsterPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const exportJob = useExportJob();
  const set = <K extends keyof HamsterExportOptions>(k: K, v: HamsterExportOptions[K]) => setOptions((o) => ({ ...o, [k]: v }));

  const planKey = `${datasetId}|${options.statuses.join(',')}|${options.sources.join(',')}|${options.task}|${options.validationFraction}|${options.seed}`;
  useEffect(() => {
    let live = true;
    setPlan(null);
    setPlanError(null);
    const t = setTimeout(() => {
      planHamsterExport(datasetId, options).then((p) => live && setPlan(p), (e) => live && setPlanError(e instanceof Error ? e.message : String(e)));
    }, 150);
    return () => { live = false; clearTimeout(t); };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-plan only when what the plan depends on changes
  }, [planKey]);

  const templateError = checkPromptTemplate(options.promptTemplate);

  function onExport() {
    if (!plan) return;
    // The plan behind the summary on screen is what gets written (samples edited to an unusable
    // state since are still left out, see writeHamsterZip).
    void exportJob.start({
      fileName: `${fileStem(plan.summary.datasetName)}-hamster-sft.zip`,
      label: `Exporting ${plan.summary.datasetName} (HAMSTER zip)`,
      total: plan.summary.imageBytes,
      write: (sink, signal, progress) => writeHamsterZip(plan, options, sink, { signal, resize: resizeImage, onProgress: progress }),
      describe: (bytes, to) => `Exported ${plan.summary.included} samples (${formatBytes(bytes)}) to ${to}.`,
    });
  }

  const { busy, jobId, result } = exportJob;
  return (
    <div className="export-panel">
      <fieldset className="export-options" disabled={busy}>
        <legend>Options</legend>
        <ExportFilterFields
          value={{ ...options, outcomes: [] }}
          onChange={({ statuses, sources, task }) => setOptions((o) => ({ ...o, statuses, sources, task }))}
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
        {templateError && <p className="form-error" role="alert">{templateError}</p>}
      </fieldset>

      {planError && <p className="form-error" role="alert">{planError}</p>}
      {!plan && !planError && <p className="muted">Reading the dataset…</p>}
      {plan && <HamsterSummaryView summary={plan.summary} />}
      {plan && plan.summary.included === 0 && (
        <p className="muted" data-testid="nothing-to-export">Nothing to export: no sample the filter keeps has a usable path. Finish or review samples in Annotate, or widen the statuses, sources or task.</p>
      )}

      <div className="toolbar">
        <button className="btn btn-primary" disabled={busy || !plan || plan.summary.included === 0 || !!templateError} onClick={onExport}>
          Export HAMSTER zip
        </button>
      </div>
      <JobProgress jobId={jobId} />
      {result && <p className="export-result" role="status">{result}</p>}
    </div>
  );
}
