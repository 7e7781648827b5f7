/// <reference lib="webworker" />
/**
 * onnxruntime-web in a dedicated module worker (threads on the main thread hung in a production
 * build; docs/MODELS.md, Runtime). Backend choice, explicitly: `executionProviders: ['webgpu', 'wasm']` falls back
 * silently, so a WebGPU session is tried on its own and the reason for the backend that ran is
 * reported. The WASM binary and its loader are served by the app itself (`?url` imports; never a
 * CDN) and match the package version by construction.
 */
import type * as Ort from 'onnxruntime-web';
import jsepMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.mjs?url';
import jsepWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm?url';
import plainMjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { Backend, BackendPreference, FrameFeed, GraphValue, InferenceRequest, InferenceResponse, LoadedModel, WireTensor } from './inferenceProtocol';
import { policyImageTensor } from '../inference/preprocess';
import { FrameDecoder } from '../robot/frameDecoder';
import { wallClock, type StartupMark } from '../inference/startupTrace';
import { encodeTinyOnnx, IDENTITY_MODEL } from '../inference/tinyOnnx';
import { describeLoadError } from '../inference/loadError';

declare const self: DedicatedWorkerGlobalScope;

/** Startup marks not yet reported; they travel with the next prepare or load answer (src/inference/startupTrace.ts). */
let pendingMarks: StartupMark[] = [{ name: 'started', at: wallClock() }];
const mark = (name: string) => pendingMarks.push({ name, at: wallClock() });

/**
 * Two builds of the runtime, loaded on demand: the WebGPU-capable one (JSEP, 28 MB of WASM) only
 * when a WebGPU session is wanted, the plain WASM one (14 MB, compiles in half the time) otherwise.
 * The Emscripten loader (.mjs) is given explicitly: without it the bundled build starts WASM
 * threads from this worker's own script, which never answers.
 */
type OrtModule = typeof Ort;
const builds = new Map<Backend, Promise<OrtModule>>();
const abs = (u: string) => new URL(u, self.location.href).href;
/**
 * WASM threads need cross-origin isolation (COOP/COEP, sent by the dev and preview servers). The
 * JSEP build stays single-threaded: with pthreads its sessions never finished loading inside this
 * module worker (Chromium 156), and under WebGPU the CPU side is not the bottleneck.
 */
// Half the logical cores, as onnxruntime's own default: on the shared 2-core machine 2 threads were
// slower than 1 for both default models in every interleaved benchmark run (docs/MODELS.md). Fixed
// once the WASM runtime has started; `prepare` may set it before (benchmarks compare counts).
const cores = navigator.hardwareConcurrency || 1;
let threads = self.crossOriginIsolated ? Math.max(1, Math.min(4, Math.floor(cores / 2))) : 1;
let threadsWhy = `half of ${cores} cores`;
function wasmThreadsReason(used: number): string {
  const isolation = self.crossOriginIsolated ? 'cross-origin isolated' : 'page not cross-origin isolated, so no WASM threads';
  return `WASM, ${used} thread${used > 1 ? 's' : ''} (${threadsWhy}; ${isolation})`;
}
function runtime(backend: Backend): Promise<OrtModule> {
  let p = builds.get(backend);
  if (!p) {
    p = (backend === 'webgpu' ? import('onnxruntime-web') : import('onnxruntime-web/wasm')).then((ort) => {
      ort.env.wasm.wasmPaths = backend === 'webgpu' ? { mjs: abs(jsepMjsUrl), wasm: abs(jsepWasmUrl) } : { mjs: abs(plainMjsUrl), wasm: abs(plainWasmUrl) };
      ort.env.wasm.numThreads = backend === 'webgpu' ? 1 : threads;
      return ort;
    });
    builds.set(backend, p);
  }
  return p;
}

interface Loaded { session: Ort.InferenceSession; ort: OrtModule }
const sessions = new Map<string, Loaded>();
const cancelled = new Set<number>();
/** Runs are serialized: ORT sessions are not re-entrant, and a queue makes cancellation meaningful. */
let queue: Promise<unknown> = Promise.resolve();

interface GpuAdapterLike { info?: { isFallbackAdapter?: boolean; vendor?: string; architecture?: string; description?: string }; isFallbackAdapter?: boolean }
interface GpuLike { requestAdapter(): Promise<GpuAdapterLike | null> }

async function webgpuVerdict(): Promise<{ usable: boolean; why: string }> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (!gpu) return { usable: false, why: 'this browser exposes no WebGPU (navigator.gpu is missing)' };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (err) {
    return { usable: false, why: `requesting a WebGPU adapter failed: ${String(err)}` };
  }
  if (!adapter) return { usable: false, why: 'no WebGPU adapter is available (no GPU, or WebGPU disabled)' };
  const name = [adapter.info?.vendor, adapter.info?.architecture, adapter.info?.description].filter(Boolean).join(' ') || 'unknown adapter';
  if (adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter)
    return { usable: false, why: `the only WebGPU adapter is a software fallback (${name}), slower than WASM` };
  return { usable: true, why: `WebGPU adapter: ${name}` };
}

function graphValues(meta: readonly Ort.InferenceSession.ValueMetadata[] | undefined, names: readonly string[]): GraphValue[] {
  return names.map((name) => {
    const m = meta?.find((v) => v.name === name);
    if (m && m.isTensor) return { name, type: m.type, shape: [...m.shape].map((d) => (typeof d === 'number' && d >= 0 ? d : null)) };
    return { name };
  });
}

let verdictOnce: Promise<{ usable: boolean; why: string }> | null = null;
const verdict = () => (verdictOnce ??= webgpuVerdict());

/** Why onnxruntime failed to start, if it did: later loads only hear "a previous call failed". */
let startError: string | null = null;

/**
 * Starts the runtime the preference will use before any model has arrived: imports onnxruntime,
 * fetches and compiles its WASM and creates (then drops) a one-node session, so that the first
 * real load only builds its own graph.
 */
async function prepare(prefer: BackendPreference, wantThreads?: number): Promise<StartupMark[]> {
  if (wantThreads && !builds.has('wasm')) {
    threads = self.crossOriginIsolated ? wantThreads : 1;
    threadsWhy = 'count set for this session';
  }
  mark('prepareReceived');
  const backend: Backend = prefer === 'webgpu' || (prefer === 'auto' && (await verdict()).usable) ? 'webgpu' : 'wasm';
  const ort = await runtime(backend);
  mark('prepareOrtImported');
  try {
    await (await ort.InferenceSession.create(encodeTinyOnnx(IDENTITY_MODEL), { executionProviders: [backend] })).release();
  } catch (err) {
    startError = err instanceof Error ? err.message : String(err);
    throw err;
  }
  mark('prepared');
  const marks = pendingMarks;
  pendingMarks = [];
  return marks;
}

async function load(key: string, bytes: ArrayBuffer, prefer: BackendPreference, warmup?: Record<string, WireTensor>): Promise<LoadedModel> {
  const t0 = performance.now();
  mark('received');
  const model = new Uint8Array(bytes);
  let session: Ort.InferenceSession | null = null;
  let backend: Backend = 'wasm';
  let why = 'WASM chosen in settings';
  if (prefer !== 'wasm') {
    const gpu = { ...(await verdict()) };
    mark('webgpuChecked');
    if (gpu.usable || prefer === 'webgpu') {
      try {
        session = await (await runtime('webgpu')).InferenceSession.create(model, { executionProviders: ['webgpu'] });
        backend = 'webgpu';
      } catch (err) {
        gpu.why = `WebGPU session failed (${err instanceof Error ? err.message : String(err)})`;
      }
    }
    why = backend === 'webgpu' && !gpu.usable ? `WebGPU chosen in settings, although ${gpu.why}` : gpu.why;
  }
  const ort = await runtime(backend);
  mark('ortImported');
  session ??= await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  mark('sessionCreated');
  // onnxruntime lowers numThreads to 1 when threads are impossible: report what it really uses.
  const used = backend === 'wasm' ? (ort.env.wasm.numThreads ?? threads) : 0;
  const reason = backend === 'webgpu' ? why : `${wasmThreadsReason(used)}; ${why}`;
  sessions.get(key)?.session.release().catch(() => undefined);
  sessions.set(key, { session, ort });
  const loadMs = performance.now() - t0;
  let warmupMs: number | null = null;
  if (warmup) {
    const t1 = performance.now();
    await session.run(toFeeds(ort, warmup));
    warmupMs = performance.now() - t1;
    mark('warmedUp');
  }
  const marks = pendingMarks;
  pendingMarks = [];
  return {
    backend, reason, threads: used, loadMs, warmupMs, marks,
    inputs: graphValues(session.inputMetadata, session.inputNames),
    outputs: graphValues(session.outputMetadata, session.outputNames),
  };
}

const frameDecoder = new FrameDecoder();

/** A frame feed's image tensor, and how long its decode and preprocessing took. */
async function frameTensor(frame: FrameFeed): Promise<{ tensor: WireTensor; decodeMs: number; prepMs: number }> {
  try {
    const t0 = performance.now();
    const image = await frameDecoder.decodeBytes(new Uint8Array(frame.bytes), frame.format);
    const t1 = performance.now();
    const tensor = policyImageTensor(image, frame.path, frame.card);
    return { tensor, decodeMs: t1 - t0, prepMs: performance.now() - t1 };
  } catch (err) {
    throw new Error(`Could not prepare the camera frame (${frame.format}) for the policy: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function toFeeds(ort: OrtModule, feeds: Record<string, WireTensor>): Record<string, Ort.Tensor> {
  const out: Record<string, Ort.Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) out[name] = new ort.Tensor('float32', t.data, t.dims);
  return out;
}

/** The onnxruntime version that answered (for error messages). */
async function runtimeVersion(): Promise<string> {
  const ort = await (builds.get('wasm') ?? builds.get('webgpu'))?.catch(() => null);
  return ort?.env.versions?.web ?? '';
}

self.onmessage = (event: MessageEvent<InferenceRequest>) => {
  const req = event.data;
  const reply = (res: InferenceResponse, transfer: Transferable[] = []) => self.postMessage(res, transfer);
  if (req.type === 'cancel') {
    cancelled.add(req.target);
    reply({ id: req.id, ok: true, type: 'cancel' });
    return;
  }
  queue = queue.then(async () => {
    try {
      if (req.type === 'prepare') reply({ id: req.id, ok: true, type: 'prepare', marks: await prepare(req.prefer, req.threads) });
      else if (req.type === 'load') reply({ id: req.id, ok: true, type: 'load', model: await load(req.key, req.bytes, req.prefer, req.warmup) });
      else if (req.type === 'unload') {
        await sessions.get(req.key)?.session.release();
        sessions.delete(req.key);
        reply({ id: req.id, ok: true, type: 'unload' });
      } else {
        // A cancelled run that has not started is skipped; one that has started cannot be
        // interrupted inside WASM, so its result is dropped instead.
        if (cancelled.delete(req.id)) return reply({ id: req.id, ok: false, error: 'cancelled', cancelled: true });
        const loaded = sessions.get(req.key);
        if (!loaded) return reply({ id: req.id, ok: false, error: `model ${req.key} is not loaded` });
        const prepared = req.frame ? await frameTensor(req.frame) : null;
        const feeds = prepared ? { ...req.feeds, [req.frame!.input]: prepared.tensor } : req.feeds;
        const t0 = performance.now();
        const result = await loaded.session.run(toFeeds(loaded.ort, feeds));
        const runMs = performance.now() - t0;
        if (cancelled.delete(req.id)) return reply({ id: req.id, ok: false, error: 'cancelled', cancelled: true });
        const outputs: Record<string, WireTensor> = {};
        const transfer: Transferable[] = [];
        for (const [name, t] of Object.entries(result)) {
          let data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>);
          // Transfer when the tensor owns a whole ArrayBuffer; a view into WASM memory is copied once.
          if (!(data.buffer instanceof ArrayBuffer) || data.byteLength !== data.buffer.byteLength) data = data.slice();
          outputs[name] = { dims: [...t.dims], data };
          transfer.push(data.buffer as ArrayBuffer);
        }
        reply({ id: req.id, ok: true, type: 'run', outputs, runMs, decodeMs: prepared?.decodeMs, prepMs: prepared?.prepMs }, transfer);
      }
    } catch (err) {
      let msg = err instanceof Error ? err.message : String(err);
      if (startError && /initializeWebAssembly/.test(msg)) msg = startError;
      reply({ id: req.id, ok: false, error: req.type === 'load' ? describeLoadError(msg, await runtimeVersion()) : msg });
    }
  });
};
