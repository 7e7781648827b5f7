import { useEffect, useRef, useState } from 'react';
import { formatPath } from '../../core/codec';
import type { Path } from '../../core/path';
import { renderPathOverlay } from '../../core/overlay';
import { inferenceClient } from '../../inference/client';
import { bitmapPixels } from '../../inference/imagePixels';
import { getRegistryState } from '../../inference/registry';
import { traceMark } from '../../inference/startupTrace';
import { activePlannerStatus, suggestPath } from '../../inference/suggest';
import { getAsset, getSamples, querySampleIds } from '../../app/library/sampleQueries';
import type { SampleRecord } from '../../app/records';
import { useDatasets } from '../../app/library/datasetList';

/** Runs the active planner on any sample image (or a file) and draws the path it proposes. */
export function TryPlanner() {
  const { datasets, loaded, refresh } = useDatasets();
  const [datasetId, setDatasetId] = useState('');
  const [samples, setSamples] = useState<SampleRecord[]>([]);
  const [image, setImage] = useState<Blob | null>(null);
  const [instruction, setInstruction] = useState('');
  const [result, setResult] = useState<{ path: Path; ms: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    if (!loaded) void refresh();
  }, [loaded, refresh]);
  useEffect(() => {
    if (!datasetId) return setSamples([]);
    let live = true;
    void querySampleIds(datasetId, {}, 200).then(getSamples).then((s) => live && setSamples(s.filter((x): x is SampleRecord => !!x)));
    return () => {
      live = false;
    };
  }, [datasetId]);

  // Draw the image, with the path once there is one.
  useEffect(() => {
    if (!image || !canvas.current) return;
    let live = true;
    void createImageBitmap(image).then((bitmap) => {
      if (!live || !canvas.current) return;
      const pixels = bitmapPixels(bitmap);
      const drawn = result ? renderPathOverlay(pixels, result.path, 'overlay') : pixels;
      canvas.current.width = drawn.width;
      canvas.current.height = drawn.height;
      canvas.current.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(drawn.data), drawn.width, drawn.height), 0, 0);
      bitmap.close();
      if (result) traceMark('suggest.shown');
    });
    return () => {
      live = false;
    };
  }, [image, result]);

  async function pickSample(id: string) {
    const s = samples.find((x) => x.id === id);
    if (!s) return;
    const asset = await getAsset(s.assetId);
    setResult(null);
    setError(null);
    setImage(asset?.blob ?? null);
    setInstruction(s.instruction);
  }

  async function loadSimSample() {
    const base = import.meta.env.BASE_URL;
    const index = (await (await fetch(`${base}models/index.json`)).json()) as { samples?: { image: string; instruction: string }[] };
    const sample = index.samples?.[0];
    if (!sample) return;
    setImage(await (await fetch(`${base}models/${sample.image}`)).blob());
    setInstruction(sample.instruction);
    setResult(null);
    setError(null);
  }

  async function run() {
    if (!image) return;
    setRunning(true);
    setError(null);
    const t0 = performance.now();
    try {
      const path = await suggestPath(image, instruction);
      setResult({ path, ms: performance.now() - t0 });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setRunning(false);
    }
  }

  const status = activePlannerStatus();
  const planner = getRegistryState().planner;
  const stats = planner?.kind === 'local' ? inferenceClient().latency(planner.key) : null;
  return (
    <div className="card models-try" data-testid="try-planner">
      <h3>Try the planner</h3>
      <div className="models-try-controls">
        <select aria-label="Dataset" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
          <option value="">Dataset…</option>
          {datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
        <select aria-label="Sample" disabled={!samples.length} onChange={(e) => void pickSample(e.target.value)} defaultValue="">
          <option value="" disabled>{datasetId && !samples.length ? 'No samples in this dataset' : 'Sample…'}</option>
          {samples.map((s, i) => <option key={s.id} value={s.id}>{`${i + 1}. ${s.instruction || s.provenance.fileName || 'untitled'}`}</option>)}
        </select>
        <button className="btn btn-small" onClick={() => void loadSimSample().catch((e: unknown) => setError(String(e)))}>Simulator sample</button>
        <label className="btn btn-small">
          or an image file
          <input type="file" accept="image/*" hidden aria-label="Image file" onChange={(e) => { const f = e.target.files?.[0]; if (f) { setImage(f); setResult(null); } }} />
        </label>
      </div>
      <div className="models-try-controls">
        <input className="models-instruction" aria-label="Instruction" placeholder="Instruction, e.g. put the red cube on the white plate" value={instruction} onChange={(e) => setInstruction(e.target.value)} />
        <button className="btn btn-primary" disabled={!image || running || !status.ready} onClick={() => void run()} title={status.ready ? '' : (status.reason ?? '')}>
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
