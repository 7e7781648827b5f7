/**
 * Serves MediaPipe Hands (`@mediapipe/hands`: its script, WASM, packed model assets and graph) at
 * `/mediapipe/hands/` from the app itself — read from node_modules by the dev server, copied into
 * the build (so `vite preview` and any static host serve it) — never from a CDN, so hand tracking
 * works offline. The files are loaded at run time by hands.js (it fetches its siblings by name),
 * not bundled: it is a Closure-compiled classic script with no module form.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { Plugin } from 'vite';

export const MEDIAPIPE_HANDS_BASE = '/mediapipe/hands/';

/** What hands.js loads: everything in the package but its docs and typings. */
const RUNTIME_EXTENSIONS = new Set(['.js', '.wasm', '.data', '.tflite', '.binarypb']);

const MIME: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@mediapipe/hands/package.json'));
}

function runtimeFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => RUNTIME_EXTENSIONS.has(extname(f)));
}

export function mediapipeAssetsPlugin(): Plugin {
  return {
    name: 'path-studio:mediapipe-assets',
    configureServer(server) {
      const dir = packageDir();
      const files = new Set(runtimeFiles(dir));
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        const name = path.startsWith(MEDIAPIPE_HANDS_BASE) ? path.slice(MEDIAPIPE_HANDS_BASE.length) : '';
        if (!files.has(name)) return next();
        res.setHeader('Content-Type', MIME[extname(name)] ?? 'application/octet-stream');
        res.end(readFileSync(join(dir, name)));
      });
    },
    generateBundle() {
      const dir = packageDir();
      for (const name of runtimeFiles(dir)) {
        this.emitFile({ type: 'asset', fileName: `${MEDIAPIPE_HANDS_BASE.slice(1)}${name}`, source: readFileSync(join(dir, name)) });
      }
    },
  };
}
