/**
 * The rosbridge server on its own (no simulator): subscription semantics with a raw socket and
 * with roslib.
 */
import { Decoder } from 'cbor-x';
import { Ros, Service, Topic } from 'roslib';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RosbridgeServer, type TopicPublisher } from './server.ts';

type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: RosbridgeServer;
let url: string;
let counter: TopicPublisher;
let latched: TopicPublisher;
const received: Msg[] = [];
const sockets: WebSocket[] = [];

beforeEach(async () => {
  server = new RosbridgeServer();
  counter = server.advertise('/counter', 'std_msgs/msg/Int32');
  latched = server.advertise('/latched', 'std_msgs/msg/String', { latched: true });
  server.onPublish('/cmd', 'std_msgs/msg/Float64', (msg) => {
    if (typeof msg.data !== 'number') return 'data must be a number';
    received.push(msg);
  });
  server.advertiseService('/add', 'example/srv/Add', (args) => {
    const { a, b } = args as { a: number; b: number };
    if (typeof a !== 'number' || typeof b !== 'number') throw new Error('a and b must be numbers');
    return { sum: a + b };
  });
  url = `ws://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  received.length = 0;
});
afterEach(async () => {
  sockets.forEach((s) => s.terminate());
  sockets.length = 0;
  await server.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function raw(): Promise<{ ws: WebSocket; inbox: Msg[] }> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const inbox: Msg[] = [];
  const cbor = new Decoder({ useRecords: false });
  ws.on('message', (data, isBinary) => inbox.push(isBinary ? { binary: true, ...cbor.decode(data as Buffer) } : JSON.parse(String(data))));
  await new Promise((r) => ws.once('open', r));
  return { ws, inbox };
}

describe('rosbridge server', () => {
  it('throttles: first message at once, then the newest queue_length ones, one per interval', async () => {
    const { ws, inbox } = await raw();
    ws.send(JSON.stringify({ op: 'subscribe', id: 's', topic: '/counter', throttle_rate: 100, queue_length: 2 }));
    await sleep(50);
    for (let i = 0; i < 10; i++) counter.publish({ data: i });
    await sleep(30);
    expect(inbox.map((m) => m.msg.data)).toEqual([0]);
    await sleep(300);
    expect(inbox.map((m) => m.msg.data)).toEqual([0, 8, 9]);
    expect(server.stats().pendingTimers).toBe(0);
  });

  it('bounds what one subscription can hold (queue_length, throttle_rate)', async () => {
    const { ws, inbox } = await raw();
    ws.send(JSON.stringify({ op: 'subscribe', id: 'greedy', topic: '/counter', throttle_rate: 1e12, queue_length: 1e9 }));
    await sleep(50);
    for (let i = 0; i < 500; i++) counter.publish({ data: i });
    await sleep(100);
    // One message sent; the timer did not overflow into firing at once; at most 100 kept.
    expect(inbox.map((m) => m.msg.data)).toEqual([0]);
    expect(server.stats()).toMatchObject({ pendingTimers: 1, queuedMessages: 100 });
    ws.terminate();
    await sleep(50);
    expect(server.stats()).toEqual({ clients: 0, subscriptions: 0, pendingTimers: 0, queuedMessages: 0 });
  });

  it('sends every message without a throttle, as JSON or CBOR per subscription', async () => {
    const { ws, inbox } = await raw();
    ws.send(JSON.stringify({ op: 'subscribe', id: 'json', topic: '/counter' }));
    ws.send(JSON.stringify({ op: 'subscribe', id: 'cbor', topic: '/counter', compression: 'cbor' }));
    await sleep(50);
    for (let i = 0; i < 5; i++) counter.publish({ data: i });
    await sleep(100);
    expect(inbox.filter((m) => !m.binary).map((m) => m.msg.data)).toEqual([0, 1, 2, 3, 4]);
    expect(inbox.filter((m) => m.binary).map((m) => m.msg.data)).toEqual([0, 1, 2, 3, 4]);
    expect(inbox[0]).toMatchObject({ op: 'publish', topic: '/counter' });
  });

  it('replays latched topics to late subscribers and stops after unsubscribe', async () => {
    latched.publish({ data: 'hello' });
    const { ws, inbox } = await raw();
    ws.send(JSON.stringify({ op: 'subscribe', id: 'l', topic: '/latched' }));
    await sleep(50);
    expect(inbox.map((m) => m.msg?.data)).toEqual(['hello']);
    ws.send(JSON.stringify({ op: 'unsubscribe', id: 'l', topic: '/latched' }));
    await sleep(50);
    latched.publish({ data: 'again' });
    await sleep(50);
    expect(inbox).toHaveLength(1);
    expect(server.stats().subscriptions).toBe(0);
  });

  it('passes client publications to the handler, drops rejected ones, and serves services (roslib)', async () => {
    const ros = new Ros({ url });
    await new Promise<void>((r) => ros.on('connection', () => r()));
    const cmd = new Topic({ ros, name: '/cmd', messageType: 'std_msgs/msg/Float64' });
    cmd.publish({ data: 0.5 });
    cmd.publish({ data: 'x' });
    const add = new Service({ ros, name: '/add', serviceType: 'example/srv/Add' });
    const sum = await new Promise((resolve, reject) => add.callService({ a: 2, b: 3 }, resolve, reject));
    expect(sum).toEqual({ sum: 5 });
    await expect(new Promise((resolve, reject) => add.callService({ a: 'two' }, resolve, (e) => reject(new Error(String(e)))))).rejects.toThrow(/a and b must be numbers/);
    await sleep(50);
    expect(received).toEqual([{ data: 0.5 }]);
    ros.close();
  });
});
