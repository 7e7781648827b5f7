/**
 * Tasks after HAMSTER's three real-world task types, drawn from a seed: pick X and place it in/on Y,
 * press the Z button, knock down the X. Every variation axis comes from the seed: task object colour
 * and shape, positions, number of distractors, camera jitter, table colour and lighting.
 */
import { Rng } from './rng.ts';
import {
  HELDOUT_COLORS, HELDOUT_PICK_SHAPES, HELDOUT_TEMPLATES, KNOCK_SHAPES, SHAPE_WORD, TABLE_COLORS,
  TRAIN_COLORS, TRAIN_PICK_SHAPES, TRAIN_TEMPLATES, type NamedColor,
} from './palette.ts';
import { SHAPE_DEFAULT_SIZE, type CameraSpec, type ObjectShape, type SceneObject, type SceneSpec, type TaskKind } from './types.ts';

export const TASK_KINDS: readonly TaskKind[] = ['pick_place', 'press_button', 'knock_down'];

export type Split = 'train' | 'heldout';

export interface SampleOptions {
  /** Task kinds to draw from (default: all three). */
  tasks?: readonly TaskKind[];
  /** "train" never uses held-out colours/shapes/phrasings; "heldout" always uses at least one. */
  split?: Split;
  /**
   * The axes a held-out scene draws its one held-out change from (default: colour, shape and
   * phrasing for pick-and-place, colour and phrasing otherwise). `camera` and `lighting` are never
   * drawn unless asked, so the default held-out scenes of a seed stay what they were.
   */
  heldoutAxes?: readonly HeldoutAxis[];
  width?: number;
  height?: number;
}

/** Region of the table where objects are placed (base frame, metres). */
export const OBJECT_REGION = { x: [0.32, 0.62], y: [-0.27, 0.27] } as const;

/** Front-right view; every object position, the expert's waypoints and the home pose stay ≥ 10 px inside the image under jitter. */
export const DEFAULT_CAMERA: CameraSpec = { eye: [1.1, -0.5, 0.62], target: [0.45, 0.03, 0.08], fovyDeg: 52, width: 256, height: 256 };

/** Radius of an object's footprint plus clearance, for non-overlapping placement. */
function footprint(shape: ObjectShape): number {
  const s = SHAPE_DEFAULT_SIZE[shape];
  switch (shape) {
    case 'plate': case 'bowl': return s[0] + 0.01;
    case 'button': return 0.06;
    case 'block': return 0.04;
    default: return s[0] + 0.02;
  }
}

export function describe(obj: SceneObject): string {
  return `${obj.colorName ?? 'coloured'} ${SHAPE_WORD[obj.shape]}`;
}

export function instructionFor(template: string, object: SceneObject, target?: SceneObject): string {
  return template
    .replace('{object}', describe(object))
    .replace('{target}', target ? describe(target) : '')
    .replace('{prep}', target?.shape === 'bowl' ? 'in' : 'on')
    .replace('{color}', object.colorName ?? '');
}

export const HELDOUT_AXES = ['color', 'shape', 'phrase', 'camera', 'lighting'] as const;
export type HeldoutAxis = (typeof HELDOUT_AXES)[number];

/**
 * Held-out camera: the eye moved 10–16 cm sideways and 6–10 cm up or down (training jitters it by
 * at most 5 and 4 cm), still aimed at the table. Held-out lighting: from the other side and low,
 * and ambient and diffuse outside their training ranges.
 */
function shiftedEye(rng: Rng, eye: readonly number[]): [number, number, number] {
  const away = (lo: number, hi: number) => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(lo, hi);
  return [eye[0] + away(0.1, 0.16), eye[1] + away(0.1, 0.16), eye[2] + away(0.06, 0.1)];
}

export function sampleScene(seed: number, options: SampleOptions = {}): SceneSpec {
  const rng = new Rng(seed);
  const split = options.split ?? 'train';
  const kinds = options.tasks?.length ? options.tasks : TASK_KINDS;
  const kind = rng.pick(kinds);

  // Which held-out axis this scene exercises (only in the held-out split).
  const usual: readonly HeldoutAxis[] = kind === 'pick_place' ? ['color', 'shape', 'phrase'] : ['color', 'phrase'];
  const allowed = options.heldoutAxes?.filter((a) => a !== 'shape' || kind === 'pick_place');
  const heldAxis = split === 'heldout' ? rng.pick(allowed?.length ? allowed : usual) : null;
  const colors = heldAxis === 'color' ? HELDOUT_COLORS : TRAIN_COLORS;
  const templates = (heldAxis === 'phrase' ? HELDOUT_TEMPLATES : TRAIN_TEMPLATES)[kind];

  const objects: SceneObject[] = [];
  const place = (shape: ObjectShape): [number, number] => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const p: [number, number] = [rng.uniform(OBJECT_REGION.x[0], OBJECT_REGION.x[1]), rng.uniform(OBJECT_REGION.y[0], OBJECT_REGION.y[1])];
      const clear = objects.every((o) => Math.hypot(o.position[0] - p[0], o.position[1] - p[1]) > footprint(o.shape) + footprint(shape));
      if (clear) return p;
    }
    return [-1, -1]; // no room: caller drops the object
  };
  const add = (id: string, shape: ObjectShape, color: NamedColor): SceneObject | null => {
    const position = place(shape);
    if (position[0] < 0) return null;
    const obj: SceneObject = { id, shape, rgb: color.rgb, colorName: color.name, position, yaw: rng.uniform(-Math.PI, Math.PI) };
    objects.push(obj);
    return obj;
  };

  let main: SceneObject;
  let target: SceneObject | undefined;
  if (kind === 'pick_place') {
    const shape = heldAxis === 'shape' ? rng.pick(HELDOUT_PICK_SHAPES) : rng.pick(TRAIN_PICK_SHAPES);
    const targetColor = rng.pick(TRAIN_COLORS);
    target = add('target', rng.pick(['plate', 'bowl'] as const), targetColor)!;
    main = add('object', shape, rng.pick(colors.filter((c) => c.name !== targetColor.name)))!;
  } else if (kind === 'press_button') {
    main = add('object', 'button', rng.pick(colors))!;
  } else {
    main = add('object', rng.pick(KNOCK_SHAPES), rng.pick(colors))!;
  }

  // Distractors: never the same colour + shape word as the task object or target (no ambiguity).
  const distractorShapes: ObjectShape[] = ['cube', 'cylinder', 'can', 'button', 'plate', 'bottle'];
  const distractors = rng.int(0, 3);
  for (let i = 0; i < distractors; i++) {
    const shape = rng.pick(distractorShapes);
    const color = rng.pick(TRAIN_COLORS);
    const clash = [main, target].some((o) => o && o.colorName === color.name && SHAPE_WORD[o.shape] === SHAPE_WORD[shape]);
    if (clash) continue;
    add(`distractor${i}`, shape, color);
  }

  const jitter = (v: number, a: number) => v + rng.uniform(-a, a);
  const base = DEFAULT_CAMERA;
  const camera: CameraSpec = {
    eye: heldAxis === 'camera' ? shiftedEye(rng, base.eye) : [jitter(base.eye[0], 0.05), jitter(base.eye[1], 0.05), jitter(base.eye[2], 0.04)],
    target: [jitter(base.target[0], 0.03), jitter(base.target[1], 0.03), base.target[2]],
    fovyDeg: base.fovyDeg,
    width: options.width ?? base.width,
    height: options.height ?? base.height,
  };
  const look = {
    tableRgb: rng.pick(TABLE_COLORS),
    backgroundRgb: [jitter(0.55, 0.1), jitter(0.6, 0.1), jitter(0.68, 0.1)] as [number, number, number],
    lightDir: [jitter(-0.3, 0.3), jitter(0.3, 0.3), -1] as [number, number, number],
    ambient: rng.uniform(0.3, 0.45),
    diffuse: rng.uniform(0.5, 0.7),
  };
  if (heldAxis === 'lighting') {
    look.lightDir = [rng.uniform(0.6, 1), rng.uniform(-1, -0.6), -0.45];
    look.ambient = rng.next() < 0.5 ? rng.uniform(0.15, 0.22) : rng.uniform(0.55, 0.62);
    look.diffuse = rng.uniform(0.8, 0.95);
  }
  const instruction = instructionFor(rng.pick(templates), main, target);
  return { objects, task: { kind, objectId: main.id, targetId: target?.id, instruction }, camera, look, seed, ...(heldAxis ? { heldoutAxis: heldAxis } : {}) };
}

const MAX_OBJECTS = 30;

/** Checks an explicit scene (from the reset service); returns a list of problems, empty when valid. */
export function validateScene(scene: SceneSpec): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const shapes = Object.keys(SHAPE_DEFAULT_SIZE);
  if (!Array.isArray(scene.objects)) return ['objects must be a list'];
  if (scene.objects.length > MAX_OBJECTS) problems.push(`at most ${MAX_OBJECTS} objects`);
  for (const o of scene.objects) {
    if (typeof o !== 'object' || o === null) { problems.push('every object must be an object'); continue; }
    if (typeof o.id !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(o.id)) problems.push(`object id ${JSON.stringify(o.id)} must match [A-Za-z0-9_-]{1,32}`);
    if (ids.has(o.id)) problems.push(`duplicate object id ${o.id}`);
    ids.add(o.id);
    if (!shapes.includes(o.shape)) problems.push(`object ${o.id}: unknown shape ${JSON.stringify(o.shape)} (one of ${shapes.join(', ')})`);
    if (!Array.isArray(o.rgb) || o.rgb.length !== 3 || o.rgb.some((c) => typeof c !== 'number' || c < 0 || c > 1)) problems.push(`object ${o.id}: rgb must be 3 numbers in [0, 1]`);
    if (!Array.isArray(o.position) || o.position.length < 2 || o.position.some((c) => typeof c !== 'number' || !(Math.abs(c) <= 1))) problems.push(`object ${o.id}: position must be [x, y] with |x|, |y| ≤ 1 m`);
    if (o.size !== undefined && (!Array.isArray(o.size) || o.size.some((c) => typeof c !== 'number' || !(c > 0 && c < 0.5)))) problems.push(`object ${o.id}: size entries must be in (0, 0.5) m`);
  }
  const cam = scene.camera as Partial<SceneSpec['camera']> | undefined;
  if (cam !== undefined) {
    const vec3 = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every((c) => typeof c === 'number' && Math.abs(c) <= 10);
    if ((cam.eye !== undefined && !vec3(cam.eye)) || (cam.target !== undefined && !vec3(cam.target))) problems.push('camera.eye and camera.target must be [x, y, z] within 10 m');
    if (cam.fovyDeg !== undefined && !(cam.fovyDeg >= 10 && cam.fovyDeg <= 120)) problems.push('camera.fovyDeg must be in [10, 120]');
  }
  const look = scene.look as Partial<SceneSpec['look']> | undefined;
  if (look !== undefined) {
    const rgb = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every((c) => typeof c === 'number' && c >= 0 && c <= 1);
    if ((look.tableRgb !== undefined && !rgb(look.tableRgb)) || (look.backgroundRgb !== undefined && !rgb(look.backgroundRgb))) problems.push('look colours must be 3 numbers in [0, 1]');
    if (look.lightDir !== undefined && !(Array.isArray(look.lightDir) && look.lightDir.length === 3 && look.lightDir.every((c) => typeof c === 'number' && Number.isFinite(c)))) problems.push('look.lightDir must be [x, y, z]');
    for (const key of ['ambient', 'diffuse'] as const) if (look[key] !== undefined && !(look[key]! >= 0 && look[key]! <= 2)) problems.push(`look.${key} must be in [0, 2]`);
  }
  const task = scene.task;
  if (!task || !['pick_place', 'press_button', 'knock_down'].includes(task.kind)) problems.push('task.kind must be pick_place, press_button or knock_down');
  else {
    const obj = scene.objects?.find((o) => o.id === task.objectId);
    if (!obj) problems.push(`task.objectId ${JSON.stringify(task.objectId)} is not an object of the scene`);
    if (task.kind === 'pick_place') {
      const target = scene.objects?.find((o) => o.id === task.targetId);
      if (!target || !['plate', 'bowl'].includes(target.shape)) problems.push('pick_place needs task.targetId naming a plate or bowl');
      if (obj && !['cube', 'cylinder', 'block'].includes(obj.shape)) problems.push('pick_place object must be a cube, cylinder or block');
    }
    if (task.kind === 'press_button' && obj && obj.shape !== 'button') problems.push('press_button object must be a button');
    if (task.kind === 'knock_down' && obj && !['bottle', 'can', 'cylinder', 'block'].includes(obj.shape)) problems.push('knock_down object must be a bottle, can, cylinder or block');
    if (typeof task.instruction !== 'string' || !task.instruction.trim()) problems.push('task.instruction must be a non-empty string');
  }
  return problems;
}

/** Fills the optional parts of an explicit scene (camera, look) from defaults. */
export function completeScene(partial: Partial<SceneSpec> & Pick<SceneSpec, 'objects' | 'task'>): SceneSpec {
  return {
    objects: partial.objects.map((o) => ({ ...o, position: [o.position[0], o.position[1]] })),
    task: partial.task,
    camera: { ...DEFAULT_CAMERA, ...(partial.camera ?? {}) },
    look: {
      tableRgb: [0.72, 0.58, 0.42], backgroundRgb: [0.55, 0.6, 0.68], lightDir: [-0.3, 0.3, -1], ambient: 0.38, diffuse: 0.6,
      ...(partial.look ?? {}),
    },
    seed: partial.seed,
  };
}
