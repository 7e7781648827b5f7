import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { getDb } from './storage/db';
import { whenIdle, whenQuiet } from './app/whenQuiet';
import './ui/styles.css';

// Open IndexedDB while the first section's code is still loading: it takes tens of ms.
void getDb().open().catch(() => undefined);

// Annotate's edits that a reload or crash cut short reach the database now, not when Annotate next
// opens: the Library, exports and team sync see them (app/annotate/autosave.ts).
whenIdle(() => void import('./app/annotate/autosave').then((m) => m.replayJournalAtStart()), 1000);

// The inference runtime (onnxruntime WASM) warms up (docs/MODELS.md) once nobody is scrolling or
// typing: its compile takes both cores of a small machine for a moment.
whenQuiet(() => void import('./inference/warmStart').then((m) => m.warmStart()), 1500);

// Team mode (docs/TEAMS.md): datasets shared from this browser mirror and sync again (a shared
// dataset is rescanned when it attaches, so edits made before then are sent too); nothing otherwise.
whenIdle(() => void import('./app/team/teamController').then((m) => m.resumeTeam()), 2000);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
