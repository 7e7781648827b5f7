import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { plannerRelayPlugin } from './scripts/plannerRelay.ts';

// Cross-origin isolation lets onnxruntime-web use multi-threaded WASM (DESIGN §5 field notes).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [
    react(),
    // Remote planners (HAMSTER's server.py sends no CORS headers): the dev and preview servers
    // relay POST /planner-relay/chat/completions to the planner the user configured. scripts/plannerRelay.ts
    plannerRelayPlugin(),
  ],
  server: { port: 5173, strictPort: true, headers: isolationHeaders },
  preview: { port: 4173, strictPort: true, headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2048 },
});
