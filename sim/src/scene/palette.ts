/**
 * Variation vocabulary: colours, shapes and instruction templates. Each list is split into the
 * part the generator trains on and a **held-out** part reserved for generalization tests
 * (the generator never uses held-out entries unless asked for split "heldout").
 */
import type { ObjectShape, Rgb, TaskKind } from './types.ts';

export interface NamedColor { name: string; rgb: Rgb }

export const TRAIN_COLORS: NamedColor[] = [
  { name: 'red', rgb: [0.85, 0.1, 0.1] },
  { name: 'green', rgb: [0.1, 0.65, 0.2] },
  { name: 'blue', rgb: [0.1, 0.3, 0.9] },
  { name: 'yellow', rgb: [0.95, 0.85, 0.1] },
  { name: 'orange', rgb: [1.0, 0.5, 0.05] },
  { name: 'pink', rgb: [1.0, 0.45, 0.7] },
  { name: 'cyan', rgb: [0.1, 0.8, 0.85] },
];
export const HELDOUT_COLORS: NamedColor[] = [
  { name: 'purple', rgb: [0.5, 0.15, 0.7] },
  { name: 'brown', rgb: [0.5, 0.3, 0.1] },
];

export const TRAIN_PICK_SHAPES: ObjectShape[] = ['cube', 'cylinder'];
export const HELDOUT_PICK_SHAPES: ObjectShape[] = ['block'];
export const KNOCK_SHAPES: ObjectShape[] = ['bottle', 'can'];

export const TABLE_COLORS: Rgb[] = [[0.72, 0.58, 0.42], [0.6, 0.6, 0.62], [0.82, 0.8, 0.76], [0.48, 0.36, 0.26]];

/** Instruction templates. {object}: "red cube"; {target}: "blue plate"; {prep}: "on" or "in". */
export const TRAIN_TEMPLATES: Record<TaskKind, string[]> = {
  pick_place: ['pick up the {object} and place it {prep} the {target}', 'put the {object} {prep} the {target}', 'move the {object} {prep}to the {target}'],
  press_button: ['press the {color} button', 'push the {color} button'],
  knock_down: ['knock down the {object}', 'knock over the {object}'],
};
export const HELDOUT_TEMPLATES: Record<TaskKind, string[]> = {
  pick_place: ['grab the {object} and drop it {prep} the {target}'],
  press_button: ['hit the {color} button'],
  knock_down: ['tip over the {object}'],
};

export const SHAPE_WORD: Record<ObjectShape, string> = {
  cube: 'cube', cylinder: 'cylinder', block: 'block', plate: 'plate', bowl: 'bowl', button: 'button', bottle: 'bottle', can: 'can',
};
