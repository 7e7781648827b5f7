/**
 * The sim on the wire, tested with the real roslib client (and raw sockets for malformed input).
 */
import { parse } from '@foxglove/rosmsg';
import { ros2jazzy } from '@foxglove/rosmsg-msgs-common';
import jpeg from 'jpeg-js';
import { Param, Ros, Service, Topic } from 'roslib';
import { Encoder } from 'cbor-x';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESET_SERVICE_TYPE, SIM_NODE, SimNode, SERVICES, TOPICS } from './simNode.ts';

type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let node: SimNode;
let url: string;
const opened: Ros[] = [];

beforeAll(async () => {
  node = await SimNode.start({ port: 0, host: '127.0.0.1', seed: 3 });
  url = `ws://127.0.0.1:${node.port}`;
});
afterAll(async () => {
  for (const ros of opened) ros.close();
  await node.stop();
});

async function connect(): Promise<Ros> {
  const ros = new Ros({ url });
  opened.push(ros);
  await new Promise<void>((resolve, reject) => { ros.on('connection', () => resolve()); ros.on('error', reject); });
  return ros;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function nextMessage(ros: Ros, name: string, messageType: string, options: Partial<{ compression: string; throttle_rate: number }> = {}): Promise<Msg> {
  return new Promise((resolve) => {
    const topic = new Topic({ ros, name, messageType, ...options });
    topic.subscribe((m) => { topic.unsubscribe(); resolve(m as Msg); });
  });
}

function callService(ros: Ros, args: object): Promise<Msg> {
  const service = new Service({ ros, name: SERVICES.reset, serviceType: 'path_studio_sim/srv/Reset' });
  return new Promise((resolve, reject) => service.callService(args, (r) => resolve(r as Msg), (e) => reject(new Error(String(e)))));
}

/** Publishes a twist every 50 ms until the returned stop() is called. */
function streamTwist(ros: Ros, linear: { x: number; y: number; z: number }): () => void {
  const topic = new Topic({ ros, name: TOPICS.twist, messageType: 'geometry_msgs/msg/TwistStamped' });
  const send = () => topic.publish({ header: { frame_id: 'base_link', stamp: { sec: 0, nanosec: 0 } }, twist: { linear, angular: { x: 0, y: 0, z: 0 } } });
  send();
  const timer = setInterval(send, 50);
  return () => clearInterval(timer);
}

async function eePosition(ros: Ros): Promise<number[]> {
  const tf = await nextMessage(ros, TOPICS.tf, 'tf2_msgs/msg/TFMessage');
  const t = tf.transforms.find((x: Msg) => x.child_frame_id === 'ee_link').transform.translation;
  return [t.x, t.y, t.z];
}

describe('sim node over rosbridge (roslib client)', () => {
  it('serves the URDF on /robot_description (latched)', async () => {
    const ros = await connect();
    const msg = await nextMessage(ros, TOPICS.robotDescription, 'std_msgs/msg/String');
    expect(msg.data).toContain('<robot name="path_studio_arm">');
    expect(msg.data).toContain('<link name="ee_link">');
  });

  it('streams JPEG frames as CBOR binary and as JSON/base64, with matching CameraInfo', async () => {
    const ros = await connect();
    const cbor = await nextMessage(ros, TOPICS.image, 'sensor_msgs/msg/CompressedImage', { compression: 'cbor' });
    expect(cbor.format).toBe('jpeg');
    expect(cbor.data).toBeInstanceOf(Uint8Array);
    const image = jpeg.decode(cbor.data, { useTArray: true });
    expect([image.width, image.height]).toEqual([256, 256]);
    // A second connection: roslib routes messages by topic name, so a CBOR frame still in flight
    // on the first connection would reach a JSON subscriber there.
    const json = await nextMessage(await connect(), TOPICS.image, 'sensor_msgs/msg/CompressedImage');
    expect(typeof json.data).toBe('string');
    expect(jpeg.decode(Buffer.from(json.data, 'base64')).width).toBe(256);
    const info = await nextMessage(ros, TOPICS.cameraInfo, 'sensor_msgs/msg/CameraInfo');
    expect([info.width, info.height]).toEqual([256, 256]);
    expect(info.k).toEqual(node.cameraModel.intrinsics());
    expect(info.header.frame_id).toBe('camera_color_optical_frame');
  });

  it('lists its topics and services through rosapi, as rosbridge_server does', async () => {
    const ros = await connect();
    const topics = await new Promise<{ topics: string[]; types: string[] }>((resolve, reject) => ros.getTopics(resolve, reject));
    expect(topics.topics).toEqual(expect.arrayContaining(Object.values(TOPICS)));
    expect(topics.types[topics.topics.indexOf(TOPICS.twist)]).toBe('geometry_msgs/msg/TwistStamped');
    const services = await new Promise<string[]>((resolve, reject) => ros.getServices(resolve, reject));
    expect(services).toEqual(expect.arrayContaining([SERVICES.reset, SERVICES.state]));
    const info = await nextMessage(ros, TOPICS.cameraInfo, 'sensor_msgs/msg/CameraInfo');
    expect(Math.abs(info.header.stamp.sec - Date.now() / 1000)).toBeLessThan(60); // Unix time stamps
  });

  it('publishes metric depth aligned with the colour camera', async () => {
    const ros = await connect();
    const depth = await nextMessage(ros, TOPICS.depth, 'sensor_msgs/msg/Image', { compression: 'cbor' });
    expect(depth).toMatchObject({ encoding: '32FC1', width: 256, height: 256, step: 1024 });
    const d = new Float32Array(depth.data.buffer.slice(depth.data.byteOffset, depth.data.byteOffset + depth.data.byteLength));
    expect(d).toHaveLength(256 * 256);
    // The gripper pixel is about as far away as the gripper is from the camera.
    const [u, v, z] = node.cameraModel.project(node.simulation.eePosition());
    const seen = d[Math.round(v) * 256 + Math.round(u)];
    expect(Math.abs(seen - z)).toBeLessThan(0.05);
  });

  // The 15 Hz figure is measured by bench/node/sim.bench.ts; here only a floor that holds on a busy
  // 2-core machine shared with browser tests.
  it('streams camera frames continuously to a subscriber', async () => {
    const ros = await connect();
    let frames = 0;
    const topic = new Topic({ ros, name: TOPICS.image, messageType: 'sensor_msgs/msg/CompressedImage', compression: 'cbor', queue_length: 1 });
    topic.subscribe(() => frames++);
    await sleep(300);
    const start = frames;
    await sleep(1000);
    topic.unsubscribe();
    expect(frames - start).toBeGreaterThanOrEqual(5);
  });

  it('drives the arm with TwistStamped and the gripper with Float64', async () => {
    const ros = await connect();
    const before = await eePosition(ros);
    const stop = streamTwist(ros, { x: 0, y: 0.1, z: 0 });
    await sleep(1000);
    stop();
    await sleep(300);
    const after = await eePosition(ros);
    // 0.1 m/s for 1 s: ~0.1 m when the loop keeps real time, less if a loaded machine slows it.
    expect(after[1] - before[1]).toBeGreaterThan(0.03);
    expect(after[1] - before[1]).toBeLessThan(0.13);
    expect(Math.abs(after[0] - before[0]) + Math.abs(after[2] - before[2])).toBeLessThan(0.01);

    new Topic({ ros, name: TOPICS.gripper, messageType: 'std_msgs/msg/Float64' }).publish({ data: 1 });
    await sleep(500);
    const js = await nextMessage(ros, TOPICS.jointStates, 'sensor_msgs/msg/JointState');
    const finger = js.position[js.name.indexOf('finger_left')];
    expect(finger).toBeLessThan(0.005);
  });

  it('deadman: a client that stops sending mid-motion leaves the arm still within 250 ms', async () => {
    const ros = await connect();
    const stop = streamTwist(ros, { x: 0.15, y: -0.1, z: 0 });
    await sleep(600);
    stop();
    await sleep(250);
    const a = await eePosition(ros);
    await sleep(300);
    const b = await eePosition(ros);
    expect(Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2])).toBeLessThan(0.002);
  });

  it('drops twists stamped more than 250 ms ago (queued while it was frozen) and counts them', async () => {
    const ros = await connect();
    const topic = new Topic({ ros, name: TOPICS.twist, messageType: 'geometry_msgs/msg/TwistStamped' });
    const before = await eePosition(ros);
    const staleBefore = node.staleCommands;
    const old = (Date.now() - 2000) / 1000;
    const timer = setInterval(() => topic.publish({ header: { frame_id: 'base_link', stamp: { sec: Math.floor(old), nanosec: 0 } }, twist: { linear: { x: 0, y: 0.1, z: 0 }, angular: { x: 0, y: 0, z: 0 } } }), 50);
    await sleep(600);
    clearInterval(timer);
    const after = await eePosition(ros);
    expect(node.staleCommands - staleBefore).toBeGreaterThan(5);
    expect(Math.hypot(after[0] - before[0], after[1] - before[1], after[2] - before[2])).toBeLessThan(0.001);
  });

  it('resets to a seeded task deterministically and publishes its instruction', async () => {
    const ros = await connect();
    const first = await callService(ros, { seed: 42 });
    expect(first.success).toBe(true);
    expect(first.seed).toBe(42);
    const instruction = await nextMessage(ros, TOPICS.instruction, 'std_msgs/msg/String');
    expect(instruction.data).toBe(first.instruction);
    const again = await callService(ros, { seed: 42 });
    expect(again.scene_json).toBe(first.scene_json);
    const other = await callService(ros, { seed: 43 });
    expect(other.scene_json).not.toBe(first.scene_json);
    const pressOnly = await callService(ros, { seed: 44, tasks: ['press_button'] });
    expect(pressOnly.task).toBe('press_button');
    // Concurrent resets are served one after the other; the last one wins.
    const [a, b] = await Promise.all([callService(ros, { seed: 50 }), callService(ros, { seed: 51 })]);
    expect([a.seed, b.seed]).toEqual([50, 51]);
    const status = await nextMessage(ros, TOPICS.status, 'std_msgs/msg/String');
    expect(JSON.parse(status.data).seed).toBe(51);
  });

  it('resets to an explicit scene an outside evaluator poses, and rejects invalid ones', async () => {
    const ros = await connect();
    const scene = {
      objects: [
        { id: 'mug', shape: 'cylinder', rgb: [0.2, 0.9, 0.3], size: [0.025, 0.03], position: [0.45, 0.12] },
        { id: 'dish', shape: 'plate', rgb: [0.9, 0.9, 0.9], position: [0.5, -0.15] },
      ],
      task: { kind: 'pick_place', objectId: 'mug', targetId: 'dish', instruction: 'put the mint mug on the white dish' },
    };
    const res = await callService(ros, { scene });
    expect(res.instruction).toBe('put the mint mug on the white dish');
    const stateService = new Service({ ros, name: SERVICES.state, serviceType: 'path_studio_sim/srv/GetState' });
    const state = await new Promise<Msg>((resolve, reject) => stateService.callService({}, (r) => resolve(r as Msg), reject));
    const mug = state.objects.find((o: Msg) => o.id === 'mug');
    expect(Math.hypot(mug.position[0] - 0.45, mug.position[1] - 0.12)).toBeLessThan(0.005);
    expect(mug.position[2]).toBeCloseTo(0.03, 2);
    expect(state.success).toBe(false);

    await expect(callService(ros, { scene: { ...scene, objects: [{ ...scene.objects[0], shape: 'teapot' }] } })).rejects.toThrow(/unknown shape "teapot"/);
    await expect(callService(ros, { seed: 'abc' })).rejects.toThrow(/seed must be an integer/);
  });
});

describe('bad input and faults', () => {
  /** A raw client collecting the status errors it gets back. */
  async function rawClient(): Promise<{ ws: WebSocket; statuses: Msg[] }> {
    const ws = new WebSocket(url);
    const statuses: Msg[] = [];
    ws.on('message', (data, isBinary) => { if (!isBinary) { const m = JSON.parse(String(data)); if (m.op === 'status') statuses.push(m); } });
    await new Promise((r) => ws.once('open', r));
    return { ws, statuses };
  }

  it('answers malformed or wrong input with a status error to a client that asked for them, and keeps serving others', async () => {
    const ros = await connect();
    let jointStates = 0;
    new Topic({ ros, name: TOPICS.jointStates, messageType: 'sensor_msgs/msg/JointState' }).subscribe(() => jointStates++);
    const { ws, statuses } = await rawClient();
    const cbor = new Encoder({ useRecords: false });
    ws.send(JSON.stringify({ op: 'set_level', level: 'error' }));
    ws.send('{"op": "subscribe", "topic": ');
    ws.send(Buffer.from([0xbf, 0x61, 0x6f]), { binary: true });
    ws.send(JSON.stringify({ op: 'teleport', id: 't1' }));
    ws.send(JSON.stringify({ op: 'subscribe', id: 's1', topic: '/no/such/topic', type: 'std_msgs/msg/String' }));
    ws.send(JSON.stringify({ op: 'subscribe', id: 's2', topic: TOPICS.jointStates, type: 'std_msgs/msg/String' }));
    ws.send(JSON.stringify({ op: 'publish', id: 'p1', topic: TOPICS.twist, msg: { twist: { linear: { x: 'fast' } } } }));
    ws.send(cbor.encode({ op: 'publish', id: 'p2', topic: TOPICS.gripper, msg: { data: [1] } }), { binary: true });
    ws.send(JSON.stringify({ op: 'publish', id: 'p3', topic: TOPICS.image, msg: { data: 'x' } }));
    ws.send(JSON.stringify({ op: 'advertise', id: 'a1', topic: TOPICS.twist, type: 'geometry_msgs/msg/Twist' }));
    ws.send(JSON.stringify({ op: 'call_service', id: 'c1', service: '/no/service' }));
    await sleep(400);
    const byId = Object.fromEntries(statuses.filter((s) => s.id).map((s) => [s.id, s.msg]));
    expect(statuses.every((s) => s.level === 'error')).toBe(true);
    expect(statuses.some((s) => /JSON decode failed/.test(s.msg))).toBe(true);
    expect(statuses.some((s) => /CBOR decode failed/.test(s.msg))).toBe(true);
    expect(byId.t1).toMatch(/unknown op "teleport"/);
    expect(byId.s1).toMatch(/unknown topic/);
    expect(byId.s2).toMatch(/has type sensor_msgs\/msg\/JointState/);
    expect(byId.p1).toMatch(/twist.linear.x must be a finite number/);
    expect(byId.p2).toMatch(/data must be a finite number/);
    expect(byId.p3).toMatch(/not publishable/);
    expect(byId.a1).toMatch(/has type geometry_msgs\/msg\/TwistStamped/);
    expect(byId.c1).toMatch(/Service \/no\/service does not exist/);
    ws.close();
    const before = jointStates;
    await sleep(200);
    expect(jointStates).toBeGreaterThan(before); // the other client is still served
  });

  it('50 clients connecting, subscribing and dropping leave no subscriptions or timers behind', async () => {
    await sleep(100);
    const baseline = node.server.stats();
    const clients = await Promise.all(Array.from({ length: 50 }, () => rawClient()));
    clients.forEach(({ ws }, i) => {
      // A long throttle: after the first message every client holds a queued one and a pending timer.
      ws.send(JSON.stringify({ op: 'subscribe', id: `js${i}`, topic: TOPICS.jointStates, throttle_rate: 10_000, queue_length: 2 }));
      ws.send(JSON.stringify({ op: 'subscribe', id: `img${i}`, topic: TOPICS.image, compression: 'cbor', queue_length: 1 }));
    });
    await sleep(500);
    expect(node.server.stats().subscriptions).toBe(baseline.subscriptions + 100);
    expect(node.server.stats().pendingTimers).toBeGreaterThanOrEqual(40);
    clients.forEach(({ ws }, i) => (i % 2 ? ws.terminate() : ws.close()));
    // Graceful closes finish their handshake behind queued camera frames: poll, don't guess.
    for (let waited = 0; waited < 5000 && JSON.stringify(node.server.stats()) !== JSON.stringify(baseline); waited += 100) await sleep(100);
    expect(node.server.stats()).toEqual(baseline);
  });

  it('honours throttle_rate', async () => {
    const { ws } = await rawClient();
    let count = 0;
    ws.on('message', (d, isBinary) => { if (!isBinary && JSON.parse(String(d)).topic === TOPICS.jointStates) count++; });
    ws.send(JSON.stringify({ op: 'subscribe', id: 'slow', topic: TOPICS.jointStates, throttle_rate: 250, queue_length: 1 }));
    await sleep(1000);
    ws.close();
    expect(count).toBeGreaterThanOrEqual(3);
    expect(count).toBeLessThanOrEqual(5); // 50 Hz source, one message per 250 ms
  });
});

describe('rosapi and errors as rosbridge_server has them (roslib)', () => {
  /** A roslib call with (callback, failedCallback) as a promise; failures carry roslib's error text. */
  const call = <T>(fn: (ok: (v: T) => void, fail: (e: string) => void) => void) =>
    new Promise<T>((resolve, reject) => fn(resolve, (e) => reject(new Error(String(e)))));

  it("answers every rosapi service that roslib's Ros, Topic and Param call", async () => {
    const ros = await connect();
    const topics = await call<{ topics: string[]; types: string[] }>((ok, fail) => ros.getTopics(ok, fail));
    expect(topics.topics).toEqual(expect.arrayContaining(Object.values(TOPICS)));
    expect(topics.types[topics.topics.indexOf(TOPICS.cameraInfo)]).toBe('sensor_msgs/msg/CameraInfo');
    expect(await call((ok, fail) => ros.getTopicsForType('tf2_msgs/TFMessage', ok, fail))).toEqual([TOPICS.tf, TOPICS.tfStatic]);
    expect(await call((ok, fail) => ros.getTopicType(TOPICS.twist, ok, fail))).toBe('geometry_msgs/msg/TwistStamped');
    expect(await call((ok, fail) => ros.getTopicType('/no/such/topic', ok, fail))).toBe('');

    const services = await call<string[]>((ok, fail) => ros.getServices(ok, fail));
    expect(services).toEqual(expect.arrayContaining([SERVICES.reset, SERVICES.state, '/rosapi/message_details', '/rosapi/get_param', '/rosapi/node_details']));
    expect(await call((ok, fail) => ros.getServicesForType(RESET_SERVICE_TYPE, ok, fail))).toEqual([SERVICES.reset]);
    expect(await call((ok, fail) => ros.getServiceType(SERVICES.state, ok, fail))).toBe('path_studio_sim/srv/GetState');
    expect(await call((ok, fail) => ros.getServiceType('/rosapi/nodes', ok, fail))).toBe('rosapi_msgs/srv/Nodes');
    expect(await call((ok, fail) => ros.getServiceType('/no/service', ok, fail))).toBe('');

    expect(await call<string[]>((ok, fail) => ros.getNodes(ok, fail))).toEqual([SIM_NODE, '/rosapi', '/rosbridge_websocket']);
    const details = await call<{ publishing: string[]; subscribing: string[]; services: string[] }>((ok, fail) => ros.getNodeDetails(SIM_NODE, ok, fail));
    expect(details.publishing).toEqual(expect.arrayContaining([TOPICS.image, TOPICS.jointStates, TOPICS.tf]));
    expect(details.subscribing.sort()).toEqual([TOPICS.gripper, TOPICS.twist].sort());
    expect(details.services.sort()).toEqual([SERVICES.reset, SERVICES.state].sort());
    // This client's subscription makes the bridge node a subscriber of /joint_states.
    await nextMessage(ros, TOPICS.jointStates, 'sensor_msgs/msg/JointState');
    const js = new Topic({ ros, name: TOPICS.jointStates, messageType: 'sensor_msgs/msg/JointState' });
    js.subscribe(() => undefined);
    await sleep(100);
    const bridge = await call<{ subscribing: string[] }>((ok, fail) => ros.getNodeDetails('/rosbridge_websocket', ok, fail));
    expect(bridge.subscribing).toContain(TOPICS.jointStates);
    js.unsubscribe();
    expect(await call((ok, fail) => js.getPublishers(ok, fail))).toEqual([SIM_NODE]);
    expect(await call((ok, fail) => ros.getActionServers(ok, fail))).toEqual([]);

    const request = await call<{ typedefs: Msg[] }>((ok, fail) => ros.getServiceRequestDetails(RESET_SERVICE_TYPE, ok, fail));
    expect(request.typedefs[0]).toMatchObject({ type: 'path_studio_sim/Reset_Request', fieldnames: ['seed', 'tasks', 'split'], fieldtypes: ['int64', 'string', 'string'], fieldarraylen: [-1, 0, -1] });
    const response = await call<{ typedefs: Msg[] }>((ok, fail) => ros.getServiceResponseDetails('path_studio_sim/srv/GetState', ok, fail));
    expect(response.typedefs.map((t) => t.type)).toEqual(['path_studio_sim/GetState_Response', 'path_studio_sim/ObjectState']);
  });

  it('message_details: TypeDefs of the types on the wire, which roslib decodes into their fields', async () => {
    const ros = await connect();
    const typedefs = await call<Msg[]>((ok, fail) => ros.getMessageDetails('sensor_msgs/msg/CameraInfo', ok, fail));
    expect(typedefs.map((t) => t.type)).toEqual(['sensor_msgs/CameraInfo', 'std_msgs/Header', 'builtin_interfaces/Time', 'sensor_msgs/RegionOfInterest']);
    expect(typedefs[0]).toMatchObject({
      fieldnames: ['header', 'height', 'width', 'distortion_model', 'd', 'k', 'r', 'p', 'binning_x', 'binning_y', 'roi'],
      fieldarraylen: [-1, -1, -1, -1, 0, 9, 9, 12, -1, -1, -1],
      examples: ['{}', '0', '0', '', '[]', '[]', '[]', '[]', '0', '0', '{}'],
      constnames: [], constvalues: [],
    });
    expect(ros.decodeTypeDefs(typedefs as never)).toEqual({
      header: { stamp: { sec: 'int32', nanosec: 'uint32' }, frame_id: 'string' },
      height: 'uint32', width: 'uint32', distortion_model: 'string', d: ['double'], k: ['double'], r: ['double'], p: ['double'],
      binning_x: 'uint32', binning_y: 'uint32', roi: { x_offset: 'uint32', y_offset: 'uint32', height: 'uint32', width: 'uint32', do_rectify: 'boolean' },
    });
    // Every type the sim publishes or takes has a definition, constants included.
    for (const type of ['sensor_msgs/msg/CompressedImage', 'sensor_msgs/msg/Image', 'sensor_msgs/msg/JointState', 'tf2_msgs/msg/TFMessage', 'geometry_msgs/msg/TwistStamped', 'std_msgs/msg/String', 'std_msgs/msg/Bool', 'std_msgs/msg/Float64']) {
      const defs = await call<Msg[]>((ok, fail) => ros.getMessageDetails(type, ok, fail));
      expect(defs[0].type, type).toBe(type.replace('/msg/', '/'));
    }
    const status = await call<Msg[]>((ok, fail) => ros.getMessageDetails('sensor_msgs/NavSatStatus', ok, fail));
    expect(status[0]).toMatchObject({ fieldnames: ['status', 'service'], examples: ['-2', '0'] });
    expect(status[0].constnames.slice(0, 3)).toEqual(['STATUS_UNKNOWN', 'STATUS_NO_FIX', 'STATUS_FIX']);
    expect(status[0].constvalues.slice(0, 3)).toEqual(['-2', '-1', '0']);
    await expect(call((ok, fail) => ros.getMessageDetails('sensor_msgs/msg/Imag', ok, fail))).rejects.toThrow(/unknown message type "sensor_msgs\/msg\/Imag"/);
  });

  it('topics_and_raw_types: full definitions that @foxglove/rosmsg parses back into the ROS 2 types', async () => {
    const ros = await connect();
    const raw = await call<{ topics: string[]; types: string[]; typedefs_full_text: string[] }>((ok, fail) => ros.getTopicsAndRawTypes(ok, fail));
    expect(raw.topics).toEqual(expect.arrayContaining(Object.values(TOPICS)));
    raw.topics.forEach((topic, i) => {
      const [root, ...deps] = parse(raw.typedefs_full_text[i], { ros2: true });
      const key = raw.types[i].replace('/msg/', '/') as keyof typeof ros2jazzy;
      expect(root.definitions, topic).toEqual(ros2jazzy[key].definitions);
      for (const dep of deps) expect(dep.definitions, `${topic} ${dep.name}`).toEqual(ros2jazzy[dep.name as keyof typeof ros2jazzy].definitions);
    });
  });

  it('parameters: listed, read as JSON, one of them writable, refusals with a reason', async () => {
    const ros = await connect();
    const names = await call<string[]>((ok, fail) => ros.getParams(ok, fail));
    expect(names).toEqual(expect.arrayContaining([`${SIM_NODE}:camera_hz`, `${SIM_NODE}:seed`, `${SIM_NODE}:max_command_age_ms`]));
    const param = (name: string) => new Param({ ros, name });
    expect(await call((ok, fail) => param(`${SIM_NODE}:camera_hz`).get(ok, fail))).toBe(15);
    expect(await call((ok, fail) => param(`${SIM_NODE}:seed`).get(ok, fail))).toBe(3);
    const age = param(`${SIM_NODE}:max_command_age_ms`);
    await call((ok, fail) => age.set(400, ok, fail));
    expect(await call((ok, fail) => age.get(ok, fail))).toBe(400);
    await expect(call((ok, fail) => age.set(-1, ok, fail))).rejects.toThrow(/must be a positive number of milliseconds, got -1/);
    await call((ok, fail) => age.set(250, ok, fail));
    await expect(call((ok, fail) => param(`${SIM_NODE}:camera_hz`).set(30, ok, fail))).rejects.toThrow(/read-only/);
    await expect(call((ok, fail) => param(`${SIM_NODE}:camera_hz`).delete(ok, fail))).rejects.toThrow(/cannot be deleted/);
    await expect(call((ok, fail) => param('camera_hz').get(ok, fail))).rejects.toThrow(/expecting <node_name>:<param_name>/);
    await expect(call((ok, fail) => param(`${SIM_NODE}:fps`).get(ok, fail))).rejects.toThrow(/has no parameter "fps"/);
  });

  it('bad input: logged, a failed service call answered with result false, no status unless the client set a level', async () => {
    const logs: string[] = [];
    const log = node.server.log;
    node.server.log = (level, line) => void logs.push(`${level} ${line}`);
    try {
      const ros = await connect();
      await expect(call((ok, fail) => new Service({ ros, name: '/no/such/service', serviceType: 'std_srvs/srv/Trigger' }).callService({}, ok, fail)))
        .rejects.toThrow(/^Service \/no\/such\/service does not exist$/);

      const ws = new WebSocket(url);
      const inbox: Msg[] = [];
      ws.on('message', (data, isBinary) => { if (!isBinary) inbox.push(JSON.parse(String(data))); });
      await new Promise((r) => ws.once('open', r));
      const badInput = (tag: string) => {
        ws.send('{"op": "publish", ');
        ws.send(JSON.stringify({ op: 'teleport', id: `${tag}-op` }));
        ws.send(JSON.stringify({ op: 'publish', id: `${tag}-pub`, topic: TOPICS.gripper, msg: { data: 'closed' } }));
        ws.send(JSON.stringify({ op: 'subscribe', id: `${tag}-sub`, topic: '/no/such/topic' }));
        ws.send(JSON.stringify({ op: 'call_service', id: `${tag}-call`, service: '/no/service' }));
      };
      badInput('quiet');
      ws.send(JSON.stringify({ op: 'set_level', level: 'loud' })); // not a level: dropped
      badInput('still-quiet');
      await sleep(300);
      // rosbridge_server's answers: the service_response only, no status messages.
      expect(inbox).toEqual([
        { op: 'service_response', service: '/no/service', id: 'quiet-call', values: 'Service /no/service does not exist', result: false },
        { op: 'service_response', service: '/no/service', id: 'still-quiet-call', values: 'Service /no/service does not exist', result: false },
      ]);
      expect(logs.filter((l) => l.includes('[id: quiet-'))).toHaveLength(4);
      expect(logs.some((l) => /^error \[Client \d+\] \[id: quiet-pub\] publish to \/gripper_cmd .*data must be a finite number/.test(l))).toBe(true);
      expect(logs.some((l) => /^warning .*set_level: "loud" is not one of none, error, warning, info/.test(l))).toBe(true);

      inbox.length = 0;
      ws.send(JSON.stringify({ op: 'set_level', level: 'warning' }));
      badInput('told');
      ws.send(JSON.stringify({ op: 'subscribe', id: 'told-png', topic: TOPICS.jointStates, compression: 'png' }));
      await sleep(300);
      const statuses = inbox.filter((m) => m.op === 'status');
      expect(statuses.map((m) => [m.level, m.id])).toEqual([
        ['error', undefined], ['error', 'told-op'], ['error', 'told-pub'], ['error', 'told-sub'], ['error', 'told-call'], ['warning', 'told-png'],
      ]);
      expect(statuses[2].msg).toMatch(/data must be a finite number/);

      inbox.length = 0;
      ws.send(JSON.stringify({ op: 'set_level', level: 'error' }));
      ws.send(JSON.stringify({ op: 'subscribe', id: 'quiet-png', topic: TOPICS.cameraInfo, compression: 'png' }));
      await sleep(200);
      expect(inbox.filter((m) => m.op === 'status')).toEqual([]); // a warning, below the level asked for
      ws.close();
    } finally {
      node.server.log = log;
    }
  });
});
