/**
 * Benchmarks of the simulated robot: `npx tsx bench/node/sim.bench.ts`.
 * Prints `BENCH {json}` lines through bench/report.ts. SIM_BENCH_EPISODES (default 200) sets the
 * size of the generation run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ros, Topic } from 'roslib';
import { percentile, report, timeRuns } from '../report';
import { generate } from '../../sim/src/generate';
import { CameraModel } from '../../sim/src/render/camera';
import { encodeJpeg } from '../../sim/src/render/jpeg';
import { Rasterizer } from '../../sim/src/render/rasterizer';
import { sampleScene } from '../../sim/src/scene/tasks';
import { Simulation } from '../../sim/src/sim';
import { SimNode, TOPICS } from '../../sim/src/simNode';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function renderingAndPhysics(): Promise<void> {
  const scene = sampleScene(1);
  const sim = await Simulation.create(scene);
  const camera = new CameraModel(scene.camera);
  const rasterizer = new Rasterizer(sim.physics.geoms, camera.width, camera.height, (g) => g.name === 'floor');
  const render = () => { const { xpos, xmat } = sim.physics.geomPoses(); return rasterizer.render(camera, scene.look, xpos, xmat); };
  const renderMs = timeRuns(() => render(), 100, 10);
  report({ metric: 'sim.render.256', value: percentile(renderMs, 50), unit: 'ms', note: 'software rasterizer, p50' });
  const frame = render();
  const jpegMs = timeRuns(() => encodeJpeg(frame.rgb, frame.width, frame.height), 100, 10);
  report({ metric: 'sim.jpeg.256', value: percentile(jpegMs, 50), unit: 'ms', note: 'jpeg-js q85, p50' });

  // Physics + control alone, and with a camera frame (render + JPEG) every 1/15 s of sim time.
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) { sim.controller.commandTwist({ linear: [0, 0.05 * Math.sin(i / 50), 0], angular: [0, 0, 0] }, sim.time); sim.step(); }
  const physicsWall = (performance.now() - t0) / 1000;
  report({ metric: 'sim.physics.rtf_max', value: 10 / physicsWall, unit: '×', note: '500 Hz physics + 100 Hz control, no camera, unthrottled' });
  const t1 = performance.now();
  let nextFrame = sim.time;
  for (let i = 0; i < 1000; i++) {
    sim.controller.commandTwist({ linear: [0, 0.05 * Math.sin(i / 50), 0], angular: [0, 0, 0] }, sim.time);
    sim.step();
    if (sim.time >= nextFrame) { const f = render(); encodeJpeg(f.rgb, f.width, f.height); nextFrame += 1 / 15; }
  }
  report({ metric: 'sim.physics_camera.rtf_max', value: 10 / ((performance.now() - t1) / 1000), unit: '×', target: '≥ 1', note: '500 Hz physics + 15 Hz render+JPEG, unthrottled' });
  sim.dispose();
}

async function liveServer(): Promise<void> {
  const node = await SimNode.start({ port: 0, host: '127.0.0.1' });
  const ros = new Ros({ url: `ws://127.0.0.1:${node.port}` });
  await new Promise<void>((r) => ros.on('connection', () => r()));

  // Real-time run: one client takes 15 Hz camera frames while it drives the arm.
  let frames = 0;
  const image = new Topic({ ros, name: TOPICS.image, messageType: 'sensor_msgs/msg/CompressedImage', compression: 'cbor', queue_length: 1 });
  image.subscribe(() => frames++);
  const twist = new Topic({ ros, name: TOPICS.twist, messageType: 'geometry_msgs/msg/TwistStamped' });
  let k = 0;
  const drive = setInterval(() => twist.publish({ header: { frame_id: 'base_link' }, twist: { linear: { x: 0, y: 0.08 * Math.sin(k++ / 10), z: 0 }, angular: { x: 0, y: 0, z: 0 } } }), 50);
  await sleep(1000);
  const simStart = node.simulation.time, wallStart = performance.now(), frames0 = frames, cpu0 = process.cpuUsage();
  await sleep(10_000);
  const wall = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(drive);
  image.unsubscribe();
  report({ metric: 'sim.live.rtf', value: +((node.simulation.time - simStart) / wall).toFixed(2), unit: '×', target: '≥ 1', note: 'real-time loop (capped at 1; 2 decimals: one 10 ms step in 10 s is 0.001) while serving the camera to one client' });
  report({ metric: 'sim.live.camera_hz', value: (frames - frames0) / wall, unit: 'Hz', target: '≥ 15' });
  report({ metric: 'sim.live.cpu', value: (100 * (cpu.user + cpu.system)) / 1e6 / wall, unit: '% of one core', note: 'server + client in one process' });

  // Loopback round trip: publish a command, get it back through the server's fan-out.
  const gripper = new Topic({ ros, name: TOPICS.gripper, messageType: 'std_msgs/msg/Float64' });
  const rtts: number[] = [];
  let pending: ((v: unknown) => void) | null = null;
  gripper.subscribe(() => pending?.(undefined));
  await sleep(200);
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await new Promise((r) => { pending = r; gripper.publish({ data: (i % 2) * 0.5 }); });
    rtts.push(performance.now() - t);
  }
  report({ metric: 'sim.rosbridge.rtt_p50', value: percentile(rtts.slice(50), 50), unit: 'ms', target: '< 5 ms', note: 'roslib publish -> server (validated, applied) -> roslib subscriber, loopback' });
  report({ metric: 'sim.rosbridge.rtt_p99', value: percentile(rtts.slice(50), 99), unit: 'ms' });
  ros.close();
  await node.stop();
}

async function generation(): Promise<void> {
  const episodes = Number(process.env.SIM_BENCH_EPISODES ?? 200);
  const out = mkdtempSync(join(tmpdir(), 'sim-bench-'));
  try {
    const s = await generate({ episodes, seed: 0, tasks: ['pick_place', 'press_button', 'knock_down'], out });
    report({ metric: `sim.generate.${episodes}_episodes`, value: s.seconds, unit: 's', target: episodes === 200 ? '< 600 s' : undefined, note: `${s.frames} frames of 256², ${(s.frames / episodes).toFixed(0)} steps/episode` });
    report({ metric: 'sim.generate.expert_success', value: (100 * s.successes) / episodes, unit: '%', target: '≥ 95 %' });
    report({ metric: 'sim.generate.ee_on_gripper', value: 100 * s.eeOnGripper, unit: '% of frames', target: '100 %' });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

await renderingAndPhysics();
await liveServer();
await generation();
