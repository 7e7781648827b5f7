/**
 * The robot's WebSocket as the page sees it (`SocketLike`, what roslib's transport talks to),
 * held by a worker so that large frames are assembled and dropped off the main thread
 * (src/workers/rosbridgeSocket.ts says why). One worker per socket, ended when the socket closes.
 */
import type { SocketFactory, SocketLike } from './guardedTransport';
import type { RosbridgeSocketProtocol, SocketClosed, SocketEvent } from './rosbridgeSocketProtocol';
import { WorkerRpc, type PageEndpoint } from '../core/workerRpc';
import { errorMessage } from '../core/errorMessage';

const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;

export class WorkerSocket implements SocketLike {
  binaryType = 'arraybuffer';
  readyState = CONNECTING;
  bufferedAmount = 0;
  onopen: ((e: unknown) => void) | null = null;
  onclose: ((e: unknown) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onoversized: ((bytes: number) => void) | null = null;
  private readonly rpc: WorkerRpc<RosbridgeSocketProtocol>;

  /** `maxBytes`: frames over it are dropped in the worker and reported to `onoversized`. */
  constructor(url: string, maxBytes: number, endpoint: PageEndpoint) {
    this.rpc = new WorkerRpc<RosbridgeSocketProtocol>(endpoint, 'robot socket');
    this.rpc.call('open', [url, maxBytes], { onProgress: (e) => this.onEvent(e) }).then(
      (closed) => this.closed(closed),
      (err: unknown) => {
        this.onerror?.({ type: 'error', message: errorMessage(err) });
        this.closed({ code: 1006, reason: errorMessage(err), wasClean: false });
      },
    );
  }

  send(data: string, expiresAt?: number): void {
    if (this.readyState !== OPEN) return;
    this.rpc.call('send', [data, expiresAt ?? null]).catch(() => undefined);
  }

  close(): void {
    if (this.readyState === CLOSING || this.readyState === CLOSED) return;
    this.readyState = CLOSING;
    this.rpc.call('close', []).catch(() => undefined);
  }

  private onEvent(e: SocketEvent): void {
    if (this.readyState === CLOSED) return;
    switch (e.type) {
      case 'open':
        this.readyState = OPEN;
        return this.onopen?.({ type: 'open' });
      case 'error':
        return this.onerror?.({ type: 'error' });
      case 'message':
        return this.onmessage?.({ data: e.data });
      case 'oversized':
        return this.onoversized?.(e.bytes);
      case 'buffered':
        this.bufferedAmount = e.amount;
    }
  }

  private closed(e: SocketClosed): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.bufferedAmount = 0;
    this.rpc.dispose();
    this.onclose?.({ type: 'close', ...e });
  }
}

/** Sockets for `RosbridgeLink` in the browser: each in its own worker, frames over `maxBytes` never reach the page. */
export function workerSocketFactory(maxBytes: number): SocketFactory {
  return (url) => new WorkerSocket(url, maxBytes, new Worker(new URL('../workers/rosbridgeSocket.worker.ts', import.meta.url), { type: 'module', name: 'robot-socket' }));
}
