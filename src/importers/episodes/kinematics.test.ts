// @vitest-environment node
import { DOMParser as XmlDomParser } from '@xmldom/xmldom';
import { readFileSync } from 'node:fs';
import { Vector3 } from 'three';
import URDFLoader from 'urdf-loader';
import { beforeAll, describe, expect, it } from 'vitest';
import { chainTo, endEffectorCandidates, endEffectorTrack, forwardKinematics, matchJointColumns, toJointValue } from './kinematics';
import { parseUrdf } from './urdf';
import { sharedFixture } from '../../testing/sharedFixtures';
import { installXmlDomForUrdfLoader } from '../../testing/urdfLoaderInNode';

const so101 = sharedFixture('urdf-so101');
const URDF = so101.present ? readFileSync(so101.path('so101_new_calib.urdf'), 'utf8') : '';
const parser = new XmlDomParser() as unknown as Parameters<typeof parseUrdf>[1];

beforeAll(() => {
  installXmlDomForUrdfLoader();
});

describe.skipIf(!so101.present)('URDF forward kinematics (SO-101)', () => {
  const model = so101.present ? parseUrdf(URDF, parser, 'so101_new_calib.urdf') : (null as never);

  it('reads the tree and proposes the gripper frame as end effector', () => {
    expect(model.rootLink).toBe('base_link');
    expect(model.joints.filter((j) => j.type === 'revolute').map((j) => j.name).sort())
      .toEqual(['elbow_flex', 'gripper', 'shoulder_lift', 'shoulder_pan', 'wrist_flex', 'wrist_roll']);
    expect(endEffectorCandidates(model)[0]).toBe('gripper_frame_link');
  });

  it('matches urdf-loader to 1e-9 m for random joint values', () => {
    const loader = new URDFLoader();
    // Kinematics only: no meshes.
    loader.parseVisual = false;
    loader.parseCollision = false;
    const robot = loader.parse(URDF);
    const chain = chainTo(model, 'gripper_frame_link');
    let s = 11;
    const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 3 - 1.5;
    for (let trial = 0; trial < 20; trial++) {
      const q = new Map(['shoulder_pan', 'shoulder_lift', 'elbow_flex', 'wrist_flex', 'wrist_roll', 'gripper'].map((n) => [n, rand()]));
      for (const [n, v] of q) robot.setJointValue(n, v);
      robot.updateMatrixWorld(true);
      const ref = robot.links.gripper_frame_link.getWorldPosition(new Vector3());
      const t = forwardKinematics(chain, q);
      expect(Math.hypot(t[3] - ref.x, t[7] - ref.y, t[11] - ref.z)).toBeLessThan(1e-9);
    }
  });

  it('matches dataset columns to joints by name and converts LeRobot −100…100 units', () => {
    const cols = ['shoulder_pan.pos', 'shoulder_lift.pos', 'elbow_flex.pos', 'wrist_flex.pos', 'wrist_roll.pos', 'gripper.pos'];
    const m = matchJointColumns(cols, model);
    expect(Object.keys(m)).toHaveLength(6);
    expect(m['elbow_flex.pos']).toBe('elbow_flex');
    const elbow = model.joints.find((j) => j.name === 'elbow_flex')!;
    expect(toJointValue(-100, 'range100', elbow)).toBeCloseTo(-1.69, 9);
    expect(toJointValue(0, 'range100', elbow)).toBeCloseTo(0, 9);
    expect(toJointValue(180, 'deg', elbow)).toBeCloseTo(Math.PI, 12);
    const track = endEffectorTrack({ chain: chainTo(model, 'gripper_frame_link'), columns: cols.map((c, i) => ({ index: i, joint: m[c] })), units: 'range100', joints: Object.fromEntries(model.joints.map((j) => [j.name, j])) }, [[0, 0, 0, 0, 0, 0]]);
    // The SO-101 reaches about 0.45 m: any pose lies within that of the base.
    expect(Math.hypot(...track[0])).toBeLessThan(0.5);
  });

});

describe('URDF parsing', () => {
  it('rejects text that is not a URDF', () => {
    expect(() => parseUrdf('<mujoco/>', parser, 'scene.xml')).toThrow(/scene.xml is not a URDF/);
  });
});
