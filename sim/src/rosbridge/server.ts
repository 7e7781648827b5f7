/**
 * A rosbridge v2 server (the protocol of rosbridge_suite) on `ws`: topics with latching, per
 * subscription throttle_rate / queue_length / compression ("none" = JSON, "cbor" = binary frames),
 * client publishing into registered topics, services, and `status` errors for bad input. A bad
 * message only ever affects the client that sent it.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { decodeFrame, encodeOutgoing, normalizeType, parseOp, resolveName, status, type ClientOp, type Compression, type SubscribeOp } from './protocol.ts';

/** Returns an error text to reject a client's message, or nothing to accept it. */
export type IncomingHandler = (msg: Record<string, unknown>) => string | void;
export type ServiceHandler = (args: unknown) => Promise<unknown> | unknown;

interface Topic {
  name: string;
  type: string;
  latched: boolean;
  last?: Record<string, unknown>;
  subscriptions: Set<Subscription>;
  incoming?: IncomingHandler;
}

interface Subscription {
  id: string | undefined;
  client: Client;
  topic: Topic;
  throttleMs: number;
  queueLength: number;
  compression: Compression;
  lastSent: number;
  queue: (string | Buffer)[];
  timer: NodeJS.Timeout | null;
}

interface Client {
  ws: WebSocket;
  subscriptions: Set<Subscription>;
  advertised: Set<string>;
}

export interface TopicPublisher {
  publish(msg: Record<string, unknown>): void;
  /** Whether anyone listens (skip expensive work such as rendering when nobody does). */
  readonly hasSubscribers: boolean;
}

/** Frames queued in a client's socket beyond which we drop messages for it (latest-frame semantics). */
const MAX_BUFFERED_BYTES = 2 * 1024 * 1024;
/** Bounds on what a client may ask for, so one subscription cannot hoard memory or overflow a timer. */
const MAX_QUEUE_LENGTH = 100;
const MAX_THROTTLE_MS = 3_600_000;

export class RosbridgeServer {
  private readonly topics = new Map<string, Topic>();
  private readonly services = new Map<string, { type: string; handler: ServiceHandler }>();
  private readonly clients = new Set<Client>();
  private wss: WebSocketServer | null = null;

  /** Starts listening; resolves with the bound port (pass 0 for a free one). */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    // Commands are small; a 16 MB cap keeps a misbehaving client from exhausting memory.
    const wss = new WebSocketServer({ port, host, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
    this.wss = wss;
    wss.on('connection', (ws) => this.accept(ws));
    await new Promise<void>((resolve, reject) => { wss.once('listening', resolve); wss.once('error', reject); });
    return (wss.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const client of [...this.clients]) { client.ws.terminate(); this.drop(client); }
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.wss = null;
  }

  /** A topic the robot publishes. Latched topics replay their last message to new subscribers. */
  advertise(name: string, type: string, options: { latched?: boolean } = {}): TopicPublisher {
    const topic = this.topic(name, type);
    topic.latched = options.latched ?? false;
    return {
      publish: (msg) => this.fanOut(topic, msg),
      get hasSubscribers() { return topic.subscriptions.size > 0; },
    };
  }

  /** A topic clients publish to (commands). The handler validates and consumes each message. */
  onPublish(name: string, type: string, handler: IncomingHandler): void {
    this.topic(name, type).incoming = handler;
  }

  advertiseService(name: string, type: string, handler: ServiceHandler): void {
    this.services.set(name, { type, handler });
  }

  /** Live counts, for leak tests and diagnostics. */
  stats(): { clients: number; subscriptions: number; pendingTimers: number; queuedMessages: number } {
    let subscriptions = 0, pendingTimers = 0, queuedMessages = 0;
    for (const t of this.topics.values()) {
      subscriptions += t.subscriptions.size;
      for (const s of t.subscriptions) {
        if (s.timer) pendingTimers++;
        queuedMessages += s.queue.length;
      }
    }
    return { clients: this.clients.size, subscriptions, pendingTimers, queuedMessages };
  }

  serviceNames(): string[] {
    return [...this.services.keys()];
  }

  topicNames(): { name: string; type: string }[] {
    return [...this.topics.values()].map((t) => ({ name: t.name, type: t.type }));
  }

  private topic(name: string, type: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = { name, type, latched: false, subscriptions: new Set() };
      this.topics.set(name, topic);
    }
    return topic;
  }

  private accept(ws: WebSocket): void {
    const client: Client = { ws, subscriptions: new Set(), advertised: new Set() };
    this.clients.add(client);
    ws.on('message', (data, isBinary) => this.receive(client, data as Buffer, isBinary));
    ws.on('close', () => this.drop(client));
    ws.on('error', () => this.drop(client));
  }

  private drop(client: Client): void {
    for (const sub of client.subscriptions) this.unsubscribeOne(sub);
    client.subscriptions.clear();
    this.clients.delete(client);
  }

  private send(client: Client, payload: string | Buffer): void {
    if (client.ws.readyState !== client.ws.OPEN) return;
    client.ws.send(payload, { binary: typeof payload !== 'string' });
  }

  private sendStatus(client: Client, level: 'error' | 'warning', msg: string, id?: string): void {
    this.send(client, JSON.stringify(status(level, msg, id)));
  }

  private receive(client: Client, data: Buffer, isBinary: boolean): void {
    const decoded = decodeFrame(data, isBinary);
    if (!decoded.ok) return this.sendStatus(client, 'error', decoded.error);
    const parsed = parseOp(decoded.value);
    if (!parsed.ok) return this.sendStatus(client, 'error', parsed.error, parsed.id);
    try {
      this.dispatch(client, parsed.op);
    } catch (err) {
      this.sendStatus(client, 'error', `${parsed.op.op} failed: ${(err as Error).message}`, parsed.op.id);
    }
  }

  private dispatch(client: Client, op: ClientOp): void {
    if ('topic' in op) op.topic = resolveName(op.topic);
    switch (op.op) {
      case 'advertise': {
        const topic = this.topics.get(op.topic);
        if (!topic?.incoming) return this.sendStatus(client, 'error', `topic ${op.topic} does not accept publishers`, op.id);
        if (normalizeType(op.type) !== normalizeType(topic.type)) return this.sendStatus(client, 'error', `topic ${op.topic} has type ${topic.type}, not ${op.type}`, op.id);
        client.advertised.add(op.topic);
        return;
      }
      case 'unadvertise':
        client.advertised.delete(op.topic);
        return;
      case 'publish': {
        const topic = this.topics.get(op.topic);
        if (!topic?.incoming) return this.sendStatus(client, 'error', `unknown topic ${op.topic} (or not publishable)`, op.id);
        const error = topic.incoming(op.msg);
        if (error) return this.sendStatus(client, 'error', `publish to ${op.topic} (${topic.type}): ${error}`, op.id);
        this.fanOut(topic, op.msg);
        return;
      }
      case 'subscribe':
        return this.subscribe(client, op);
      case 'unsubscribe':
        for (const sub of [...client.subscriptions]) {
          if (sub.topic.name === op.topic && (op.id === undefined || sub.id === op.id)) {
            this.unsubscribeOne(sub);
            client.subscriptions.delete(sub);
          }
        }
        return;
      case 'call_service':
        void this.callService(client, op.service, op.args, op.id);
        return;
      case 'set_level':
        return;
    }
  }

  private subscribe(client: Client, op: SubscribeOp): void {
    const topic = this.topics.get(op.topic);
    if (!topic) return this.sendStatus(client, 'error', `unknown topic ${op.topic}`, op.id);
    if (op.type && normalizeType(op.type) !== normalizeType(topic.type)) {
      return this.sendStatus(client, 'error', `topic ${op.topic} has type ${topic.type}, not ${op.type}`, op.id);
    }
    let compression: Compression = 'none';
    if (op.compression === 'cbor') compression = 'cbor';
    else if (op.compression && op.compression !== 'none') this.sendStatus(client, 'warning', `compression "${op.compression}" is not supported; sending JSON`, op.id);
    // A re-subscribe with the same id replaces the old subscription (rosbridge semantics).
    for (const old of client.subscriptions) {
      if (old.topic === topic && old.id === op.id) { this.unsubscribeOne(old); client.subscriptions.delete(old); }
    }
    const sub: Subscription = {
      id: op.id, client, topic, compression,
      throttleMs: Math.min(op.throttle_rate ?? 0, MAX_THROTTLE_MS),
      queueLength: Math.min(MAX_QUEUE_LENGTH, Math.max(1, Math.floor(op.queue_length ?? 1))),
      lastSent: -Infinity, queue: [], timer: null,
    };
    topic.subscriptions.add(sub);
    client.subscriptions.add(sub);
    if (topic.latched && topic.last) this.deliver(sub, this.encode(topic, topic.last, compression));
  }

  private unsubscribeOne(sub: Subscription): void {
    if (sub.timer) clearTimeout(sub.timer);
    sub.timer = null;
    sub.queue = [];
    sub.topic.subscriptions.delete(sub);
  }

  private encode(topic: Topic, msg: Record<string, unknown>, compression: Compression): string | Buffer {
    return encodeOutgoing({ op: 'publish', topic: topic.name, msg }, compression);
  }

  private fanOut(topic: Topic, msg: Record<string, unknown>): void {
    if (topic.latched) topic.last = msg;
    if (topic.subscriptions.size === 0) return;
    const encoded: Partial<Record<Compression, string | Buffer>> = {};
    for (const sub of topic.subscriptions) {
      const payload = (encoded[sub.compression] ??= this.encode(topic, msg, sub.compression));
      this.deliver(sub, payload);
    }
  }

  /** Sends now, or queues (keeping the newest queue_length) until the throttle interval has passed. */
  private deliver(sub: Subscription, payload: string | Buffer): void {
    const now = performance.now();
    const wait = sub.lastSent + sub.throttleMs - now;
    if (wait <= 0 && sub.queue.length === 0) return this.transmit(sub, payload, now);
    sub.queue.push(payload);
    if (sub.queue.length > sub.queueLength) sub.queue.splice(0, sub.queue.length - sub.queueLength);
    if (!sub.timer) this.scheduleFlush(sub, Math.max(0, wait));
  }

  private scheduleFlush(sub: Subscription, delay: number): void {
    sub.timer = setTimeout(() => {
      sub.timer = null;
      const next = sub.queue.shift();
      if (next !== undefined) this.transmit(sub, next, performance.now());
      if (sub.queue.length) this.scheduleFlush(sub, sub.throttleMs);
    }, delay);
  }

  private transmit(sub: Subscription, payload: string | Buffer, now: number): void {
    sub.lastSent = now;
    // A slow client gets the latest frames only instead of an ever-growing socket buffer.
    if (sub.client.ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
    this.send(sub.client, payload);
  }

  private async callService(client: Client, name: string, args: unknown, id?: string): Promise<void> {
    const service = this.services.get(resolveName(name));
    if (!service) {
      this.sendStatus(client, 'error', `unknown service ${name}`, id);
      this.send(client, JSON.stringify({ op: 'service_response', service: name, id, values: `unknown service ${name}`, result: false }));
      return;
    }
    try {
      const values = await service.handler(args ?? {});
      this.send(client, JSON.stringify({ op: 'service_response', service: name, id, values, result: true }));
    } catch (err) {
      const message = (err as Error).message;
      this.sendStatus(client, 'error', `service ${name}: ${message}`, id);
      this.send(client, JSON.stringify({ op: 'service_response', service: name, id, values: message, result: false }));
    }
  }
}
