import { lazy, Suspense, useEffect } from 'react';
import { Link, NavLink, useSearchParams } from 'react-router-dom';
import { useDatasets } from '../../app/library/datasetList';
import { BackupPanel } from './BackupPanel';
import { HamsterExportPanel } from './HamsterExportPanel';
import { HamsterImportPanel } from './HamsterImportPanel';
import './export.css';

// The LeRobot writer pulls in mediabunny and the parquet writer: load it only when asked for.
const LeRobotExportPanel = lazy(() => import('./LeRobotExportPanel'));

const formats = [
  { id: 'hamster', label: 'HAMSTER / VILA zip', hint: 'image + instruction → path, for fine-tuning the high-level VLM' },
  { id: 'lerobot', label: 'LeRobot v3.0', hint: 'episodes with the 2D path and path-overlay video, for a path-conditioned policy' },
];

/** Export a dataset, back up or restore the whole project, import a HAMSTER zip. */
export default function ExportPage() {
  const { datasets, loaded, refresh } = useDatasets();
  const [params, setParams] = useSearchParams();
  const format = params.get('format') === 'lerobot' ? 'lerobot' : 'hamster';
  const datasetId = params.get('dataset') ?? '';
  useEffect(() => { void refresh(); }, [refresh]);
  const selected = datasets.find((d) => d.id === datasetId);
  const pick = (key: string, value: string) => setParams((p) => { const n = new URLSearchParams(p); n.set(key, value); return n; }, { replace: true });

  return (
    <section className="page export-page">
      <header className="page-header"><h1>Export</h1></header>

      <section className="card export-card" aria-labelledby="export-dataset-title">
        <h2 id="export-dataset-title">Export a dataset</h2>
        {loaded && datasets.length === 0 ? (
          <p className="muted" data-testid="no-datasets">No datasets yet. <Link to="/library">Create one in the Library</Link>, or import a HAMSTER zip or a backup below.</p>
        ) : (
          <>
            <div className="option-row">
              <label>Dataset{' '}
                <select aria-label="Dataset to export" value={selected ? datasetId : ''} onChange={(e) => pick('dataset', e.target.value)}>
                  <option value="" disabled>Choose a dataset…</option>
                  {datasets.map((d) => <option key={d.id} value={d.id}>{d.name} ({d.sampleCount} samples)</option>)}
                </select>
              </label>
              <nav className="tabs" aria-label="Export format">
                {formats.map((f) => (
                  <NavLink key={f.id} to={`?${new URLSearchParams({ ...Object.fromEntries(params), format: f.id })}`} replace title={f.hint}
                    className={() => `tab${format === f.id ? ' active' : ''}`} aria-current={format === f.id ? 'page' : undefined}>{f.label}</NavLink>
                ))}
              </nav>
            </div>
            <p className="muted">{formats.find((f) => f.id === format)!.hint}. Files are written straight to disk where the browser allows it, otherwise downloaded when complete.</p>
            {!selected ? <p className="muted">Choose a dataset to see what will be exported.</p>
              : format === 'hamster' ? <HamsterExportPanel key={datasetId} datasetId={datasetId} />
                : <Suspense fallback={<p className="muted">Loading…</p>}><LeRobotExportPanel key={datasetId} datasetId={datasetId} /></Suspense>}
          </>
        )}
      </section>

      <section className="card export-card" aria-labelledby="backup-title">
        <h2 id="backup-title">Project backup</h2>
        <BackupPanel />
      </section>

      <section className="card export-card" aria-labelledby="import-zip-title">
        <h2 id="import-zip-title">Import a HAMSTER zip</h2>
        <HamsterImportPanel />
      </section>
    </section>
  );
}

