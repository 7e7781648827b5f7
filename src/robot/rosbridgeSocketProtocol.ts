/** The robot's WebSocket, held by a worker (src/workers/rosbridgeSocket.ts): its calls and events. */
import type { Method } from '../core/workerRpc';

export type SocketEvent =
  | { type: 'open' }
  | { type: 'error' }
  /** A frame within the size limit: text, or an ArrayBuffer (transferred). */
  | { type: 'message'; data: string | ArrayBuffer }
  /** A frame over the limit, dropped in the worker; only its size crosses. */
  | { type: 'oversized'; bytes: number }
  /** Bytes the socket has not sent yet, reported while it is not 0 and once when it drains. */
  | { type: 'buffered'; amount: number };

export interface SocketClosed {
  code: number;
  reason: string;
  wasClean: boolean;
}

export type RosbridgeSocketProtocol = {
  /** Opens the socket; its events arrive as progress; resolves when it has closed. */
  open: Method<[url: string, maxBytes: number], SocketClosed, SocketEvent>;
  /** Sends `data` unless it has waited past `expiresAt` (wall clock, ms) to get here; false when not sent. */
  send: Method<[data: string, expiresAt: number | null], boolean>;
  close: Method<[], void>;
};
