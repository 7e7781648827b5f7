/**
 * InferenceClient: the page's typed handle on the inference worker. Every call is a promise;
 * tensors and model bytes are transferred (not copied); runs accept an AbortSignal; latency
 * statistics are kept per model.
 */
import type { BackendPreference, FrameFeed, InferenceRequest, InferenceResponse, LoadedModel, WireTensor } from '../workers/inferenceProtocol';
import { LatencyStats, type LatencySummary } from './latencyStats';
import type { FloatTensor } from './preprocess';
import { traceMark, type StartupMark } from './startupTrace';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** A request before it gets its id (Omit distributed over the union). */
type Unsent = InferenceRequest extends infer R ? (R extends InferenceRequest ? Omit<R, 'id'> : never) : never;
type Pending = { resolve: (r: InferenceResponse & { ok: true }) => void; reject: (e: Error) => void };

export class InferenceClient {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private stats = new Map<string, LatencyStats>();
  /** session.run alone, as timed inside the worker (the round trip minus messaging). */
  private runStats = new Map<string, LatencyStats>();

  constructor(worker?: Worker) {
    traceMark('worker.create');
    this.worker = worker ?? new Worker(new URL('../workers/inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' });
    this.worker.onmessage = (e: MessageEvent<InferenceResponse>) => {
      const p = this.pending.get(e.data.id);
      if (!p) return;
      this.pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data);
      else p.reject(e.data.cancelled ? new CancelledError() : new Error(e.data.error));
    };
    this.worker.onerror = (e) => {
      const err = new Error(`the inference worker failed: ${e.message || 'unknown error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  private send(req: Unsent, transfer: Transferable[] = []): { id: number; done: Promise<InferenceResponse & { ok: true }> } {
    const id = this.nextId++;
    const done = new Promise<InferenceResponse & { ok: true }>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ ...req, id } as InferenceRequest, transfer);
    return { id, done };
  }

  /**
   * Starts onnxruntime for `prefer` (WASM fetch + compile) before a model arrives; `threads` sets
   * the WASM thread count if WASM has not started yet. Resolves with the worker's startup marks.
   */
  async prepare(prefer: BackendPreference = 'auto', threads?: number): Promise<StartupMark[]> {
    const res = await this.send({ type: 'prepare', prefer, threads }).done;
    return res.type === 'prepare' ? res.marks : [];
  }

  /** Loads (or replaces) the model under `key`; `bytes` is transferred and unusable afterwards. */
  async load(key: string, bytes: ArrayBuffer, prefer: BackendPreference = 'auto', warmup?: Record<string, FloatTensor>): Promise<LoadedModel> {
    const transfer: Transferable[] = [bytes];
    const wire = warmup ? toWire(warmup, transfer) : undefined;
    const res = await this.send({ type: 'load', key, bytes, prefer, warmup: wire }, transfer).done;
    this.stats.set(key, new LatencyStats());
    this.runStats.set(key, new LatencyStats());
    if (res.type !== 'load') throw new Error('unexpected answer from the inference worker');
    return res.model;
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

  private async runRequest(key: string, feeds: Record<string, FloatTensor>, frame: FrameFeed | undefined, signal?: AbortSignal) {
    if (signal?.aborted) throw new CancelledError();
    const transfer: Transferable[] = frame ? [frame.bytes] : [];
    const t0 = performance.now();
    const { id, done } = this.send({ type: 'run', key, feeds: toWire(feeds, transfer), frame }, transfer);
    const onAbort = () => this.worker.postMessage({ id: this.nextId++, type: 'cancel', target: id } satisfies InferenceRequest);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await done;
      if (res.type !== 'run') throw new Error('unexpected answer from the inference worker');
      // The round trip less the frame's decode and preprocessing, so both kinds of call compare.
      this.stats.get(key)?.add(performance.now() - t0 - (res.decodeMs ?? 0) - (res.prepMs ?? 0));
      this.runStats.get(key)?.add(res.runMs);
      return res;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async unload(key: string): Promise<void> {
    await this.send({ type: 'unload', key }).done;
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
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('the inference worker was stopped'));
    this.pending.clear();
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
