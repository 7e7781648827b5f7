import { useEffect, useRef, useSyncExternalStore } from 'react';
import { formatPath } from '../../core/codec';
import type { ModelsController } from '../../app/models/modelsController';
import { useDatasets } from '../../app/library/datasetList';

/** Runs the active planner on any sample image (or a file) and draws the path it proposes. */
export function TryPlanner({ controller }: { controller: ModelsController }) {
  const tryPlanner = controller.tryPlanner;
  const { datasetId, samples, image, instruction, result, error, running } = useSyncExternalStore(tryPlanner.subscribe, tryPlanner.getSnapshot);
  const { planner: status } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const { datasets, loaded, refresh } = useDatasets();
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (!loaded) void refresh();
  }, [loaded, refresh]);

  // Draw the image, with the path once there is one.
  useEffect(() => {
    if (!image || !canvas.current) return;
    let live = true;
    void tryPlanner.picture(image, result).then((drawn) => {
      if (!live || !canvas.current) return;
      canvas.current.width = drawn.width;
      canvas.current.height = drawn.height;
      canvas.current.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(drawn.data), drawn.width, drawn.height), 0, 0);
    });
    return () => {
      live = false;
    };
  }, [tryPlanner, image, result]);

  const stats = controller.latency('planner');
  return (
    <div className="card models-try" data-testid="try-planner">
      <h3>Try the planner</h3>
      <div className="models-try-controls">
        <select aria-label="Dataset" value={datasetId} onChange={(e) => void tryPlanner.chooseDataset(e.target.value)}>
          <option value="">Dataset…</option>
          {datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
        <select aria-label="Sample" disabled={!samples.length} onChange={(e) => void tryPlanner.pickSample(e.target.value)} defaultValue="">
          <option value="" disabled>{datasetId && !samples.length ? 'No samples in this dataset' : 'Sample…'}</option>
          {samples.map((s, i) => <option key={s.id} value={s.id}>{`${i + 1}. ${s.instruction || s.provenance.fileName || 'untitled'}`}</option>)}
        </select>
        <button className="btn btn-small" onClick={() => void tryPlanner.pickSimulatorSample()}>Simulator sample</button>
        <label className="btn btn-small">
          or an image file
          <input type="file" accept="image/*" hidden aria-label="Image file" onChange={(e) => { const f = e.target.files?.[0]; if (f) tryPlanner.pickImageFile(f); }} />
        </label>
      </div>
      <div className="models-try-controls">
        <input className="models-instruction" aria-label="Instruction" placeholder="Instruction, e.g. put the red cube on the white plate" value={instruction} onChange={(e) => tryPlanner.setInstruction(e.target.value)} />
        <button className="btn btn-primary" disabled={!image || running || !status.ready} onClick={() => void tryPlanner.suggest()} title={status.ready ? '' : (status.reason ?? '')}>
          {running ? 'Running…' : 'Suggest path'}
        </button>
      </div>
      {!image && <p className="muted small">Pick a sample or an image file to try the active planner on.</p>}
      {image && <canvas ref={canvas} className="models-try-canvas" data-testid="try-canvas" />}
      {result && (
        <p className="small" data-testid="try-result">
          {result.path.points.length} waypoints in {result.ms.toFixed(0)} ms: <code>{formatPath(result.path)}</code>
          {stats && <span className="muted"> · model p50 {stats.p50.toFixed(1)} ms over {stats.count} calls</span>}
        </p>
      )}
      {error && <p className="models-error" role="alert">{error}</p>}
    </div>
  );
}
