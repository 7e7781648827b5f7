/**
 * Serves hand tracking's runtime files from the app itself — read from node_modules by the dev
 * server, copied into the build (so `vite preview` and any static host serve them) — never from a
 * CDN, so hand tracking works offline. They are loaded at run time, not bundled:
 * - `/mediapipe/hands/`: MediaPipe Hands' models from `@mediapipe/hands` — the full landmark model
 *   as shipped, and the palm detector taken out of the package's packed assets;
 * - `/tflite/`: TensorFlow Lite's single-threaded WASM runtime (`@tensorflow/tfjs-tflite`; with
 *   SIMD or without, as the browser supports), which runs them on the CPU in the tracking worker
 *   (src/tracking/hands/tfliteHands.ts, which keeps it off the threaded builds).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { Plugin } from 'vite';

export const MEDIAPIPE_HANDS_BASE = '/mediapipe/hands/';
export const TFLITE_WASM_BASE = '/tflite/';

/** Shipped as files in @mediapipe/hands. */
const MODELS = ['hand_landmark_full.tflite'];
/** Packed in its hands_solution_packed_assets.data. */
const PACKED_MODELS = ['palm_detection_full.tflite'];

const MIME: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

const packageDir = (name: string): string => dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));

/** A file packed by Emscripten's file packager: its byte range is listed in the loader script. */
function packedFile(dir: string, name: string): Buffer {
  const loader = readFileSync(join(dir, 'hands_solution_packed_assets_loader.js'), 'utf8');
  const entry = new RegExp(`"filename":\\s*"[^"]*/${name.replace('.', '\\.')}",\\s*"start":\\s*(\\d+),\\s*"end":\\s*(\\d+)`).exec(loader);
  if (!entry) throw new Error(`${name} is not in @mediapipe/hands' packed assets`);
  return readFileSync(join(dir, 'hands_solution_packed_assets.data')).subarray(Number(entry[1]), Number(entry[2]));
}

/** Every served file: its URL path and how to read it. */
function servedFiles(): Map<string, () => Buffer> {
  const files = new Map<string, () => Buffer>();
  const hands = packageDir('@mediapipe/hands');
  for (const name of MODELS) files.set(`${MEDIAPIPE_HANDS_BASE}${name}`, () => readFileSync(join(hands, name)));
  for (const name of PACKED_MODELS) files.set(`${MEDIAPIPE_HANDS_BASE}${name}`, () => packedFile(hands, name));
  const tflite = join(packageDir('@tensorflow/tfjs-tflite'), 'wasm');
  for (const name of readdirSync(tflite).filter((f) => !f.includes('threaded'))) files.set(`${TFLITE_WASM_BASE}${name}`, () => readFileSync(join(tflite, name)));
  return files;
}

export function mediapipeAssetsPlugin(): Plugin {
  return {
    name: 'path-studio:mediapipe-assets',
    configureServer(server) {
      const files = servedFiles();
      server.middlewares.use((req, res, next) => {
        const read = files.get((req.url ?? '').split('?')[0]);
        if (!read) return next();
        res.setHeader('Content-Type', MIME[extname(req.url!.split('?')[0])] ?? 'application/octet-stream');
        res.end(read());
      });
    },
    generateBundle() {
      for (const [path, read] of servedFiles()) this.emitFile({ type: 'asset', fileName: path.slice(1), source: read() });
    },
  };
}
