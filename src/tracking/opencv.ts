/**
 * OpenCV.js (pinned 4.12 build of @techstark/opencv-js; npm's `latest` tag is a stale 4.5.2).
 * Loaded lazily — it is ~11 MB with its WASM inlined — only by the tracking worker and by tests,
 * never by the initial bundle. Only the handful of bindings the tracker uses are typed here.
 */

export interface CvMat {
  rows: number;
  cols: number;
  data: Uint8Array;
  data32F: Float32Array;
  delete(): void;
}

export interface OpenCv {
  Mat: new (rows?: number, cols?: number, type?: number) => CvMat;
  Size: new (w: number, h: number) => unknown;
  TermCriteria: new (type: number, maxCount: number, epsilon: number) => unknown;
  TERM_CRITERIA_EPS: number;
  TERM_CRITERIA_COUNT: number;
  CV_8UC1: number;
  CV_32FC2: number;
  calcOpticalFlowPyrLK(
    prev: CvMat, next: CvMat, prevPts: CvMat, nextPts: CvMat, status: CvMat, err: CvMat,
    winSize: unknown, maxLevel: number, criteria: unknown,
  ): void;
}

// Boxed: the Emscripten module is itself a thenable, so a promise must never resolve *to* it.
let loading: Promise<{ cv: OpenCv }> | undefined;

/**
 * Why not `import('@techstark/opencv-js')`: Vite wraps the CommonJS module in an interop object
 * that copies its `then`, and returns it from a promise callback — the promise then never
 * settles (seen in a module worker under Vite 8). So the file ships as a plain asset (`?url`,
 * outside every bundle) and is evaluated here as the CommonJS module it is.
 */
async function evaluateBundledOpenCv(): Promise<{ default: unknown }> {
  const { default: url } = await import('@techstark/opencv-js/dist/opencv.js?url');
  const source = await (await fetch(url)).text();
  const module = { exports: {} as unknown };
  new Function('module', 'exports', source)(module, module.exports);
  return { default: module.exports };
}

/**
 * Resolves once the WASM runtime is initialised; loads the module once per realm. Returns the
 * module in a box (`{ cv }`) because resolving any promise with the thenable module hangs.
 * Tests in Vitest pass `importModule` using Node's `require`: that path must also hand the module over
 * boxed (`{ default: module }`), since a CJS namespace re-exports `then`.
 */
export function loadOpenCv(importModule: () => Promise<{ default?: unknown }> = evaluateBundledOpenCv): Promise<{ cv: OpenCv }> {
  loading ??= importModule().then(async (ns) => {
    const mod = (ns.default ?? ns) as OpenCv & { then?: (cb: () => void) => void };
    if (!('Mat' in mod && typeof mod.Mat === 'function') && typeof mod.then === 'function') {
      // The Emscripten module is a thenable that resolves to itself: awaiting it directly
      // never settles, so wait on its callback without passing the module through.
      // Node drops out of the event loop while WASM compiles unless something keeps it alive.
      const keepAlive = setInterval(() => undefined, 1000);
      await new Promise<void>((resolve) => mod.then!(() => resolve()));
      clearInterval(keepAlive);
    }
    return { cv: mod };
  });
  return loading;
}
