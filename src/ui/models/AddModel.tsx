import { useState, type DragEvent } from 'react';
import { addModel } from '../../inference/registry';
import { notify } from '../../app/toasts';

/** Drop (or pick) an .onnx file and its model card (.json); nothing is stored unless they match. */
export function AddModel({ onAdded }: { onAdded: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  async function take(files: File[]) {
    setError(null);
    const onnx = files.filter((f) => f.name.toLowerCase().endsWith('.onnx'));
    const cards = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (onnx.length !== 1 || cards.length !== 1) {
      setError(`Drop exactly one .onnx file and its model card (.json) together — got ${onnx.length} .onnx and ${cards.length} .json${files.length ? ` (${files.map((f) => f.name).join(', ')})` : ''}.`);
      return;
    }
    setBusy(true);
    try {
      const record = await addModel(onnx[0], cards[0]);
      notify({ kind: 'success', message: `Added ${record.role} "${record.name}".` });
      onAdded();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void take([...e.dataTransfer.files]);
  };
  return (
    <div className="card models-add">
      <h3>Add a model</h3>
      <div
        className={`models-drop${over ? ' over' : ''}`}
        data-testid="model-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {busy ? 'Checking the model against its card…' : 'Drop an .onnx file and its model card (.json) here, or '}
        {!busy && (
          <label className="btn btn-small">
            choose files
            <input type="file" multiple accept=".onnx,.json" hidden aria-label="Choose model files" onChange={(e) => void take([...(e.target.files ?? [])])} />
          </label>
        )}
      </div>
      {error && <p className="models-error" role="alert" data-testid="add-model-error">{error}</p>}
      <p className="muted small">The card says how to feed the model (docs/MODELS.md); it is checked against the graph's inputs and outputs before anything is stored.</p>
    </div>
  );
}
