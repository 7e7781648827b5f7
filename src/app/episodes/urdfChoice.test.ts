import { DOMParser as XmlDomParser } from '@xmldom/xmldom';
import { describe, expect, it, vi } from 'vitest';
import type { EpisodeSource } from '../../importers/episodes/source';
import type { XmlParserLike } from '../../importers/episodes/urdf';
import { UrdfChoiceController } from './urdfChoice';

/** Two revolute joints 0.5 m apart, then a fixed tool frame 0.25 m further. */
const URDF = `<robot name="arm">
  <link name="base"/><link name="upper"/><link name="lower"/><link name="tool0"/>
  <joint name="shoulder" type="revolute"><parent link="base"/><child link="upper"/><axis xyz="0 0 1"/><limit lower="-3" upper="3"/></joint>
  <joint name="elbow" type="revolute"><parent link="upper"/><child link="lower"/><origin xyz="0.5 0 0"/><axis xyz="0 0 1"/><limit lower="-3" upper="3"/></joint>
  <joint name="tool" type="fixed"><parent link="lower"/><child link="tool0"/><origin xyz="0.25 0 0"/></joint>
</robot>`;

const xml = () => new XmlDomParser() as unknown as XmlParserLike;
const source = (stateNames: string[], states: number[][]) => ({
  name: 'arm', robotType: null, stateNames, episodes: [{ index: 0, task: '', length: states.length }],
  readEpisode: vi.fn(async () => ({ states, actions: [], timestamps: [], success: null })),
} as unknown as EpisodeSource);
const folder = (files: Record<string, string>) => Object.entries(files).map(([path, text]) => ({ path, file: new File([text], path.split('/').pop()!) }));

describe('UrdfChoiceController', () => {
  it('reads the picked folder’s URDF: tip link, columns matched by name, units guessed; the choice carries the FK plan and the meshes', async () => {
    const c = new UrdfChoiceController(source(['shoulder.pos', 'elbow.pos', 'gripper'], [[90, -45, 0]]), xml);
    await c.pickFolder(folder({ 'arm/b.urdf': URDF, 'arm/a.urdf': URDF, 'arm/meshes/base.stl': 'solid' }));
    const s = c.getSnapshot();
    expect(s).toMatchObject({ urdfs: ['arm/a.urdf', 'arm/b.urdf'], urdfPath: 'arm/a.urdf', error: null, tips: ['tool0'], tip: 'tool0', units: 'deg', mappingOpen: false, unmapped: [] });
    expect(s.mapping).toEqual({ 'shoulder.pos': 'shoulder', 'elbow.pos': 'elbow' });
    expect(s.chainJoints.map((j) => j.name)).toEqual(['shoulder', 'elbow']);
    expect(s.choice).toMatchObject({ origin: 'forward kinematics of a.urdf (tool0)', tip: 'tool0', urdfText: URDF });
    expect(s.choice!.plan.columns).toEqual([{ index: 0, joint: 'shoulder' }, { index: 1, joint: 'elbow' }]);
    expect([...s.choice!.meshFiles.keys()]).toEqual(['b.urdf', 'a.urdf', 'meshes/base.stl']);
    c.chooseUnits('rad');
    expect(c.getSnapshot().choice!.plan.units).toBe('rad');
  });

  it('opens the mapping when names differ; a column drives one joint at most; an unmapped joint is held at 0', async () => {
    const c = new UrdfChoiceController(source(['q0', 'q1'], [[0.1, 0.2]]), xml);
    await c.pickFolder(folder({ 'arm/arm.urdf': URDF }));
    expect(c.getSnapshot()).toMatchObject({ mappingOpen: true, units: 'rad', mapping: {} });
    expect(c.getSnapshot().unmapped.map((j) => j.name)).toEqual(['shoulder', 'elbow']);
    c.mapJoint('shoulder', 'q0');
    c.mapJoint('elbow', 'q0');
    expect(c.getSnapshot().mapping).toEqual({ q0: 'elbow' });
    expect(c.getSnapshot().unmapped.map((j) => j.name)).toEqual(['shoulder']);
    c.mapJoint('shoulder', 'q1');
    c.mapJoint('elbow', '');
    expect(c.getSnapshot().choice!.plan.columns).toEqual([{ index: 1, joint: 'shoulder' }]);
    c.closeMapping();
    expect(c.getSnapshot().mappingOpen).toBe(false);
  });

  it('a folder without a URDF, or a file that is not one, says so and gives no choice', async () => {
    const c = new UrdfChoiceController(source(['q0'], [[0]]), xml);
    await c.pickFolder(folder({ 'arm/readme.txt': 'hi' }));
    expect(c.getSnapshot()).toMatchObject({ urdfs: [], model: null, error: 'The folder has no .urdf file.', choice: null });
    await c.pickFolder(folder({ 'arm/arm.urdf': '<notarobot/>' }));
    expect(c.getSnapshot()).toMatchObject({ model: null, error: 'arm.urdf is not a URDF file (no <robot> element).', choice: null });
  });
});
