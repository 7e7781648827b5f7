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
import type { Backend, BackendPreference, FrameFeed, GraphValue, InferenceProtocol, LoadedModel, RunResult, WireTensor } from '../inference/inferenceProtocol';
import { serve } from '../core/workerRpc';
import { policyImageTensor } from '../inference/preprocess';
import { FrameDecoder } from '../robot/frameDecoder';
import { wallClock, type StartupMark } from '../inference/startupTrace';
import { encodeTinyOnnx, IDENTITY_MODEL } from '../inference/tinyOnnx';
import { describeLoadError } from '../inference/loadError';
import { errorMessage } from '../core/errorMessage';

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
/** Calls are serialized: ORT sessions are not re-entrant, and a queue makes cancellation meaningful. */
let queue: Promise<unknown> = Promise.resolve();
/** Runs `work` after the calls before it; a failure comes back with onnxruntime's start error explained. */
function queued<T>(work: () => Promise<T>): Promise<T> {
  const done = queue.then(work);
  queue = done.catch(() => undefined);
  return done.catch((err: unknown) => Promise.reject(explained(err)));
}

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
    startError = errorMessage(err);
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
        gpu.why = `WebGPU session failed (${errorMessage(err)})`;
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
    throw new Error(`Could not prepare the camera frame (${frame.format}) for the policy: ${errorMessage(err)}`, { cause: err });
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

const cancelled = () => new DOMException('cancelled', 'AbortError');

async function run(key: string, feeds: Record<string, WireTensor>, frame: FrameFeed | undefined, signal: AbortSignal, transfer: (...b: Transferable[]) => void): Promise<RunResult> {
  // A cancelled run that has not started is skipped; one that has started cannot be interrupted
  // inside WASM, so its result is dropped instead.
  if (signal.aborted) throw cancelled();
  const loaded = sessions.get(key);
  if (!loaded) throw new Error(`model ${key} is not loaded`);
  const prepared = frame ? await frameTensor(frame) : null;
  const inputs = prepared ? { ...feeds, [frame!.input]: prepared.tensor } : feeds;
  const t0 = performance.now();
  const result = await loaded.session.run(toFeeds(loaded.ort, inputs));
  const runMs = performance.now() - t0;
  if (signal.aborted) throw cancelled();
  const outputs: Record<string, WireTensor> = {};
  for (const [name, t] of Object.entries(result)) {
    let data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>);
    // Transfer when the tensor owns a whole ArrayBuffer; a view into WASM memory is copied once.
    if (!(data.buffer instanceof ArrayBuffer) || data.byteLength !== data.buffer.byteLength) data = data.slice();
    outputs[name] = { dims: [...t.dims], data };
    transfer(data.buffer as ArrayBuffer);
  }
  return { outputs, runMs, decodeMs: prepared?.decodeMs, prepMs: prepared?.prepMs };
}

/** onnxruntime's own message when its start failed earlier says only "a previous call failed": say why it failed. */
function explained(err: unknown): Error {
  const msg = errorMessage(err);
  return startError && /initializeWebAssembly/.test(msg) ? new Error(startError, { cause: err }) : err instanceof Error ? err : new Error(msg);
}

serve<InferenceProtocol>({
  prepare: (_ctx, prefer, wantThreads) => queued(() => prepare(prefer, wantThreads)),
  load: (_ctx, key, bytes, prefer, warmup) =>
    queued(() => load(key, bytes, prefer, warmup)).catch(async (err: Error) => {
      throw new Error(describeLoadError(err.message, await runtimeVersion()), { cause: err });
    }),
  run: (ctx, key, feeds, frame) => queued(() => run(key, feeds, frame, ctx.signal, ctx.transfer)),
  unload: (_ctx, key) =>
    queued(async () => {
      await sessions.get(key)?.session.release();
      sessions.delete(key);
    }),
});
