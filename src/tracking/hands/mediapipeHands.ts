/**
 * MediaPipe Hands (the legacy `@mediapipe/hands` solution) in the page: its script, WASM and models
 * are served by the app at /mediapipe/hands/ (scripts/mediapipeAssets.ts), never from a CDN.
 *
 * It runs in the page, not a worker: hands.js is a classic script that loads its siblings by adding
 * <script> tags and draws its input through a WebGL canvas of the document (in a worker it loads
 * every sibling with importScripts, the .tflite model too, and fails). It needs no eval — the
 * studio's Content-Security-Policy (`'self'` + `'wasm-unsafe-eval'`) is enough — and runs on the CPU
 * where WebGL is software (SwiftShader), slowly: see docs/VIDEO_IMPORT.md, Hand tracking.
 */
import type { Hands, Results } from '@mediapipe/hands';
import type { HandDetection } from './handTrack';

export const MEDIAPIPE_HANDS_URL = '/mediapipe/hands/';

export interface HandDetector {
  /** The most confident hand on the picture, or null. */
  detect(image: CanvasImageSource & { width: number; height: number }): Promise<HandDetection | null>;
  /** Forgets the hand followed so far (the next frame runs the palm detector afresh): call between runs. */
  reset(): void;
  close(): Promise<void>;
}

type HandsConstructor = new (config: { locateFile: (file: string) => string }) => Hands;

let scriptLoad: Promise<HandsConstructor> | undefined;

/** Adds hands.js to the page once; resolves with its `Hands` class. */
function loadHandsScript(base: string): Promise<HandsConstructor> {
  scriptLoad ??= new Promise<HandsConstructor>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `${base}hands.js`;
    script.async = true;
    script.onload = () => {
      const ctor = (window as unknown as { Hands?: HandsConstructor }).Hands;
      if (ctor) resolve(ctor);
      else reject(new Error('MediaPipe Hands loaded but defines no Hands class'));
    };
    script.onerror = () => {
      scriptLoad = undefined;
      reject(new Error(`MediaPipe Hands could not be loaded from ${script.src}`));
    };
    document.head.append(script);
  });
  return scriptLoad;
}

/**
 * A detector with one hand and the full landmark model: the lite one is about twice as fast here
 * but reads a pinch as half open (aperture 0.35–0.6 where the full model reads 0.18–0.26), so no
 * grasp would be found (docs/VIDEO_IMPORT.md, Hand tracking).
 */
export async function createMediaPipeHandDetector(base = MEDIAPIPE_HANDS_URL): Promise<HandDetector> {
  const HandsClass = await loadHandsScript(base);
  const hands = new HandsClass({ locateFile: (file) => `${base}${file}` });
  hands.setOptions({ maxNumHands: 1, modelComplexity: 1, minDetectionConfidence: 0.5, minTrackingConfidence: 0.5 });
  let last: Results | undefined;
  hands.onResults((r) => { last = r; });
  await hands.initialize();
  // hands.js takes a canvas, image or video element (not an ImageBitmap): frames are drawn on one.
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas for hand tracking');
  return {
    async detect(image) {
      if (canvas.width !== image.width || canvas.height !== image.height) {
        canvas.width = image.width;
        canvas.height = image.height;
      }
      ctx.drawImage(image, 0, 0);
      last = undefined;
      await hands.send({ image: canvas });
      // Set by onResults during send (TypeScript cannot see the callback).
      const result = last as Results | undefined;
      const landmarks = result?.multiHandLandmarks?.[0];
      if (!landmarks) return null;
      return { landmarks, score: result?.multiHandedness?.[0]?.score ?? 0 };
    },
    reset: () => hands.reset(),
    close: () => hands.close(),
  };
}
