import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onGripper } from '../generate.ts';
import { quatToMat } from '../math.ts';
import { cameraInfo, cameraTransform, transformStamped } from '../rosMessages.ts';
import { sampleScene } from '../scene/tasks.ts';
import { EE_FRAME } from '../scene/arm.ts';
import { Simulation } from '../sim.ts';
import { CameraModel } from './camera.ts';
import { Rasterizer } from './rasterizer.ts';

type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Projects a base-frame point the way a client would: only from CameraInfo and the TF message. */
function projectFromRosMessages(info: Msg, camTf: Msg, p: number[]): [number, number, number] {
  const { translation: t, rotation: q } = camTf.transform;
  const R = quatToMat([q.w, q.x, q.y, q.z]); // camera-to-base
  const d = [p[0] - t.x, p[1] - t.y, p[2] - t.z];
  // p_cam = Rᵀ (p − t)
  const c = [0, 1, 2].map((k) => R[k] * d[0] + R[3 + k] * d[1] + R[6 + k] * d[2]);
  const P = info.p as number[];
  const u = P[0] * c[0] + P[1] * c[1] + P[2] * c[2] + P[3];
  const v = P[4] * c[0] + P[5] * c[1] + P[6] * c[2] + P[7];
  const w = P[8] * c[0] + P[9] * c[1] + P[10] * c[2] + P[11];
  return [u / w, v / w, c[2]];
}

let sim: Simulation;
beforeAll(async () => { sim = await Simulation.create(sampleScene(0)); });
afterAll(() => sim.dispose());

describe('camera calibration matches the rendered image', () => {
  it('projects the gripper site (via CameraInfo + /tf) onto rendered gripper pixels within 2 px', async () => {
    let checked = 0;
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const scene = sampleScene(seed); // camera pose jitter differs per seed
      await sim.reset(scene);
      const camera = new CameraModel(scene.camera);
      const rasterizer = new Rasterizer(sim.physics.geoms, camera.width, camera.height, (g) => g.name === 'floor');
      const gripper = new Set(sim.physics.geoms.filter((g) => g.name.startsWith('gripper:')).map((g) => g.id));
      const info = cameraInfo(0, camera), camTf = cameraTransform(0, camera);
      // Several arm poses: wander with different twists.
      for (const twist of [[0, 0, 0], [0.1, 0.15, -0.1], [-0.2, -0.2, 0.05], [0.1, 0.05, -0.15]]) {
        for (let i = 0; i < 60; i++) { sim.controller.commandTwist({ linear: twist as [number, number, number], angular: [0, 0, 0.3] }, sim.time); sim.step(); }
        const eeTf = transformStamped(0, 'base_link', EE_FRAME, sim.eePosition(), sim.eeRotation()) as Msg;
        const tr = eeTf.transform.translation;
        const [u, v, z] = projectFromRosMessages(info, camTf, [tr.x, tr.y, tr.z]);
        expect(z).toBeGreaterThan(0);
        const [cu, cv] = camera.project(sim.eePosition());
        expect(Math.hypot(u - cu, v - cv)).toBeLessThan(1e-6);
        const { xpos, xmat } = sim.physics.geomPoses();
        const frame = rasterizer.render(camera, scene.look, xpos, xmat);
        expect(onGripper(frame, gripper, u, v, 2), `seed ${seed} pixel (${u.toFixed(1)}, ${v.toFixed(1)})`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(24);
  });

  it('is not trivially true: a point 10 cm beside the gripper does not land on it', () => {
    const camera = new CameraModel(sim.scene.camera);
    const rasterizer = new Rasterizer(sim.physics.geoms, camera.width, camera.height, (g) => g.name === 'floor');
    const gripper = new Set(sim.physics.geoms.filter((g) => g.name.startsWith('gripper:')).map((g) => g.id));
    const { xpos, xmat } = sim.physics.geomPoses();
    const frame = rasterizer.render(camera, sim.scene.look, xpos, xmat);
    const p = sim.eePosition();
    const [u, v] = camera.project([p[0], p[1] + 0.1, p[2]]);
    expect(onGripper(frame, gripper, u, v, 2)).toBe(false);
  });

  it('renders depth equal to the optical-axis distance of what is seen', () => {
    const camera = new CameraModel(sim.scene.camera);
    const rasterizer = new Rasterizer(sim.physics.geoms, camera.width, camera.height, (g) => g.name === 'floor');
    const { xpos, xmat } = sim.physics.geomPoses();
    const frame = rasterizer.render(camera, sim.scene.look, xpos, xmat);
    // The table top (z = 0) at a pixel that shows the table: back-project and check z ≈ 0.
    const table = sim.physics.id('geom', 'table');
    let tested = 0;
    for (let idx = 0; idx < frame.depth.length; idx += 997) {
      if (frame.segmentation[idx] !== table) continue;
      const u = idx % camera.width, v = Math.floor(idx / camera.width), d = frame.depth[idx];
      const c = [((u - camera.cx) / camera.fx) * d, ((v - camera.cy) / camera.fy) * d, d];
      const R = camera.rotation, t = camera.translation;
      const w = [0, 1, 2].map((k) => R[k] * (c[0] - t[0]) + R[3 + k] * (c[1] - t[1]) + R[6 + k] * (c[2] - t[2]));
      expect(Math.abs(w[2])).toBeLessThan(2e-3);
      tested++;
    }
    expect(tested).toBeGreaterThan(5);
  });
});
