import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { importHamsterZipFile } from '../../app/export/hamsterZipImport';
import type { HamsterImportReport } from '../../importers/hamsterZip';
import { useDatasets } from '../../app/library/datasetList';
import { notify, notifyError } from '../../app/toasts';
import { JobProgress } from './JobProgress';
import { isCancel, runJob } from '../../app/jobs/runJob';

/** Imports a HAMSTER / VILA SFT zip (ours or another tool's) as a new dataset. */
export function HamsterImportPanel() {
  const [jobId, setJobId] = useState<number | null>(null);
  const [report, setReport] = useState<HamsterImportReport | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function onFile(file: File) {
    setReport(null);
    try {
      const r = await runJob(`Importing ${file.name}`, 1, (signal, progress) =>
        importHamsterZipFile(file, { onProgress: progress, signal }), setJobId);
      setReport(r);
      if (r.cancelled) notify({ kind: 'info', message: 'Import cancelled: nothing was added.' });
      else if (r.datasetId) notify({ kind: 'success', message: `Imported ${r.imported} samples from ${file.name}.` });
      void useDatasets.getState().refresh();
    } catch (e) {
      if (!isCancel(e)) notifyError(e);
    } finally {
      setJobId(null);
    }
  }

  return (
    <div className="export-panel">
      <p className="muted">A zip with <code>data.json</code> (LLaVA conversations with HAMSTER answers) and its images becomes a new dataset; every sample is marked done.</p>
      <div className="toolbar">
        <button className="btn" disabled={jobId !== null} onClick={() => input.current?.click()}>Import HAMSTER zip…</button>
        <input ref={input} type="file" accept=".zip,application/zip" hidden data-testid="hamster-zip-input"
          onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void onFile(f); }} />
      </div>
      <JobProgress jobId={jobId} unit="items" />
      {report && !report.cancelled && (
        <div className="export-result" role="status" data-testid="hamster-import-report">
          {report.datasetId ? <p>Imported {report.imported} samples into <Link to={`/library/${report.datasetId}`}>a new dataset</Link>.</p> : <p>Nothing was imported.</p>}
          {report.problems.length > 0 && (
            <details open>
              <summary>{report.problems.length} record{report.problems.length === 1 ? '' : 's'} skipped</summary>
              <ul>{report.problems.slice(0, 50).map((p, i) => <li key={i}>{p.where}: {p.message}</li>)}</ul>
            </details>
          )}
        </div>
      )}
    </div>
  );
}
