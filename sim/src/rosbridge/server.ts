/**
 * A rosbridge v2 server (the protocol of rosbridge_suite) on `ws`: topics with latching, per
 * subscription throttle_rate / queue_length / compression ("none" = JSON, "cbor" = binary frames),
 * client publishing into registered topics, and services. A bad message only ever affects the
 * client that sent it.
 *
 * Errors are reported as rosbridge_server reports them: logged on the server (`[Client N] [id: X]
 * ...`); a failed `call_service` answers `service_response` with `result: false` and the error text
 * in `values`. `status` messages (protocol §3.2) go to a client only after it asked for them with
 * `set_level` (rosbridge_server sends none at all; clients such as roslibpy treat an unexpected
 * one as a fault).
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { decodeFrame, encodeOutgoing, normalizeType, parseOp, resolveName, status, type ClientOp, type Compression, type StatusMessage, type SubscribeOp } from './protocol.ts';

/** Returns an error text to reject a client's message, or nothing to accept it. */
export type IncomingHandler = (msg: Record<string, unknown>) => string | void;
export type ServiceHandler = (args: unknown) => Promise<unknown> | unknown;

interface Topic {
  name: string;
  type: string;
  /** Published by this server's node (`advertise`), as opposed to only consumed (`onPublish`). */
  outgoing: boolean;
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
  /** rosbridge's client number, for the log. */
  n: number;
  ws: WebSocket;
  subscriptions: Set<Subscription>;
  advertised: Set<string>;
  /** Least severe `status` level this client asked for with `set_level`; `none` until it does. */
  statusLevel: StatusLevel;
}

/** `set_level` levels, most to least severe; `none` sends nothing. */
const STATUS_LEVELS = ['none', 'error', 'warning', 'info'] as const;
export type StatusLevel = (typeof STATUS_LEVELS)[number];
export type LogLevel = StatusMessage['level'];
export type Logger = (level: LogLevel, line: string) => void;

/** The rosbridge graph this server forms: its topics (who publishes, who listens) and services. */
export interface GraphTopic { name: string; type: string; nodePublishes: boolean; nodeSubscribes: boolean; clientPublishers: number; clientSubscribers: number }
export interface GraphService { name: string; type: string }

const defaultLogger: Logger = (level, line) => (level === 'error' ? console.error : level === 'warning' ? console.warn : console.info)(`[rosbridge] ${line}`);

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
  private clientCount = 0;
  /** Where errors and warnings about clients' messages go (rosbridge_server: the node's logger). */
  log: Logger = defaultLogger;

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
    topic.outgoing = true;
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

  /** Topics and services as rosapi reports them, with who publishes and subscribes right now. */
  graph(): { topics: GraphTopic[]; services: GraphService[] } {
    const topics = [...this.topics.values()].map((t) => {
      let clientPublishers = 0;
      for (const c of this.clients) if (c.advertised.has(t.name)) clientPublishers++;
      const listening = new Set([...t.subscriptions].map((s) => s.client));
      return { name: t.name, type: t.type, nodePublishes: t.outgoing, nodeSubscribes: t.incoming !== undefined, clientPublishers, clientSubscribers: listening.size };
    });
    return { topics, services: [...this.services].map(([name, s]) => ({ name, type: s.type })) };
  }

  private topic(name: string, type: string): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = { name, type, outgoing: false, latched: false, subscriptions: new Set() };
      this.topics.set(name, topic);
    }
    return topic;
  }

  private accept(ws: WebSocket): void {
    const client: Client = { n: this.clientCount++, ws, subscriptions: new Set(), advertised: new Set(), statusLevel: 'none' };
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

  /** Logs a problem with a client's message, and tells the client if it asked for that level. */
  private report(client: Client, level: LogLevel, msg: string, id?: string): void {
    this.log(level, id === undefined ? `[Client ${client.n}] ${msg}` : `[Client ${client.n}] [id: ${id}] ${msg}`);
    if (STATUS_LEVELS.indexOf(level) <= STATUS_LEVELS.indexOf(client.statusLevel)) this.send(client, JSON.stringify(status(level, msg, id)));
  }

  private receive(client: Client, data: Buffer, isBinary: boolean): void {
    const decoded = decodeFrame(data, isBinary);
    if (!decoded.ok) return this.report(client, 'error', decoded.error);
    const parsed = parseOp(decoded.value);
    if (!parsed.ok) return this.report(client, 'error', parsed.error, parsed.id);
    try {
      this.dispatch(client, parsed.op);
    } catch (err) {
      this.report(client, 'error', `${parsed.op.op}: ${(err as Error).message}`, parsed.op.id);
    }
  }

  private dispatch(client: Client, op: ClientOp): void {
    if ('topic' in op) op.topic = resolveName(op.topic);
    switch (op.op) {
      case 'advertise': {
        const topic = this.topics.get(op.topic);
        if (!topic?.incoming) return this.report(client, 'error', `advertise: topic ${op.topic} does not accept publishers (it is published by the robot)`, op.id);
        if (normalizeType(op.type) !== normalizeType(topic.type)) return this.report(client, 'error', `advertise: topic ${op.topic} has type ${topic.type}, not ${op.type}`, op.id);
        client.advertised.add(op.topic);
        return;
      }
      case 'unadvertise':
        client.advertised.delete(op.topic);
        return;
      case 'publish': {
        const topic = this.topics.get(op.topic);
        if (!topic?.incoming) return this.report(client, 'error', `publish: ${topic ? `topic ${op.topic} is published by the robot, not publishable` : `unknown topic ${op.topic} (not publishable)`}`, op.id);
        const error = topic.incoming(op.msg);
        if (error) return this.report(client, 'error', `publish to ${op.topic} (${topic.type}): ${error}; the message was dropped`, op.id);
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
        // Protocol §3.2.1: a bad level string drops the message.
        if (!(STATUS_LEVELS as readonly unknown[]).includes(op.level)) return this.log('warning', `[Client ${client.n}] set_level: "${String(op.level)}" is not one of ${STATUS_LEVELS.join(', ')}; ignored`);
        client.statusLevel = op.level as StatusLevel;
        return;
    }
  }

  private subscribe(client: Client, op: SubscribeOp): void {
    const topic = this.topics.get(op.topic);
    if (!topic) return this.report(client, 'error', `subscribe: unknown topic ${op.topic} (/rosapi/topics lists the topics)`, op.id);
    if (op.type && normalizeType(op.type) !== normalizeType(topic.type)) {
      return this.report(client, 'error', `subscribe: topic ${op.topic} has type ${topic.type}, not ${op.type}`, op.id);
    }
    let compression: Compression = 'none';
    if (op.compression === 'cbor') compression = 'cbor';
    else if (op.compression && op.compression !== 'none') this.report(client, 'warning', `compression "${op.compression}" is not supported; sending JSON`, op.id);
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

  /** As rosbridge's call_service: the handler's values with `result: true`, or the error text with `result: false`. */
  private async callService(client: Client, name: string, args: unknown, id?: string): Promise<void> {
    const service = this.services.get(resolveName(name));
    let response: Record<string, unknown>;
    try {
      // rosbridge_library/internal/services.py: InvalidServiceException's text.
      if (!service) throw Object.assign(new Error(`Service ${resolveName(name)} does not exist`), { name: 'InvalidServiceException' });
      response = { op: 'service_response', service: name, values: await service.handler(args ?? {}), result: true };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      this.report(client, 'error', `call_service ${e.name}: ${e.message}`, id);
      response = { op: 'service_response', service: name, values: e.message, result: false };
    }
    if (id !== undefined) response.id = id;
    this.send(client, JSON.stringify(response));
  }
}
