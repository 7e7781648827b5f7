import { useEffect, useState } from 'react';
import { prelabelDataset } from '../../inference/prelabel';
import { activePlannerStatus } from '../../inference/suggest';
import { useDatasets } from '../../app/library/datasetList';
import { useJobs } from '../../app/jobs/jobs';
import { notify } from '../../app/toasts';

/** Runs the active planner over a dataset's unlabelled samples as a background job (job tray, cancel). */
export function PrelabelPanel() {
  const { datasets, loaded, refresh } = useDatasets();
  const [datasetId, setDatasetId] = useState('');
  const [running, setRunning] = useState(false);
  useEffect(() => {
    if (!loaded) void refresh();
  }, [loaded, refresh]);

  async function start() {
    const dataset = datasets.find((d) => d.id === datasetId);
    if (!dataset) return;
    const controller = new AbortController();
    const jobs = useJobs.getState();
    const job = jobs.start(`Pre-labelling "${dataset.name}"`, 0, () => controller.abort());
    setRunning(true);
    try {
      const r = await prelabelDataset(dataset.id, { signal: controller.signal, onProgress: (done, total) => useJobs.getState().progress(job, done, total) });
      const parts = [`${r.labelled} of ${r.candidates} unlabelled samples pre-labelled`];
      if (r.noInstruction) parts.push(`${r.noInstruction} skipped (no instruction)`);
      if (r.failed.length) parts.push(`${r.failed.length} failed: ${r.failed[0].error}`);
      if (r.cancelled) parts.push('cancelled');
      notify({ kind: r.failed.length && !r.labelled ? 'error' : 'success', message: `"${dataset.name}": ${parts.join('; ')}.` });
    } finally {
      useJobs.getState().finish(job);
      setRunning(false);
    }
  }

  const status = activePlannerStatus();
  return (
    <div className="card models-prelabel">
      <h3>Pre-label a dataset</h3>
      <p className="muted small">The active planner proposes a path for every sample that has an instruction but no path. Proposals are marked <em>pre-labelled</em> until someone edits them in Annotate.</p>
      <div className="models-try-controls">
        <select aria-label="Dataset to pre-label" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
          <option value="">Dataset…</option>
          {datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
        <button className="btn" disabled={!datasetId || running || !status.ready} onClick={() => void start()} title={status.reason ?? ''}>
          Pre-label
        </button>
      </div>
    </div>
  );
}
