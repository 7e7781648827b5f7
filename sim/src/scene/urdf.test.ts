import { Matrix4, Quaternion, Vector3 } from 'three';
import URDFLoader from 'urdf-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulation } from '../sim.ts';
import { ARM_JOINTS, EE_FRAME, armUrdf } from './arm.ts';
import { completeScene } from './tasks.ts';
import { Rng } from './rng.ts';
import { installXmlDomForUrdfLoader } from '../../../src/testing/urdfLoaderInNode';

let sim: Simulation;
beforeAll(async () => {
  installXmlDomForUrdfLoader();
  sim = await Simulation.create(completeScene({
    objects: [{ id: 'b', shape: 'button', rgb: [1, 0, 0], position: [0.5, 0] }],
    task: { kind: 'press_button', objectId: 'b', instruction: 'press the red button' },
  }));
});
afterAll(() => sim.dispose());

describe('/robot_description URDF', () => {
  it('has the same kinematics as the MuJoCo model (urdf-loader forward kinematics)', () => {
    const robot = new URDFLoader().parse(armUrdf());
    expect(Object.keys(robot.joints)).toEqual(expect.arrayContaining([...ARM_JOINTS, 'finger_left', 'finger_right']));
    const physics = sim.physics;
    const site = physics.id('site', EE_FRAME);
    const adr = ARM_JOINTS.map((j) => physics.jointQposAddress(physics.id('joint', j)));
    const rng = new Rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const q = ARM_JOINTS.map(() => rng.uniform(-1.5, 1.5));
      ARM_JOINTS.forEach((name, i) => robot.setJointValue(name, q[i]));
      robot.updateMatrixWorld(true);
      const link = robot.links[EE_FRAME];
      const pos = link.getWorldPosition(new Vector3());
      const quat = link.getWorldQuaternion(new Quaternion());
      const mj = physics.siteAt(site, adr.map((a, i) => [a, q[i]] as [number, number]));
      expect(pos.distanceTo(new Vector3(...mj.pos))).toBeLessThan(1e-6);
      const r = mj.rot;
      const mjQuat = new Quaternion().setFromRotationMatrix(new Matrix4().set(r[0], r[1], r[2], 0, r[3], r[4], r[5], 0, r[6], r[7], r[8], 0, 0, 0, 0, 1));
      expect(quat.angleTo(mjQuat)).toBeLessThan(1e-6);
    }
  });
});
