import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicyPlugin } from './scripts/contentSecurityPolicy.ts';
import { plannerRelayPlugin } from './scripts/plannerRelay.ts';
import { mediapipeAssetsPlugin } from './scripts/mediapipeAssets.ts';

export default defineConfig({
  plugins: [
    react(),
    // Remote planners (HAMSTER's server.py sends no CORS headers): the dev and preview servers
    // relay POST /planner-relay/chat/completions to the planner the user configured. scripts/plannerRelay.ts
    plannerRelayPlugin(),
    // Content-Security-Policy (no unsafe-eval; OpenCV.js confined to the tracking worker) and the
    // cross-origin isolation onnxruntime-web needs for threaded WASM, on every response.
    contentSecurityPolicyPlugin(),
    // MediaPipe Hands' models at /mediapipe/hands/ and TensorFlow Lite's WASM at /tflite/, from node_modules (offline). scripts/mediapipeAssets.ts
    mediapipeAssetsPlugin(),
  ],
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2048 },
});
