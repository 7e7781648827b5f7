#!/usr/bin/env node
/**
 * A hostile rosbridge peer, as its own process: it accepts the studio's connection like
 * rosbridge_server, keeps the link alive with valid joint states (20 Hz), and between them sends
 * what a broken or malicious robot could:
 * - text that is not JSON, a JointState with 2 names and 1 position, an image whose data is a number;
 * - a binary frame over the profile's 4 MiB limit (5 MiB), and bytes that are not CBOR;
 * - a rosbridge `png` message (JSON compressed into a PNG that inflates to ~60 MB — roslib would
 *   inflate it on the main thread) and `fragment` messages of a set that never completes;
 * - a CompressedImage whose JPEG header claims 60000×60000 pixels;
 * - with `--huge`, one 50 MB binary frame per connection.
 *
 *   node src/testing/hostileRosbridgePeer.mjs --port 0 [--rounds N] [--interval-ms 500] [--huge]
 *
 * After `--rounds` hostile rounds (default: no end) it sends only valid joint states. Prints
 * `hostile rosbridge peer on :PORT` once it listens. Uses `ws` (the library the simulator uses).
 */
import { WebSocketServer } from 'ws';
import { pngBomb } from './pngBomb.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(arg('port', '0'));
const rounds = Number(arg('rounds', 'Infinity'));
const intervalMs = Number(arg('interval-ms', '500'));
const huge = args.includes('--huge');

const side = 60000;
const jpegClaimingHuge = [0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, side >> 8, side & 255, side >> 8, side & 255, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xff, 0xd9];

const valid = JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['shoulder_pan'], position: [0.5] } });
const hostile = [
  '{not json',
  JSON.stringify({ op: 'publish', topic: '/joint_states', msg: { name: ['a', 'b'], position: [1] } }),
  JSON.stringify({ op: 'publish', topic: '/camera/color/image_raw/compressed', msg: { format: 'jpeg', data: 42 } }),
  Buffer.alloc(5 * 1024 * 1024, 1),
  Buffer.from([0xff, 0xfe, 0x00]),
  JSON.stringify({ op: 'png', id: 'bomb', data: pngBomb().toString('base64') }),
  JSON.stringify({ op: 'publish', topic: '/camera/color/image_raw/compressed', msg: { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'camera' }, format: 'jpeg', data: Buffer.from(jpegClaimingHuge).toString('base64') } }),
];
let fragmentSet = 0;
const fragments = () => {
  const id = `never-complete-${fragmentSet++}`;
  const data = 'x'.repeat(64 * 1024);
  return [0, 1, 2].map((num) => JSON.stringify({ op: 'fragment', id, data, num, total: 4 }));
};

const wss = new WebSocketServer({ port, host: '127.0.0.1' });
wss.on('listening', () => console.log(`hostile rosbridge peer on :${wss.address().port}`));
wss.on('connection', (ws) => {
  ws.on('message', () => undefined); // subscriptions are accepted and ignored
  ws.on('error', () => undefined);
  const alive = setInterval(() => ws.send(valid), 50);
  let round = 0;
  const attack = setInterval(() => {
    if (round++ >= rounds) return clearInterval(attack);
    if (huge && round === 1) ws.send(Buffer.alloc(50 * 1024 * 1024, 7));
    for (const m of [...hostile, ...fragments()]) ws.send(m);
  }, intervalMs);
  ws.on('close', () => {
    clearInterval(alive);
    clearInterval(attack);
  });
});
process.on('SIGTERM', () => process.exit(0));
