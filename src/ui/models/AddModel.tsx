import { useState, useSyncExternalStore, type DragEvent } from 'react';
import type { ModelsController } from '../../app/models/modelsController';

/** Drop (or pick) an .onnx file and its model card (.json); nothing is stored unless they match. */
export function AddModel({ controller }: { controller: ModelsController }) {
  const { adding: busy, addError: error } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void controller.addModel([...e.dataTransfer.files]);
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
            <input type="file" multiple accept=".onnx,.json" hidden aria-label="Choose model files" onChange={(e) => void controller.addModel([...(e.target.files ?? [])])} />
          </label>
        )}
      </div>
      {error && <p className="models-error" role="alert" data-testid="add-model-error">{error}</p>}
      <p className="muted small">The card says how to feed the model (docs/MODELS.md); it is checked against the graph's inputs and outputs before anything is stored.</p>
    </div>
  );
}
