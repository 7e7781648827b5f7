import { useState, useSyncExternalStore } from 'react';
import { plannerBase, relayKeyHolder, type ModelsController, type RelayState } from '../../app/models/modelsController';
import type { RelayStatus, RemoteConnection } from '../../inference/remotePlanner';

function RelayLine({ connection, relay, url }: { connection: RemoteConnection; relay: RelayState; url: string }) {
  let text: string;
  if (connection === 'direct')
    text = "Calls go straight from the browser: the planner server must allow this page's origin (CORS). HAMSTER's server.py does not — use the studio's relay for it.";
  else if (!relay.checked) text = "Checking the studio's relay…";
  else if (!relay.status)
    text = "Calls go through the studio's relay, but this page was served without it (the relay runs in npm start, npm run dev and npm run preview): start the studio that way, or connect directly.";
  else if (relay.status.target)
    text = `Calls go through the studio's relay: the studio's server posts to ${relay.status.target}/chat/completions, the only planner it is configured for (PLANNER_RELAY_TARGET), so the planner needs no CORS headers.`;
  else text = `Calls go through the studio's relay: the studio's server posts to ${plannerBase(url) || '…'}/chat/completions (or /v1/…), so the planner needs no CORS headers.`;
  return <p className="muted small" data-testid="relay-status">{text}</p>;
}

function KeyLine({ relayKey, connection, browserKey }: { relayKey: RelayStatus | null; connection: RemoteConnection; browserKey: boolean }) {
  const text = relayKey
    ? `API key: from the relay's configuration (${relayKey.apiKeySource ?? 'PLANNER_RELAY_API_KEY'}); this browser stores none.`
    : browserKey
      ? `API key: stored in this browser (local storage) and sent ${connection === 'relay' ? "through the relay" : 'with each call'}. To keep it out of the browser, start the studio with PLANNER_RELAY_API_KEY set.`
      : "No API key is sent (HAMSTER's server.py needs none). A key can go in the relay's configuration (PLANNER_RELAY_API_KEY) or below.";
  return <p className="muted small" data-testid="api-key-source">{text}</p>;
}

/** An OpenAI-compatible /chat/completions endpoint (HAMSTER's server.py, vLLM…) as the planner. */
export function RemotePlannerForm({ controller }: { controller: ModelsController }) {
  const { relay, remoteConfig } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const [config, setConfig] = useState(remoteConfig);
  const connection = config.connection ?? 'relay';
  const relayKey = relayKeyHolder(relay, connection);
  return (
    <form
      className="card models-remote"
      aria-label="Remote planner"
      onSubmit={(e) => {
        e.preventDefault();
        controller.connectRemotePlanner(config);
      }}
    >
      <h3>Remote planner (VLM)</h3>
      <p className="muted small">Any OpenAI-compatible <code>/chat/completions</code> endpoint, e.g. HAMSTER's <code>server.py</code> (<code>http://host:8000</code>; a <code>/v1</code> address works too). The image and the HAMSTER prompt are sent; the answer is read with the path codec.</p>
      <label>Address <input value={config.url} onChange={(e) => setConfig({ ...config, url: e.target.value })} placeholder={relay.checked && relay.status?.target ? relay.status.target : 'http://localhost:8000'} aria-label="Remote planner address" /></label>
      <label>Model <input value={config.model} onChange={(e) => setConfig({ ...config, model: e.target.value })} aria-label="Remote planner model" /></label>
      <label>
        Connection{' '}
        <select value={connection} onChange={(e) => setConfig({ ...config, connection: e.target.value as RemoteConnection })} aria-label="Remote planner connection">
          <option value="relay">Through the studio's relay (no CORS needed)</option>
          <option value="direct">Directly from the browser (the server must allow CORS)</option>
        </select>
      </label>
      <RelayLine connection={connection} relay={relay} url={config.url} />
      <label>
        API key{' '}
        <input
          type="password"
          value={relayKey ? '' : (config.apiKey ?? '')}
          disabled={!!relayKey}
          placeholder={relayKey ? "set in the relay's configuration" : 'none'}
          onChange={(e) => setConfig({ ...config, apiKey: e.target.value || undefined })}
          aria-label="Remote planner API key"
        />
      </label>
      <KeyLine relayKey={relayKey} connection={connection} browserKey={!!config.apiKey} />
      <label>Timeout (s) <input type="number" min={1} value={Math.round(config.timeoutMs / 1000)} onChange={(e) => setConfig({ ...config, timeoutMs: Math.max(1, Number(e.target.value)) * 1000 })} aria-label="Remote planner timeout" /></label>
      <label>Retries <input type="number" min={0} max={5} value={config.retries} onChange={(e) => setConfig({ ...config, retries: Math.max(0, Math.min(5, Number(e.target.value))) })} aria-label="Remote planner retries" /></label>
      <button className="btn" type="submit">Use as planner</button>
    </form>
  );
}
