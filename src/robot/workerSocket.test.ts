// @vitest-environment node
/**
 * The worker-held robot socket, end to end in Node: RosbridgeLink → WorkerSocket → a MessageChannel
 * (structured clone and transfer, as between the page and a worker) → serveRosbridgeSocket → `ws`
 * → a server that sends what a hostile peer would.
 */
import { MessageChannel } from 'node:worker_threads';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { SIM_PROFILE } from './profile';
import { RosbridgeLink } from './rosbridgeLink';
import type { SocketFactory } from './guardedTransport';
import { serveRosbridgeSocket, type RawSocket } from '../workers/rosbridgeSocket';
import type { PageEndpoint, WorkerEndpoint } from '../core/workerRpc';
import { WorkerSocket } from './workerSocket';

const until = async (cond: () => boolean, timeoutMs = 8000) => {
  for (const t0 = Date.now(); !cond(); await new Promise((r) => setTimeout(r, 10))) if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
};

const ports: { close(): void }[] = [];
const sockets: WorkerSocket[] = [];
const servers: WebSocketServer[] = [];
afterEach(async () => {
  // The close travels to the "worker" as a message: let it arrive before the channel goes.
  await until(() => sockets.every((s) => s.readyState === 3));
  sockets.length = 0;
  ports.splice(0).forEach((p) => p.close());
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** What `workerSocketFactory` makes in the browser, with a MessageChannel in place of the Worker. */
function workerSockets(maxBytes: number): SocketFactory {
  return (url) => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    serveRosbridgeSocket(port2 as unknown as WorkerEndpoint, (u) => new WebSocket(u) as unknown as RawSocket);
    const socket = new WorkerSocket(url, maxBytes, port1 as unknown as PageEndpoint);
    sockets.push(socket);
    return socket;
  };
}

async function server(onConnection: (ws: WebSocket) => void): Promise<number> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  servers.push(wss);
  await new Promise((r) => wss.once('listening', r));
  wss.on('connection', onConnection);
  return (wss.address() as { port: number }).port;
}

const profileFor = (port: number, maxMessageBytes: number) => ({ ...SIM_PROFILE, url: `ws://127.0.0.1:${port}`, maxMessageBytes });
describe('RosbridgeLink through the worker-held socket', () => {
  it('drops oversized frames in the worker (only their size crosses), forwards the rest, and keeps going', async () => {
    const port = await server((ws) => {
      ws.on('message', () => undefined);
      setTimeout(() => {
        ws.send('{not json');
        ws.send(Buffer.alloc(5000, 7)); // over the 4096-byte limit: dropped in the worker
        ws.send(Buffer.from([0xff, 0xfe, 0x00])); // undecodable CBOR: forwarded, refused by the link
        ws.send(JSON.stringify({ op: 'png', id: 'p', data: 'AAAA' }));
        ws.send(JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['a'], position: [0.5] } }));
      }, 100);
    });
    const link = new RosbridgeLink(profileFor(port, 4096), { socketFactory: workerSockets(4096), subscribeDepth: false });
    const states: number[][] = [];
    link.on('jointStates', (s) => states.push(s.positions));
    link.connect();
    await until(() => states.length > 0);
    expect(states[0]).toEqual([0.5]);
    expect(link.counters.oversized).toBe(1);
    expect(link.counters.malformed).toBeGreaterThanOrEqual(3);
    expect(link.status.state).toBe('connected');
    link.disconnect();
  });

  it('sends commands to the robot, and reports the close when the robot goes away', async () => {
    const received: { op: string; topic?: string }[] = [];
    let peer: WebSocket | undefined;
    const port = await server((ws) => {
      peer = ws;
      ws.on('message', (m) => received.push(JSON.parse(String(m))));
      const alive = setInterval(() => ws.send(JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['a'], position: [0.1] } })), 20);
      ws.on('close', () => clearInterval(alive));
    });
    const link = new RosbridgeLink(profileFor(port, 4096), { socketFactory: workerSockets(4096), subscribeDepth: false });
    const states: string[] = [];
    link.on('status', (s) => states.push(s.state));
    link.connect();
    await until(() => link.status.state === 'connected' && link.counters.received > 2);
    expect(link.sendTwist({ linear: [0.01, 0, 0], angular: [0, 0, 0] })).toBe(true);
    await until(() => received.some((m) => m.op === 'publish' && m.topic === SIM_PROFILE.topics.twist));
    peer!.terminate();
    await until(() => states.includes('reconnecting'));
    link.disconnect();
  });
});

describe('serveRosbridgeSocket', () => {
  it('drops a command that reached the worker after its expiry instead of sending it late', async () => {
    const received: string[] = [];
    const port = await server((ws) => ws.on('message', (m) => received.push(String(m))));
    const socket = workerSockets(4096)(`ws://127.0.0.1:${port}`);
    await new Promise<void>((r) => (socket.onopen = () => r()));
    socket.send('stale', Date.now() - 1);
    socket.send('fresh', Date.now() + 60_000);
    socket.send('no expiry');
    await until(() => received.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toEqual(['fresh', 'no expiry']);
    const closed = new Promise((r) => (socket.onclose = r));
    socket.close();
    await closed;
    expect(socket.readyState).toBe(3);
  });
});
