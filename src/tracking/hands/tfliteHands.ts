/**
 * MediaPipe Hands' models (the palm detector and the full landmark model from `@mediapipe/hands`)
 * run on the CPU by TensorFlow Lite's WASM runtime with XNNPACK (`@tensorflow/tfjs-tflite`), with
 * MediaPipe's graph around them in handGraph.ts. The legacy solution runs the same models through
 * WebGL, which without a GPU is software and about 30× slower (docs/VIDEO_IMPORT.md, Hand tracking).
 * Files are served by the app (scripts/mediapipeAssets.ts), never from a CDN.
 *
 * Tracking as MediaPipe does it: the palm detector finds the hand, then each frame's landmarks
 * give the next frame's crop, and the detector runs again only when the hand is lost.
 */
import type { HandDetector } from './handTrack';
import { decodeBestPalm, handRectFromLandmarks, handRectFromPalm, LANDMARK_INPUT, landmarksToImage, letterbox, PALM_INPUT, palmAnchors, type RotatedRect } from './handGraph';
import { errorMessage } from '../../core/errorMessage';

export const TFLITE_WASM_URL = '/tflite/';
export const HAND_MODELS_URL = '/mediapipe/hands/';
/** Below this the landmark model says there is no hand in its crop. */
const MIN_PRESENCE = 0.5;

type Image = CanvasImageSource & { width: number; height: number };

interface Model {
  predict(input: unknown): unknown;
}

/**
 * Draws `image` into a side × side canvas through `place` (black around it) and returns its pixels
 * as a [1, side, side, 3] float tensor in [0, 1], the range both models take (the palm detector,
 * given [−1, 1], finds nothing).
 */
function toPixels(ctx: OffscreenCanvasRenderingContext2D, side: number, place: (ctx: OffscreenCanvasRenderingContext2D) => void): Float32Array {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, side, side);
  place(ctx);
  const { data } = ctx.getImageData(0, 0, side, side);
  const out = new Float32Array(side * side * 3);
  for (let i = 0, j = 0; i < data.length; i += 4, j += 3) {
    out[j] = data[i] / 255;
    out[j + 1] = data[i + 1] / 255;
    out[j + 2] = data[i + 2] / 255;
  }
  return out;
}

/**
 * TensorFlow Lite's loader adds its WASM glue with `importScripts` in a worker, which module workers
 * lack: a synchronous request and an indirect eval stand in. Eval is allowed in the tracking worker
 * only (scripts/contentSecurityPolicy.ts), where this runs — never in the page.
 */
function provideImportScripts(): void {
  const scope = globalThis as { importScripts?: (...urls: string[]) => void };
  try {
    scope.importScripts?.();
    return; // a classic worker has its own
  } catch {
    // a module worker: importScripts throws
  }
  scope.importScripts = (...urls) => {
    for (const url of urls) {
      const request = new XMLHttpRequest();
      request.open('GET', url, false);
      request.send();
      if (request.status !== 200) throw new Error(`${url} could not be loaded (HTTP ${request.status})`);
      (0, eval)(request.responseText);
    }
  };
}

/** Runs in the tracking worker (src/workers/tracking.worker.ts); the page goes through TrackingClient.detectHand. */
export async function createTfliteHandDetector(wasmUrl = TFLITE_WASM_URL, modelsUrl = HAND_MODELS_URL): Promise<HandDetector> {
  // The package's bundled ES build: its unbundled one imports a client file the package lacks.
  const [tf, tflite] = await Promise.all([import('@tensorflow/tfjs-core'), import('@tensorflow/tfjs-tflite/dist/tf-tflite.fesm.js'), import('@tensorflow/tfjs-backend-cpu')]);
  provideImportScripts();
  await tf.setBackend('cpu');
  tflite.setWasmPath(wasmUrl);
  // One thread is used. Where the page is cross-origin isolated the runtime would pick its threaded
  // build, which starts a pool of eight pthread workers for nothing: it is told threads are missing
  // while it checks (the answer is kept), and picks the single-threaded build.
  const shared = globalThis.SharedArrayBuffer;
  (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = undefined;
  try {
    await tflite.getWasmFeatures();
  } finally {
    globalThis.SharedArrayBuffer = shared;
  }
  const load = (file: string) => tflite.loadTFLiteModel(`${modelsUrl}${file}`, { numThreads: 1 }) as unknown as Promise<Model>;
  let palmModel: Model;
  let landmarkModel: Model;
  try {
    palmModel = await load('palm_detection_full.tflite'); // the runtime loads once, with the first
    landmarkModel = await load('hand_landmark_full.tflite');
  } catch (e) {
    throw new Error(
      `The hand tracker could not be loaded (${errorMessage(e)}). Reload the page; if it happens again, this build lacks the files the app serves at ${modelsUrl} and ${wasmUrl} (scripts/mediapipeAssets.ts, docs/VIDEO_IMPORT.md).`,
      { cause: e },
    );
  }
  const anchors = palmAnchors();
  const palmCanvas = new OffscreenCanvas(PALM_INPUT, PALM_INPUT).getContext('2d', { willReadFrequently: true });
  const handCanvas = new OffscreenCanvas(LANDMARK_INPUT, LANDMARK_INPUT).getContext('2d', { willReadFrequently: true });
  if (!palmCanvas || !handCanvas) throw new Error('No 2D canvas for hand tracking');
  let tracked: RotatedRect | null = null;

  /** Runs a model on [1, side, side, 3] pixels; its outputs' values, in the model's output order. */
  async function run(model: Model, pixels: Float32Array, side: number): Promise<Float32Array[]> {
    const input = tf.tensor4d(pixels, [1, side, side, 3]);
    try {
      const out = model.predict(input) as { dataSync(): Float32Array; dispose(): void } | Record<string, { dataSync(): Float32Array; dispose(): void }>;
      const tensors = 'dataSync' in out ? [out as { dataSync(): Float32Array; dispose(): void }] : Object.values(out);
      const values = tensors.map((t) => t.dataSync().slice());
      tensors.forEach((t) => t.dispose());
      return values;
    } finally {
      input.dispose();
    }
  }

  async function findPalm(image: Image): Promise<RotatedRect | null> {
    const { side, offsetX, offsetY } = letterbox(image.width, image.height);
    const pixels = toPixels(palmCanvas!, PALM_INPUT, (ctx) => {
      const s = PALM_INPUT / side;
      ctx.setTransform(s, 0, 0, s, offsetX * s, offsetY * s);
      ctx.drawImage(image, 0, 0);
    });
    const [boxes, scores] = await run(palmModel, pixels, PALM_INPUT);
    const palm = decodeBestPalm(boxes, scores, anchors, image.width, image.height);
    return palm && handRectFromPalm(palm);
  }

  async function landmarksIn(image: Image, rect: RotatedRect) {
    const pixels = toPixels(handCanvas!, LANDMARK_INPUT, (ctx) => {
      ctx.translate(LANDMARK_INPUT / 2, LANDMARK_INPUT / 2);
      ctx.scale(LANDMARK_INPUT / rect.width, LANDMARK_INPUT / rect.height);
      ctx.rotate(-rect.rotation);
      ctx.translate(-rect.cx, -rect.cy);
      ctx.drawImage(image, 0, 0);
    });
    const [landmarks, presence] = await run(landmarkModel, pixels, LANDMARK_INPUT);
    return { raw: landmarks, presence: presence[0] };
  }

  return {
    async detect(image, near) {
      if (near) tracked = handRectFromLandmarks(near.map((p) => ({ x: p.x * image.width, y: p.y * image.height })));
      for (let attempt = 0; attempt < 2; attempt++) {
        const fromTracking = tracked !== null;
        const rect = tracked ?? (await findPalm(image));
        if (!rect) return null;
        const { raw, presence } = await landmarksIn(image, rect);
        if (presence < MIN_PRESENCE) {
          tracked = null;
          if (fromTracking) continue; // lost: look for the palm again on this frame
          return null;
        }
        const points = landmarksToImage(raw, rect);
        tracked = handRectFromLandmarks(points);
        return { landmarks: points.map((p, i) => ({ x: p.x / image.width, y: p.y / image.height, z: raw[3 * i + 2] / LANDMARK_INPUT })), score: presence };
      }
      return null;
    },
    reset() {
      tracked = null;
    },
    async close() {
      tracked = null;
    },
  };
}
