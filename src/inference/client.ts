/**
 * InferenceClient: the page's typed handle on the inference worker. Every call is a promise;
 * tensors and model bytes are transferred (not copied); runs accept an AbortSignal; latency
 * statistics are kept per model.
 */
import type { BackendPreference, FrameFeed, InferenceProtocol, LoadedModel, RunResult, WireTensor } from './inferenceProtocol';
import { isAbortError, WorkerRpc, type PageEndpoint } from '../core/workerRpc';
import { LatencyStats, type LatencySummary } from './latencyStats';
import type { FloatTensor } from './preprocess';
import { traceMark, type StartupMark } from './startupTrace';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export class InferenceClient {
  private readonly rpc: WorkerRpc<InferenceProtocol>;
  private stats = new Map<string, LatencyStats>();
  /** session.run alone, as timed inside the worker (the round trip minus messaging). */
  private runStats = new Map<string, LatencyStats>();

  /** `worker`: tests pass a stand-in (e.g. a MessagePort served by `serve`). */
  constructor(worker?: PageEndpoint) {
    traceMark('worker.create');
    this.rpc = new WorkerRpc<InferenceProtocol>(worker ?? new Worker(new URL('../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' }), 'inference');
  }

  /**
   * Starts onnxruntime for `prefer` (WASM fetch + compile) before a model arrives; `threads` sets
   * the WASM thread count if WASM has not started yet. Resolves with the worker's startup marks.
   */
  prepare(prefer: BackendPreference = 'auto', threads?: number): Promise<StartupMark[]> {
    return this.rpc.call('prepare', [prefer, threads]);
  }

  /** Loads (or replaces) the model under `key`; `bytes` is transferred and unusable afterwards. */
  async load(key: string, bytes: ArrayBuffer, prefer: BackendPreference = 'auto', warmup?: Record<string, FloatTensor>): Promise<LoadedModel> {
    const transfer: Transferable[] = [bytes];
    const wire = warmup ? toWire(warmup, transfer) : undefined;
    const model = await this.rpc.call('load', [key, bytes, prefer, wire], { transfer });
    this.stats.set(key, new LatencyStats());
    this.runStats.set(key, new LatencyStats());
    return model;
  }

  /** Runs the model; the feeds' buffers are transferred. Rejects with CancelledError when aborted. */
  async run(key: string, feeds: Record<string, FloatTensor>, signal?: AbortSignal): Promise<Record<string, FloatTensor>> {
    return (await this.runRequest(key, feeds, undefined, signal)).outputs;
  }

  /**
   * Runs the model with its image input made in the worker from an encoded frame (`frame.bytes` is
   * transferred); the other inputs as in `run`. `decodeMs` is the worker's decode time.
   */
  async runOnFrame(key: string, frame: FrameFeed, feeds: Record<string, FloatTensor>, signal?: AbortSignal): Promise<{ outputs: Record<string, FloatTensor>; decodeMs: number }> {
    const res = await this.runRequest(key, feeds, frame, signal);
    return { outputs: res.outputs, decodeMs: res.decodeMs ?? 0 };
  }

  private async runRequest(key: string, feeds: Record<string, FloatTensor>, frame: FrameFeed | undefined, signal?: AbortSignal): Promise<RunResult> {
    if (signal?.aborted) throw new CancelledError();
    const transfer: Transferable[] = frame ? [frame.bytes] : [];
    const t0 = performance.now();
    let res: RunResult;
    try {
      res = await this.rpc.call('run', [key, toWire(feeds, transfer), frame], { signal, transfer });
    } catch (err) {
      throw isAbortError(err) ? new CancelledError() : err;
    }
    // The round trip less the frame's decode and preprocessing, so both kinds of call compare.
    this.stats.get(key)?.add(performance.now() - t0 - (res.decodeMs ?? 0) - (res.prepMs ?? 0));
    this.runStats.get(key)?.add(res.runMs);
    return res;
  }

  async unload(key: string): Promise<void> {
    await this.rpc.call('unload', [key]);
    this.stats.delete(key);
    this.runStats.delete(key);
  }

  /** Round-trip latency per call (preprocessing excluded, worker messaging included). */
  latency(key: string): LatencySummary | null {
    return this.stats.get(key)?.summary() ?? null;
  }

  /** The same calls timed inside the worker around session.run only. */
  runLatency(key: string): LatencySummary | null {
    return this.runStats.get(key)?.summary() ?? null;
  }

  dispose(): void {
    this.rpc.dispose('the inference worker was stopped');
  }
}

function toWire(feeds: Record<string, FloatTensor>, transfer: Transferable[]): Record<string, WireTensor> {
  const out: Record<string, WireTensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    // A view on part of a buffer would transfer (and detach) the whole buffer: copy those.
    const data = t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength && t.data.buffer instanceof ArrayBuffer ? t.data : t.data.slice();
    out[name] = { dims: t.dims, data };
    transfer.push(data.buffer as ArrayBuffer);
  }
  return out;
}

let shared: InferenceClient | null = null;
/** The app's one inference worker. */
export function inferenceClient(): InferenceClient {
  shared ??= new InferenceClient();
  return shared;
}

/** Tests replace the worker with a stand-in. */
export function setInferenceClient(client: InferenceClient): void {
  shared = client;
}
