import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointToSegmentDistance } from '../../../src/core/geometry.ts';
import { gripperChangeIndices, type Path } from '../../../src/core/path.ts';
import { CameraModel } from '../render/camera.ts';
import { Rasterizer, type Frame } from '../render/rasterizer.ts';
import { sampleScene } from '../scene/tasks.ts';
import { Simulation } from '../sim.ts';
import { PathOnlyRecorder, type PathOnlyEpisode } from './pathOnlyEpisode.ts';
import { SKETCH_AMPLITUDE_PX, SKETCH_EPSILON, sketchPath } from './sketch.ts';

const SIZE = 256;
/** Seeds 0–5 cover all three tasks and both effectors. */
const SEEDS = [0, 1, 2, 3, 4, 5];

let recorder: PathOnlyRecorder;
let targetSim: Simulation;
const episodes = new Map<number, PathOnlyEpisode>();

beforeAll(async () => {
  recorder = new PathOnlyRecorder();
  targetSim = await Simulation.create(sampleScene(0));
  for (const seed of SEEDS) episodes.set(seed, await recorder.record(seed));
}, 120_000);
afterAll(() => { recorder.dispose(); targetSim.dispose(); });

/** The target domain's first frame of `seed`, rendered as the generator renders it. */
async function targetFrame(seed: number): Promise<{ frame: Frame; camera: CameraModel }> {
  const scene = sampleScene(seed);
  await targetSim.reset(scene);
  const camera = new CameraModel(scene.camera);
  const { xpos, xmat } = targetSim.physics.geomPoses();
  const frame = new Rasterizer(targetSim.physics.geoms, SIZE, SIZE, (g) => g.name === 'floor').render(camera, scene.look, xpos, xmat);
  return { frame, camera };
}

const meanColour = (rgb: Uint8Array) => [0, 1, 2].map((k) => {
  let sum = 0;
  for (let i = k; i < rgb.length; i += 3) sum += rgb[i];
  return sum / (rgb.length / 3);
});

const events = (p: Path) => gripperChangeIndices(p).map((i) => (p.points[i].gripper === 'closed' ? 'close' : 'open'));

describe('off-domain path-only episodes', () => {
  it('look unlike the target domain for the same seed: colours, camera pose and intrinsics, effector', async () => {
    const effectors = new Set<string>();
    for (const seed of SEEDS) {
      const ep = episodes.get(seed)!;
      const target = await targetFrame(seed);
      expect(ep.scene.task.instruction).toBe(sampleScene(seed).task.instruction);
      const off = meanColour(ep.rgb), on = meanColour(target.frame.rgb);
      expect(off.reduce((s, c, k) => s + Math.abs(c - on[k]), 0) / 3).toBeGreaterThan(15);
      let pixels = 0;
      for (let i = 0; i < ep.rgb.length; i++) pixels += Math.abs(ep.rgb[i] - target.frame.rgb[i]);
      expect(pixels / ep.rgb.length).toBeGreaterThan(30);
      const cam = ep.camera.model;
      const axisCos = cam.rotation[6] * target.camera.rotation[6] + cam.rotation[7] * target.camera.rotation[7] + cam.rotation[8] * target.camera.rotation[8];
      const moved = Math.hypot(...cam.position.map((p, k) => p - target.camera.position[k]));
      expect(moved > 0.2 || Math.acos(Math.min(1, axisCos)) > (15 * Math.PI) / 180).toBe(true);
      expect(cam.fx).not.toBeCloseTo(target.camera.fx, 3);
      expect(Math.hypot(cam.cx - target.camera.cx, cam.cy - target.camera.cy)).toBeGreaterThan(0);
      // The arm is never drawn; the effector is a repainted floating gripper or a hand.
      const drawn = new Set(Array.from(ep.segmentation).filter((id) => id >= 0).map((id) => ep.geomNames[id].split(':')[0]));
      expect(drawn.has('arm')).toBe(false);
      expect(drawn.has(ep.variant.effector.kind === 'hand' ? 'hand' : 'gripper')).toBe(true);
      effectors.add(ep.variant.effector.kind);
    }
    expect([...effectors].sort()).toEqual(['floating_gripper', 'hand']);
  });

  it('keep the whole path inside the image, with the expert’s gripper events', () => {
    for (const seed of SEEDS) {
      const ep = episodes.get(seed)!;
      expect(ep.success).toBe(true);
      for (const path of [ep.densePath, ep.expertPath]) {
        for (const p of path.points) {
          expect(p.x).toBeGreaterThan(0);
          expect(p.x).toBeLessThan(1);
          expect(p.y).toBeGreaterThan(0);
          expect(p.y).toBeLessThan(1);
        }
        expect(events(path)).toEqual(ep.events);
      }
      expect(ep.events.length).toBeGreaterThan(0);
      if (ep.scene.task.kind === 'pick_place') expect(ep.events).toEqual(['close', 'open']);
    }
  });

  it('sketch into fewer points near the expert path, events kept', () => {
    for (const seed of SEEDS) {
      const ep = episodes.get(seed)!;
      const sketch = sketchPath(ep.densePath, seed, { width: SIZE, height: SIZE });
      expect(sketch.points.length).toBeLessThan(ep.densePath.points.length);
      expect(sketch.points.length).toBeGreaterThanOrEqual(3);
      expect(sketch.points.length).toBeLessThanOrEqual(8);
      expect(events(sketch)).toEqual(ep.events);
      const px = (q: { x: number; y: number }) => ({ x: q.x * SIZE, y: q.y * SIZE });
      const toExpert = (q: { x: number; y: number }) => Math.min(...ep.densePath.points.slice(1).map((b, i) => pointToSegmentDistance(px(q), px(ep.densePath.points[i]), px(b))));
      for (const p of sketch.points) expect(toExpert(p)).toBeLessThanOrEqual(SKETCH_AMPLITUDE_PX + 1e-9);
      for (let i = 1; i < sketch.points.length; i++) {
        const mid = { x: (sketch.points[i - 1].x + sketch.points[i].x) / 2, y: (sketch.points[i - 1].y + sketch.points[i].y) / 2 };
        expect(toExpert(mid)).toBeLessThanOrEqual(SKETCH_AMPLITUDE_PX + SKETCH_EPSILON * SIZE);
      }
    }
  });

  it('are deterministic per seed', async () => {
    const again = await recorder.record(1);
    const first = episodes.get(1)!;
    expect(Buffer.from(again.rgb).equals(Buffer.from(first.rgb))).toBe(true);
    expect(again.densePath).toEqual(first.densePath);
    expect(again.camera.spec).toEqual(first.camera.spec);
  });
});
