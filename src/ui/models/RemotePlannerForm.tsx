import { useState } from 'react';
import { activateRemotePlanner, getRemoteConfig } from '../../inference/registry';
import { notify } from '../state/toasts';

/** An OpenAI-compatible /chat/completions endpoint (HAMSTER's server.py, vLLM…) as the planner. */
export function RemotePlannerForm() {
  const [config, setConfig] = useState(getRemoteConfig);
  return (
    <form
      className="card models-remote"
      aria-label="Remote planner"
      onSubmit={(e) => {
        e.preventDefault();
        activateRemotePlanner(config);
        notify({ kind: 'success', message: `The remote planner at ${config.url} is now the active planner.` });
      }}
    >
      <h3>Remote planner (VLM)</h3>
      <p className="muted small">Any OpenAI-compatible <code>/chat/completions</code> endpoint, e.g. HAMSTER's <code>server.py</code>. The image and the HAMSTER prompt are sent; the answer is read with the path codec.</p>
      <label>Address <input value={config.url} onChange={(e) => setConfig({ ...config, url: e.target.value })} placeholder="http://localhost:8000" aria-label="Remote planner address" /></label>
      <label>Model <input value={config.model} onChange={(e) => setConfig({ ...config, model: e.target.value })} aria-label="Remote planner model" /></label>
      <label>API key <input type="password" value={config.apiKey ?? ''} onChange={(e) => setConfig({ ...config, apiKey: e.target.value || undefined })} aria-label="Remote planner API key" /></label>
      <label>Timeout (s) <input type="number" min={1} value={Math.round(config.timeoutMs / 1000)} onChange={(e) => setConfig({ ...config, timeoutMs: Math.max(1, Number(e.target.value)) * 1000 })} aria-label="Remote planner timeout" /></label>
      <label>Retries <input type="number" min={0} max={5} value={config.retries} onChange={(e) => setConfig({ ...config, retries: Math.max(0, Math.min(5, Number(e.target.value))) })} aria-label="Remote planner retries" /></label>
      <button className="btn" type="submit">Use as planner</button>
    </form>
  );
}
