import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { getDb } from './storage/db';
import './ui/styles.css';

// Open IndexedDB while the first section's code is still loading: it takes tens of ms.
void getDb().open().catch(() => undefined);

// Start the inference runtime (onnxruntime WASM) once the first screen is idle (docs/MODELS.md).
const warmStart = () => void import('./inference/warmStart').then((m) => m.warmStart());
if ('requestIdleCallback' in window) requestIdleCallback(warmStart, { timeout: 3000 });
else setTimeout(warmStart, 1000);

// Team mode (docs/TEAM.md): datasets shared from this browser mirror and sync again; nothing otherwise.
void import('./app/team/teamController').then((m) => m.resumeTeam());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
