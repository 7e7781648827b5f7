/**
 * A roslib transport over a WebSocket that drops oversized frames *before* decoding them (a 50 MB
 * frame must not be parsed on the main thread) and reports undecodable ones. roslib's own
 * WebSocket transport has no size limit, hence this small subclass of its `AbstractTransport`.
 *
 * It also refuses the two rosbridge wrappers the studio never asks for: `png` (JSON compressed
 * into a PNG, which roslib would inflate on the main thread — a 243 KB PNG bomb froze the page for
 * 7 s) and `fragment` (only sent to clients that set `fragment_size`; roslib keeps incomplete
 * fragment sets forever, so a hostile peer could grow the page's memory without bound).
 */
import { AbstractTransport, type RosbridgeMessage } from 'roslib';
import { rawSize } from './messages';

/** The part of the WebSocket API this needs: the browser's and Node's `ws` both have it. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((e: unknown) => void) | null;
  onclose: ((e: unknown) => void) | null;
  onerror: ((e: unknown) => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  /** Bytes handed to `send` that have not gone out yet (the browser's and `ws`'s WebSocket both have it). */
  readonly bufferedAmount?: number;
  /**
   * Set by a socket that drops oversized frames itself (the worker-held one, src/robot/workerSocket.ts):
   * called with the size of each, in place of `onmessage`.
   */
  onoversized?: ((bytes: number) => void) | null;
  /** `expiresAt` (wall clock, ms): a socket that can hold a send back drops it after then instead of sending it late. */
  send(data: string, expiresAt?: number): void;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;

const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;

/** rosbridge ops a studio link never requests; a peer sending them is refused, never decoded. */
export const REFUSED_OPS: ReadonlySet<string> = new Set(['png', 'fragment']);

interface RoslibTransportInternals {
  handleRosbridgeMessage(message: { op?: unknown }): void;
}

export class GuardedTransport extends AbstractTransport {
  constructor(
    private readonly socket: SocketLike,
    private readonly maxBytes: number,
    private readonly onOversized: (bytes: number) => void,
    private readonly onUndecodable: (err: unknown) => void,
    /** Any frame from the robot, before size checks or decoding: proof that it is alive. */
    private readonly onAnyMessage: () => void = () => {},
    /** How long a command (a `publish`) may take to reach the socket before it is dropped as stale. */
    private readonly maxCommandDelayMs = Infinity,
  ) {
    super();
    socket.binaryType = 'arraybuffer';
    socket.onopen = (e) => this.emit('open', e);
    socket.onclose = (e) => this.emit('close', e);
    socket.onerror = (e) => this.emit('error', e);
    socket.onmessage = (e) => {
      this.onAnyMessage();
      const size = rawSize(e.data);
      if (size > this.maxBytes) return this.onOversized(size);
      this.handleRawMessage(e.data);
    };
    socket.onoversized = (bytes) => {
      this.onAnyMessage();
      this.onOversized(bytes);
    };
    // AbstractTransport reports decoding failures as `error` events carrying an Error.
    this.on('error', (err) => {
      if (err instanceof Error) this.onUndecodable(err);
    });
    // roslib routes every decoded message (JSON, CBOR or BSON) through this one method, which
    // inflates `png` and buffers `fragment` messages; the gate goes in front of it. (It is private
    // in roslib's typings, hence the cast; roslib 2's AbstractTransport, checked in the unit test.)
    const inner = this as unknown as RoslibTransportInternals;
    const handle = inner.handleRosbridgeMessage.bind(this);
    inner.handleRosbridgeMessage = (message) => {
      if (typeof message.op === 'string' && REFUSED_OPS.has(message.op)) return this.onUndecodable(new Error(`refused a rosbridge "${message.op}" message (the studio never asks for one)`));
      handle(message);
    };
  }

  send(message: RosbridgeMessage): void {
    if (this.socket.readyState !== OPEN) return;
    const expiresAt = message.op === 'publish' && Number.isFinite(this.maxCommandDelayMs) ? Date.now() + this.maxCommandDelayMs : undefined;
    this.socket.send(JSON.stringify(message), expiresAt);
  }

  /** Bytes still waiting in the socket's send buffer. */
  get bufferedAmount(): number {
    return this.socket.bufferedAmount ?? 0;
  }

  close(): void {
    this.socket.close();
  }

  isConnecting(): boolean {
    return this.socket.readyState === CONNECTING;
  }

  isOpen(): boolean {
    return this.socket.readyState === OPEN;
  }

  isClosing(): boolean {
    return this.socket.readyState === CLOSING;
  }

  isClosed(): boolean {
    return this.socket.readyState === CLOSED;
  }
}
