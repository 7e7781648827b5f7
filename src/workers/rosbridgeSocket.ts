/**
 * The worker side of the robot's socket. Chromium assembles each incoming WebSocket frame on the
 * thread that owns the socket: a 5 MiB frame took ~250 ms of the page's main thread, so a peer
 * sending large frames froze the console (46 long tasks, up to 1.7 s, in a 15 s flood). Here the
 * socket lives in a worker; frames over the limit are dropped in the worker and only their size
 * reaches the page; the rest are forwarded (binary transferred, not copied).
 *
 * A command that waited in this worker's queue past its expiry (the worker was busy with a huge
 * frame while the page kept sending) is dropped instead of going out late: motion is never queued.
 */
import { rawSize } from '../robot/messages';
import type { RosbridgeSocketProtocol, SocketEvent } from '../robot/rosbridgeSocketProtocol';
import { serve, type WorkerEndpoint } from '../core/workerRpc';

/** The part of a WebSocket this needs (the browser's, or `ws` in Node tests). */
export interface RawSocket {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  onopen: ((e: unknown) => void) | null;
  onclose: ((e: { code: number; reason: string; wasClean: boolean }) => void) | null;
  onerror: ((e: unknown) => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

const OPEN = 1;
/** How often a socket with unsent bytes is checked until it drains. */
const BUFFER_POLL_MS = 10;

export function serveRosbridgeSocket(scope: WorkerEndpoint, makeSocket: (url: string) => RawSocket): void {
  let socket: RawSocket | null = null;
  let emit: (event: SocketEvent, transfer?: Transferable[]) => void = () => {};
  let reported = 0;
  let polling: ReturnType<typeof setTimeout> | null = null;

  // A send leaves bytes in bufferedAmount only for a moment while the peer reads; one that stays
  // (a frozen peer whose kernel buffer is full) is reported until it drains.
  const checkBuffered = () => {
    polling = null;
    const amount = socket?.readyState === OPEN ? socket.bufferedAmount : 0;
    if (amount !== reported) emit({ type: 'buffered', amount });
    reported = amount;
    if (amount > 0) polling = setTimeout(checkBuffered, BUFFER_POLL_MS);
  };

  serve<RosbridgeSocketProtocol>({
    open: (ctx, url, maxBytes) =>
      new Promise((resolve) => {
        emit = ctx.progress;
        const ws = (socket = makeSocket(url));
        ws.binaryType = 'arraybuffer';
        ws.onopen = () => emit({ type: 'open' });
        ws.onerror = () => emit({ type: 'error' });
        ws.onclose = (e) => {
          if (polling) clearTimeout(polling);
          resolve({ code: e.code, reason: e.reason, wasClean: e.wasClean });
        };
        ws.onmessage = (e) => {
          const bytes = rawSize(e.data);
          if (bytes > maxBytes) return emit({ type: 'oversized', bytes });
          if (typeof e.data === 'string') return emit({ type: 'message', data: e.data });
          const data = e.data instanceof ArrayBuffer ? e.data : new Uint8Array(e.data as ArrayBufferView as Uint8Array).slice().buffer;
          emit({ type: 'message', data }, [data]);
        };
        ctx.signal.addEventListener('abort', () => ws.close());
      }),
    send(_ctx, data, expiresAt) {
      if (socket?.readyState !== OPEN || (expiresAt !== null && Date.now() > expiresAt)) return false;
      socket.send(data);
      polling ??= setTimeout(checkBuffered, BUFFER_POLL_MS);
      return true;
    },
    close() {
      socket?.close();
    },
  }, scope);
}
