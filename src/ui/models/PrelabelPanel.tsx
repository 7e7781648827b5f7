import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ModelsController } from '../../app/models/modelsController';
import { useDatasets } from '../../app/library/datasetList';

/** Runs the active planner over a dataset's unlabelled samples as a background job (job tray, cancel). */
export function PrelabelPanel({ controller }: { controller: ModelsController }) {
  const { planner: status, prelabelling: running } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const { datasets, loaded, refresh } = useDatasets();
  const [datasetId, setDatasetId] = useState('');
  useEffect(() => {
    if (!loaded) void refresh();
  }, [loaded, refresh]);

  return (
    <div className="card models-prelabel">
      <h3>Pre-label a dataset</h3>
      <p className="muted small">The active planner proposes a path for every sample that has an instruction but no path. Proposals are marked <em>pre-labelled</em> until someone edits them in Annotate.</p>
      <div className="models-try-controls">
        <select aria-label="Dataset to pre-label" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
          <option value="">Dataset…</option>
          {datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
        <button className="btn" disabled={!datasetId || running || !status.ready} onClick={() => void controller.prelabel(datasetId)} title={status.reason ?? ''}>
          Pre-label
        </button>
      </div>
    </div>
  );
}
