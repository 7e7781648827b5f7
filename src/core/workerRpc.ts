/**
 * One typed RPC between the page and every worker: a call is a promise, with progress, cancel
 * (an AbortSignal on both sides), transferred buffers both ways, and errors that keep their name
 * and cause. Each worker declares its protocol once (`Protocol`: method → args, result,
 * progress); the page calls it through `WorkerRpc`, the worker answers with `serve`.
 *
 * Not comlink: comlink proxies have no cancel or progress of their own (callbacks become proxies
 * with a round trip each) and lose an error's name and cause; ~150 lines here cover what the
 * studio's workers need.
 */

/** One method: its arguments, its result and what it reports while it runs. */
export interface Method<Args extends unknown[] = unknown[], Result = unknown, Progress = never> {
  args: Args;
  result: Result;
  progress: Progress;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any method shape; each protocol is checked where it is declared
export type Protocol = Record<string, Method<any, any, any>>;

/** What a worker-side handler gets besides its arguments. */
export interface CallContext<Progress> {
  /** Aborted when the page cancels the call; the handler decides where it can stop. */
  signal: AbortSignal;
  progress(value: Progress, transfer?: Transferable[]): void;
  /** Buffers in the result to transfer instead of copy. */
  transfer(...buffers: Transferable[]): void;
}

export type Handlers<P extends Protocol> = {
  [K in keyof P]: (ctx: CallContext<P[K]['progress']>, ...args: P[K]['args']) => Promise<P[K]['result']> | P[K]['result'];
};

export interface CallOptions<Progress> {
  signal?: AbortSignal;
  onProgress?: (value: Progress) => void;
  /** Buffers among the arguments to transfer (they are unusable in the page afterwards). */
  transfer?: Transferable[];
}

/** An error as it crosses the boundary (structured clone drops an Error's subclass and cause on some engines). */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  cause?: WireError;
}

type Request = { rpc: 'call'; id: number; method: string; args: unknown[] } | { rpc: 'cancel'; id: number };
type Reply =
  | { rpc: 'result'; id: number; value: unknown }
  | { rpc: 'progress'; id: number; value: unknown }
  | { rpc: 'error'; id: number; error: WireError };

/** The part of a Worker (or a MessagePort, in tests) the page side uses. */
export interface PageEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  terminate?(): void;
}

/** The part of a worker's global scope (or a MessagePort) the worker side uses. */
export interface WorkerEndpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err)) {
    const e = err as Error;
    return { name: e.name || 'Error', message: String(e.message), stack: e.stack, cause: e.cause === undefined ? undefined : toWireError(e.cause) };
  }
  return { name: 'Error', message: String(err) };
}

export function fromWireError(wire: WireError): Error {
  // AbortError stays a DOMException so `signal`-style checks (name === 'AbortError') work as usual.
  const err = wire.name === 'AbortError' ? new DOMException(wire.message, 'AbortError') : new Error(wire.message, wire.cause ? { cause: fromWireError(wire.cause) } : undefined);
  if (!(err instanceof DOMException)) err.name = wire.name;
  return err;
}

export const isAbortError = (err: unknown): boolean => typeof err === 'object' && err !== null && (err as { name?: string }).name === 'AbortError';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onProgress?: (value: unknown) => void;
}

/** The page's handle on one worker. */
export class WorkerRpc<P extends Protocol> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;
  private answered = false;

  /** `name` appears in errors ("the tracking worker failed: …"). */
  constructor(
    private readonly endpoint: PageEndpoint,
    private readonly name: string,
  ) {
    endpoint.addEventListener('message', (e) => this.onReply((e as MessageEvent<Reply>).data));
    // An error before the worker ever answered means it could not start: later calls fail at once
    // instead of waiting for ever. After that, an uncaught error fails the calls in flight only.
    const fail = (why: string) => this.failAll(new Error(`the ${name} worker failed: ${why}`), !this.answered);
    endpoint.addEventListener('error', (e) => fail((e as ErrorEvent).message || 'it could not start'));
    endpoint.addEventListener('messageerror', () => fail('a message could not be read'));
  }

  call<K extends keyof P & string>(method: K, args: P[K]['args'], opts: CallOptions<P[K]['progress']> = {}): Promise<P[K]['result']> {
    if (this.failure) return Promise.reject(this.failure);
    if (opts.signal?.aborted) return Promise.reject(new DOMException(`${method} was cancelled`, 'AbortError'));
    const id = this.nextId++;
    return new Promise<P[K]['result']>((resolve, reject) => {
      const signal = opts.signal;
      const onAbort = () => this.endpoint.postMessage({ rpc: 'cancel', id } satisfies Request, []);
      const settle = () => signal?.removeEventListener('abort', onAbort);
      this.pending.set(id, {
        resolve: (v) => (settle(), resolve(v as P[K]['result'])),
        reject: (e) => (settle(), reject(e)),
        onProgress: opts.onProgress as ((value: unknown) => void) | undefined,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      this.endpoint.postMessage({ rpc: 'call', id, method, args } satisfies Request, opts.transfer ?? []);
    });
  }

  /** Stops the worker; calls still open reject with `reason`. */
  dispose(reason = `the ${this.name} worker was stopped`): void {
    this.endpoint.terminate?.();
    this.failAll(new DOMException(reason, 'AbortError'), true);
  }

  private onReply(reply: Reply): void {
    this.answered = true;
    const p = this.pending.get(reply.id);
    if (!p) return;
    if (reply.rpc === 'progress') return p.onProgress?.(reply.value);
    this.pending.delete(reply.id);
    if (reply.rpc === 'result') p.resolve(reply.value);
    else p.reject(fromWireError(reply.error));
  }

  private failAll(err: Error, forGood: boolean): void {
    if (forGood) this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** Answers the page's calls with `handlers`; each call runs as it arrives (a handler that must not overlap queues itself). */
export function serve<P extends Protocol>(handlers: Handlers<P>, scope: WorkerEndpoint = self as unknown as WorkerEndpoint): void {
  const running = new Map<number, AbortController>();
  scope.addEventListener('message', (event) => {
    const req = event.data as Request;
    if (req.rpc === 'cancel') return void running.get(req.id)?.abort();
    if (req.rpc !== 'call') return;
    const abort = new AbortController();
    running.set(req.id, abort);
    const resultTransfer: Transferable[] = [];
    const ctx: CallContext<unknown> = {
      signal: abort.signal,
      progress: (value, transfer = []) => scope.postMessage({ rpc: 'progress', id: req.id, value } satisfies Reply, transfer),
      transfer: (...buffers) => void resultTransfer.push(...buffers),
    };
    const handler = handlers[req.method] as ((ctx: CallContext<unknown>, ...args: unknown[]) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`this worker has no method "${req.method}"`);
        return handler(ctx, ...req.args);
      })
      .then(
        (value) => scope.postMessage({ rpc: 'result', id: req.id, value } satisfies Reply, resultTransfer),
        (err: unknown) => scope.postMessage({ rpc: 'error', id: req.id, error: toWireError(err) } satisfies Reply, []),
      )
      .finally(() => running.delete(req.id));
  });
}
