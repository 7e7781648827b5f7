import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Simulation } from '../sim.ts';
import { CameraModel } from '../render/camera.ts';
import { HELDOUT_COLORS, HELDOUT_PICK_SHAPES, HELDOUT_TEMPLATES, SHAPE_WORD, TRAIN_TEMPLATES } from './palette.ts';
import { completeScene, DEFAULT_CAMERA, sampleScene, validateScene, TASK_KINDS } from './tasks.ts';
import type { SceneSpec } from './types.ts';

const heldoutColorNames = new Set(HELDOUT_COLORS.map((c) => c.name));
const templateRegex = (t: string) => new RegExp(`^${t.replace(/\{\w+\}/g, '.+')}$`);
const heldoutPhrase = (instruction: string) => Object.values(HELDOUT_TEMPLATES).flat().some((t) => templateRegex(t).test(instruction));
const trainPhrase = (instruction: string) => Object.values(TRAIN_TEMPLATES).flat().some((t) => templateRegex(t).test(instruction));

describe('seeded scenes', () => {
  it('are deterministic per seed and differ between seeds', () => {
    expect(sampleScene(17)).toEqual(sampleScene(17));
    expect(sampleScene(17)).not.toEqual(sampleScene(18));
  });

  it('vary every axis: task, colour, shape, distractors, camera, table and light', () => {
    const scenes = Array.from({ length: 200 }, (_, s) => sampleScene(s));
    const distinct = (f: (s: SceneSpec) => unknown) => new Set(scenes.map((s) => JSON.stringify(f(s)))).size;
    expect(distinct((s) => s.task.kind)).toBe(3);
    expect(distinct((s) => s.objects.find((o) => o.id === 'object')!.colorName)).toBeGreaterThanOrEqual(6);
    expect(distinct((s) => s.objects.find((o) => o.id === 'object')!.shape)).toBeGreaterThanOrEqual(5);
    expect(distinct((s) => s.objects.filter((o) => o.id.startsWith('distractor')).length)).toBe(4);
    expect(distinct((s) => s.camera.eye)).toBe(200);
    expect(distinct((s) => s.look.tableRgb)).toBeGreaterThanOrEqual(3);
    expect(distinct((s) => s.look.lightDir)).toBe(200);
  });

  it('names the task object in the instruction, unambiguously', () => {
    for (let seed = 0; seed < 200; seed++) {
      const scene = sampleScene(seed);
      const obj = scene.objects.find((o) => o.id === scene.task.objectId)!;
      expect(scene.task.instruction).toContain(obj.colorName!);
      if (obj.shape !== 'button') expect(scene.task.instruction).toContain(SHAPE_WORD[obj.shape]);
      const sameLook = scene.objects.filter((o) => o.colorName === obj.colorName && SHAPE_WORD[o.shape] === SHAPE_WORD[obj.shape]);
      expect(sameLook).toHaveLength(1);
    }
  });

  it('keeps held-out colours, shapes and phrasings out of the train split, and uses them in the held-out split', () => {
    for (let seed = 0; seed < 300; seed++) {
      const train = sampleScene(seed, { split: 'train' });
      expect(train.objects.some((o) => heldoutColorNames.has(o.colorName!))).toBe(false);
      expect(train.objects.some((o) => HELDOUT_PICK_SHAPES.includes(o.shape))).toBe(false);
      expect(trainPhrase(train.task.instruction)).toBe(true);
      expect(heldoutPhrase(train.task.instruction)).toBe(false);

      const held = sampleScene(seed, { split: 'heldout' });
      const obj = held.objects.find((o) => o.id === held.task.objectId)!;
      const usesHeldout = heldoutColorNames.has(obj.colorName!) || HELDOUT_PICK_SHAPES.includes(obj.shape) || heldoutPhrase(held.task.instruction);
      expect(usesHeldout, held.task.instruction).toBe(true);
    }
  });

  it('keeps the objects and the space above them in view under camera jitter', () => {
    for (let seed = 0; seed < 300; seed++) {
      const scene = sampleScene(seed);
      const camera = new CameraModel(scene.camera);
      for (const o of scene.objects) {
        // On the table, at the expert's travel height, and 10 cm past it (the knock-down sweep).
        for (const p of [[o.position[0], o.position[1], 0], [o.position[0], o.position[1], 0.2], [o.position[0] + 0.13, o.position[1], 0.17]]) {
          const [u, v, z] = camera.project(p);
          expect(z).toBeGreaterThan(0);
          expect(Math.min(u, v, camera.width - 1 - u, camera.height - 1 - v), `seed ${seed} ${o.id}`).toBeGreaterThan(4);
        }
      }
    }
  });

  it('draws a held-out camera pose or lighting only when asked, in scenes that are otherwise in distribution', () => {
    const axes = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      expect(['camera', 'lighting']).not.toContain(sampleScene(seed, { split: 'heldout' }).heldoutAxis);
      const held = sampleScene(seed, { split: 'heldout', heldoutAxes: ['camera', 'lighting'] });
      axes.add(held.heldoutAxis!);
      expect(held.objects.some((o) => heldoutColorNames.has(o.colorName!) || HELDOUT_PICK_SHAPES.includes(o.shape))).toBe(false);
      expect(trainPhrase(held.task.instruction)).toBe(true);
      const eye = held.camera.eye.map((v, i) => Math.abs(v - DEFAULT_CAMERA.eye[i]));
      if (held.heldoutAxis === 'camera') {
        // Beyond the training jitter (5, 5, 4 cm) on every axis, and the objects still in view.
        expect(eye[0]).toBeGreaterThan(0.05); expect(eye[1]).toBeGreaterThan(0.05); expect(eye[2]).toBeGreaterThan(0.04);
        const camera = new CameraModel(held.camera);
        for (const o of held.objects) {
          const [u, v] = camera.project([o.position[0], o.position[1], 0]);
          expect(Math.min(u, v, camera.width - 1 - u, camera.height - 1 - v), `seed ${seed} ${o.id}`).toBeGreaterThan(4);
        }
      } else {
        expect(Math.max(eye[0] - 0.05, eye[1] - 0.05, eye[2] - 0.04)).toBeLessThanOrEqual(1e-9);
        expect(held.look.lightDir[0]).toBeGreaterThan(0.3); // training lights come from x ≤ 0
        expect(held.look.ambient < 0.3 || held.look.ambient > 0.45).toBe(true);
        expect(held.look.diffuse).toBeGreaterThan(0.7);
      }
    }
    expect([...axes].sort()).toEqual(['camera', 'lighting']);
  });

  it('restricts task kinds on request', () => {
    for (const kind of TASK_KINDS) {
      for (let seed = 0; seed < 20; seed++) expect(sampleScene(seed, { tasks: [kind] }).task.kind).toBe(kind);
    }
  });
});

describe('explicit scenes', () => {
  const good = { objects: [{ id: 'a', shape: 'cube' as const, rgb: [1, 0, 0] as [number, number, number], position: [0.4, 0] as [number, number] }, { id: 'p', shape: 'plate' as const, rgb: [1, 1, 1] as [number, number, number], position: [0.5, 0.2] as [number, number] }], task: { kind: 'pick_place' as const, objectId: 'a', targetId: 'p', instruction: 'x' } };
  it('accepts a valid scene and explains what is wrong with invalid ones', () => {
    expect(validateScene(completeScene(good))).toEqual([]);
    const bad = validateScene({ ...completeScene(good), objects: [{ ...good.objects[0], rgb: [2, 0, 0] }, { ...good.objects[1], id: 'a' }] });
    expect(bad.join('\n')).toMatch(/rgb must be 3 numbers/);
    expect(bad.join('\n')).toMatch(/duplicate object id a/);
    expect(validateScene({ ...completeScene(good), task: { ...good.task, targetId: 'nope' } }).join()).toMatch(/targetId/);
    expect(validateScene({ ...completeScene(good), task: { ...good.task, kind: 'dance' as never } }).join()).toMatch(/task.kind/);
    expect(validateScene({ ...completeScene(good), objects: [{ ...good.objects[0], position: [1e6, 0] }, good.objects[1]] }).join()).toMatch(/position/);
    const crowd = Array.from({ length: 31 }, (_, i) => ({ ...good.objects[0], id: `o${i}` }));
    expect(validateScene({ ...completeScene(good), objects: [...crowd, good.objects[1]] }).join()).toMatch(/at most 30 objects/);
    expect(validateScene({ ...completeScene(good), objects: 'none' as never })).toEqual(['objects must be a list']);
  });
});

describe('success detection', () => {
  let sim: Simulation;
  beforeAll(async () => { sim = await Simulation.create(sampleScene(0)); });
  afterAll(() => sim.dispose());

  function settle(steps = 100) { for (let i = 0; i < steps; i++) sim.step(); }
  function teleport(id: string, pos: number[], quatWxyz = [1, 0, 0, 0]) {
    const adr = sim.physics.jointQposAddress(sim.physics.id('joint', `obj:${id}:free`));
    sim.physics.qpos.set([...pos, ...quatWxyz], adr);
    sim.physics.forward();
  }

  it('pick_place: only when the object rests on/in the target', async () => {
    for (const targetShape of ['plate', 'bowl'] as const) {
      await sim.reset(completeScene({
        objects: [{ id: 'c', shape: 'cube', rgb: [1, 0, 0], position: [0.4, 0.15] }, { id: 't', shape: targetShape, rgb: [0, 0, 1], position: [0.5, -0.15] }],
        task: { kind: 'pick_place', objectId: 'c', targetId: 't', instruction: 'x' },
      }));
      settle();
      expect(sim.success).toBe(false);
      teleport('c', [0.5, -0.15, 0.2]); // above the target, falling
      expect(sim.taskConditionMet()).toBe(false);
      settle(150);
      expect(sim.success, targetShape).toBe(true);
    }
  });

  it('press_button: only when the cap travels down', async () => {
    await sim.reset(completeScene({ objects: [{ id: 'b', shape: 'button', rgb: [1, 0, 0], position: [0.45, 0] }], task: { kind: 'press_button', objectId: 'b', instruction: 'x' } }));
    settle();
    expect(sim.success).toBe(false);
    const adr = sim.physics.jointQposAddress(sim.physics.id('joint', 'obj:b:press'));
    sim.physics.qpos[adr] = -0.009;
    sim.physics.forward();
    expect(sim.taskConditionMet()).toBe(true);
  });

  it('knock_down: only when the object lies down', async () => {
    await sim.reset(completeScene({ objects: [{ id: 'k', shape: 'bottle', rgb: [0, 1, 0], position: [0.45, 0] }], task: { kind: 'knock_down', objectId: 'k', instruction: 'x' } }));
    settle();
    expect(sim.success).toBe(false);
    teleport('k', [0.45, 0, 0.03], [Math.SQRT1_2, Math.SQRT1_2, 0, 0]); // on its side
    settle(50);
    expect(sim.success).toBe(true);
  });
});
