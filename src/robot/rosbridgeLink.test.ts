// @vitest-environment node
/**
 * The live link against the real simulator (roslib over `ws`), and against a hostile server for
 * malformed and oversized messages.
 */
import { PNG } from 'pngjs';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimNode } from '../../sim/src/simNode';
import { SIM_PROFILE, type RobotProfile } from './profile';
import { RosbridgeLink } from './rosbridgeLink';
import type { SocketLike } from './guardedTransport';
import type { LinkEvents, LinkState } from './types';

const socketFactory = (url: string) => new WebSocket(url) as unknown as SocketLike;
const profileFor = (port: number, extra: Partial<RobotProfile> = {}): RobotProfile => ({ ...SIM_PROFILE, url: `ws://127.0.0.1:${port}`, ...extra });

function next<K extends keyof LinkEvents>(link: RosbridgeLink, event: K, pred: (v: LinkEvents[K]) => boolean = () => true, timeoutMs = 8000): Promise<LinkEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${String(event)} within ${timeoutMs} ms`)); }, timeoutMs);
    const off = link.on(event, (v) => {
      if (!pred(v)) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}
const state = (link: RosbridgeLink, s: LinkState, timeoutMs?: number) => next(link, 'status', (st) => st.state === s, timeoutMs);

describe('RosbridgeLink with the simulator', () => {
  let node: SimNode;
  let link: RosbridgeLink;
  beforeAll(async () => {
    node = await SimNode.start({ port: 0, host: '127.0.0.1', seed: 5 });
  });
  afterAll(async () => {
    link?.disconnect();
    await node?.stop();
  });

  it('receives frames, joint states, transforms and the URDF, and drives the arm', async () => {
    link = new RosbridgeLink(profileFor(node.port), { socketFactory, backoff: { baseMs: 50, maxMs: 200, jitter: 0 } });
    const urdf = next(link, 'robotDescription');
    const frame = next(link, 'frame');
    const joints = next(link, 'jointStates');
    const tfStatic = next(link, 'tfStatic');
    link.connect();
    await state(link, 'connected');
    expect((await urdf)).toContain('<robot');
    const f = await frame;
    expect(f.data[0]).toBe(0xff); // JPEG SOI, as a CBOR byte string
    expect(f.stampMs).toBeGreaterThan(1.6e12);
    expect((await joints).names).toContain('shoulder_pan');
    expect((await tfStatic)[0].child).toBe('camera_color_optical_frame');
    const ee0 = (await next(link, 'tf'))[0].translation;
    const timer = setInterval(() => link.sendTwist({ linear: [0, 0, 0.1], angular: [0, 0, 0] }), 50);
    await new Promise((r) => setTimeout(r, 1000));
    clearInterval(timer);
    const ee1 = (await next(link, 'tf'))[0].translation;
    // 0.1 m/s for 1 s is 10 cm in real time; the sim runs in slow motion on a loaded machine.
    expect(ee1[2] - ee0[2]).toBeGreaterThan(0.004);
    expect(link.counters.malformed).toBe(0);
  });

  it('reports a killed robot at once, refuses commands, and reconnects when it is back', async () => {
    const port = node.port;
    const t0 = performance.now();
    const dropped = state(link, 'reconnecting');
    await node.stop();
    const st = await dropped;
    expect(st.since - t0).toBeLessThan(200);
    expect(link.sendTwist({ linear: [0.1, 0, 0], angular: [0, 0, 0] })).toBe(false);
    expect(link.counters.refusedCommands).toBeGreaterThan(0);
    node = await SimNode.start({ port, host: '127.0.0.1', seed: 6 });
    await state(link, 'connected', 10_000);
    await next(link, 'frame');
    expect(link.sendTwist({ linear: [0, 0, 0], angular: [0, 0, 0] })).toBe(true);
  });

  it('calls the reset service', async () => {
    const r = await link.reset({ seed: 11, tasks: ['press_button'] });
    expect(r.task).toBe('press_button');
    expect(r.instruction).toMatch(/button/);
  });

  it('disconnect closes for good (no reconnect)', async () => {
    link.disconnect();
    expect(link.status.state).toBe('closed');
    await new Promise((r) => setTimeout(r, 300));
    expect(link.status.state).toBe('closed');
  });
});

describe('RosbridgeLink with a hostile server', () => {
  it('drops and counts malformed and oversized messages, and keeps going', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    wss.on('connection', (ws) => {
      ws.on('message', () => undefined);
      setTimeout(() => {
        ws.send('{not json');
        ws.send(JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['a', 'b'], position: [1] } }));
        ws.send(JSON.stringify({ op: 'publish', topic: '/tf', msg: { transforms: [{ nope: 1 }] } }));
        ws.send(Buffer.alloc(5000, 7)); // larger than the profile's limit
        ws.send(Buffer.from([0xff, 0xfe, 0x00])); // undecodable CBOR
        // 23 bytes of JPEG whose header claims 60000×60000 pixels: refused before the view or a decoder sees it.
        const side = [60000 >> 8, 60000 & 255];
        const bomb = Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, ...side, ...side, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9]);
        ws.send(JSON.stringify({ op: 'publish', topic: SIM_PROFILE.topics.image, msg: { header: { stamp: { sec: 1, nanosec: 0 }, frame_id: 'camera' }, format: 'jpeg', data: bomb.toString('base64') } }));
        ws.send(JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['a'], position: [0.5] } }));
      }, 100);
    });
    const link = new RosbridgeLink(profileFor(port, { maxMessageBytes: 4096 }), { socketFactory, subscribeDepth: false });
    const good = next(link, 'jointStates');
    let frames = 0;
    link.on('frame', () => frames++);
    link.connect();
    expect((await good).positions).toEqual([0.5]);
    expect(link.counters.oversized).toBe(2);
    expect(frames).toBe(0);
    expect(link.counters.malformed).toBeGreaterThanOrEqual(3);
    link.disconnect();
    await new Promise<void>((r) => wss.close(() => r()));
  });
});

describe('RosbridgeLink with a peer that sends what the studio never asks for', () => {
  it('refuses png-compressed and fragmented messages without decoding them, and keeps going', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    const publish = (position: number) => JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['a'], position: [position] } });
    // rosbridge's png op: the JSON text as the samples of a one-row greyscale PNG, base64.
    const json = Buffer.from(publish(1));
    const png = PNG.sync.write(Object.assign(new PNG({ width: json.length, height: 1, colorType: 0, inputColorType: 0, inputHasAlpha: false }), { data: json }), { colorType: 0, inputColorType: 0, inputHasAlpha: false });
    const text = publish(2), third = Math.ceil(text.length / 3);
    wss.on('connection', (ws) => {
      ws.on('message', () => undefined);
      setTimeout(() => {
        ws.send(JSON.stringify({ op: 'png', data: png.toString('base64') }));
        for (let i = 0; i < 3; i++) ws.send(JSON.stringify({ op: 'fragment', id: 'f1', num: i, total: 3, data: text.slice(i * third, (i + 1) * third) }));
        ws.send(publish(3));
      }, 100);
    });
    const link = new RosbridgeLink(profileFor(port), { socketFactory, subscribeDepth: false });
    const seen: number[] = [];
    link.on('jointStates', (j) => seen.push(j.positions[0]));
    const last = next(link, 'jointStates', (j) => j.positions[0] === 3);
    link.connect();
    await last;
    expect(seen).toEqual([3]);
    expect(link.counters.malformed).toBe(4);
    link.disconnect();
    await new Promise<void>((r) => wss.close(() => r()));
  });
});

describe('RosbridgeLink with a server that accepts the socket and never speaks', () => {
  it('backs off further on each drop (the backoff restarts only when the robot speaks)', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    const link = new RosbridgeLink(profileFor(port), { socketFactory, subscribeDepth: false, staleMs: 200, backoff: { baseMs: 40, maxMs: 1000, jitter: 0 } });
    const delays: number[] = [];
    link.on('status', (st) => { if (st.state === 'reconnecting' && st.nextRetryAt) delays.push(Math.round(st.nextRetryAt - st.since)); });
    link.connect();
    await new Promise((r) => setTimeout(r, 1500));
    link.disconnect();
    await new Promise<void>((r) => wss.close(() => r()));
    expect(delays.slice(0, 3)).toEqual([40, 80, 160]);
  });
});

describe('RosbridgeLink with a robot that freezes (socket open, nothing read or sent)', () => {
  it('withholds motion 250 ms after the last message, reports the silence, and nothing it sent is older than that', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    const port = (wss.address() as { port: number }).port;
    let frozen = false, lastSentByRobot = 0;
    const twistsAfterResume: { stampMs: number; lastRobotMessage: number }[] = [];
    let frozenAt = 0;
    wss.on('connection', (ws) => {
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        if (m.op === 'publish' && m.topic === SIM_PROFILE.topics.twist && !frozen && frozenAt) {
          twistsAfterResume.push({ stampMs: m.msg.header.stamp.sec * 1000 + m.msg.header.stamp.nanosec / 1e6, lastRobotMessage: lastSentByRobot });
        }
      });
      const timer = setInterval(() => {
        if (frozen) return;
        lastSentByRobot = Date.now();
        ws.send(JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['a'], position: [0] } }));
      }, 20);
      ws.on('close', () => clearInterval(timer));
      // SIGSTOP, as the OS sees it: the process neither reads nor writes, the kernel still accepts bytes.
      setTimeout(() => {
        frozen = true;
        frozenAt = lastSentByRobot;
        (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      }, 500);
      setTimeout(() => {
        frozen = false;
        (ws as unknown as { _socket: { resume(): void } })._socket.resume();
      }, 2000);
    });
    const link = new RosbridgeLink(profileFor(port), { socketFactory, subscribeDepth: false });
    const silence = next(link, 'silence', () => true, 5000);
    link.connect();
    await state(link, 'connected');
    const teleop = setInterval(() => link.sendTwist({ linear: [0.1, 0, 0], angular: [0, 0, 0] }), 20);
    const silentFor = await silence;
    expect(silentFor).toBeGreaterThanOrEqual(SIM_PROFILE.silenceStopMs);
    expect(link.counters.withheldMotion).toBeGreaterThan(10);
    expect(link.counters.maxSilenceAtMotionMs).toBeLessThanOrEqual(SIM_PROFILE.motionTimeoutMs);
    await new Promise((r) => setTimeout(r, 1500)); // resumed at 2.0 s: the queued bytes arrive
    clearInterval(teleop);
    // Every twist the frozen robot read late was sent within 250 ms of its last message (+ one teleop tick).
    const late = twistsAfterResume.filter((t) => t.lastRobotMessage === frozenAt);
    expect(late.length).toBeGreaterThan(0);
    for (const t of late) expect(t.stampMs - frozenAt).toBeLessThanOrEqual(SIM_PROFILE.motionTimeoutMs + 40);
    // A stop is never withheld.
    expect(link.sendTwist({ linear: [0, 0, 0], angular: [0, 0, 0] })).toBe(true);
    link.disconnect();
    await new Promise<void>((r) => wss.close(() => r()));
  });
});

describe('RosbridgeLink on a busy page (every timer runs ~300 ms late, as under software 3D on a loaded machine)', () => {
  /** A robot that publishes every 20 ms until `freezeAt` ms after connecting (never, if undefined). */
  async function robot(freezeAt?: number) {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws) => {
      const opened = Date.now();
      const timer = setInterval(() => {
        if (freezeAt === undefined || Date.now() - opened < freezeAt) ws.send(JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['a'], position: [0] } }));
      }, 20);
      ws.on('close', () => clearInterval(timer));
    });
    return { port: (wss.address() as { port: number }).port, close: () => new Promise<void>((r) => wss.close(() => r())) };
  }
  const busyPage = () => setInterval(() => { const end = performance.now() + 300; while (performance.now() < end); }, 30);

  it('still finds a frozen robot, and soon', async () => {
    const server = await robot(500);
    const link = new RosbridgeLink(profileFor(server.port), { socketFactory, subscribeDepth: false });
    link.connect();
    await state(link, 'connected');
    const hog = busyPage();
    const frozenAt = performance.now();
    try {
      const silentFor = await next(link, 'silence', () => true, 5000);
      expect(silentFor).toBeGreaterThanOrEqual(SIM_PROFILE.silenceStopMs);
      expect(performance.now() - frozenAt).toBeLessThan(5000);
    } finally {
      clearInterval(hog);
      link.disconnect();
      await server.close();
    }
  });

  it('never takes its own lateness for a silent robot', async () => {
    const server = await robot();
    const link = new RosbridgeLink(profileFor(server.port), { socketFactory, subscribeDepth: false });
    let silences = 0;
    link.on('silence', () => silences++);
    link.connect();
    await state(link, 'connected');
    const hog = busyPage();
    await new Promise((r) => setTimeout(r, 3000));
    clearInterval(hog);
    expect(silences).toBe(0);
    expect(link.status.state).toBe('connected');
    link.disconnect();
    await server.close();
  });
});
