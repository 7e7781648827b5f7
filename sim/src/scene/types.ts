/**
 * A scene is plain data: the generator draws one from a seed, an outside evaluator can send one
 * explicitly through the reset service. Everything the MJCF builder and the success checks need is here.
 * Units: metres, radians, RGB in [0, 1]. Positions are in the robot base frame (`base_link`,
 * z up, origin at the arm base on the table top; the table top is z = 0).
 */
export type Rgb = [number, number, number];

/** Graspable objects (pick), targets (place), buttons (press) and standing objects (knock down). */
export type ObjectShape = 'cube' | 'cylinder' | 'block' | 'plate' | 'bowl' | 'button' | 'bottle' | 'can';

export interface SceneObject {
  /** Unique within the scene; used for body/geom names. */
  id: string;
  shape: ObjectShape;
  rgb: Rgb;
  /** Colour word used in instructions ("red"); free text for explicit scenes. */
  colorName?: string;
  /** Shape-specific size in metres; see SHAPE_DEFAULT_SIZE for the meaning of each entry. */
  size?: number[];
  /** [x, y] on the table (base frame); z is derived from the shape so it rests on the table. */
  position: [number, number];
  /** Rotation about z. */
  yaw?: number;
}

export type TaskKind = 'pick_place' | 'press_button' | 'knock_down';

export interface TaskSpec {
  kind: TaskKind;
  /** Object the task acts on (picked, pressed or knocked down). */
  objectId: string;
  /** Place target (plate or bowl) for pick_place. */
  targetId?: string;
  instruction: string;
}

export interface CameraSpec {
  /** Camera position and look-at point in the base frame. */
  eye: [number, number, number];
  target: [number, number, number];
  /** Vertical field of view in degrees. */
  fovyDeg: number;
  width: number;
  height: number;
}

export interface LookSpec {
  tableRgb: Rgb;
  backgroundRgb: Rgb;
  /** Direction the light travels (world), normalised by the renderer. */
  lightDir: [number, number, number];
  ambient: number;
  diffuse: number;
}

export interface SceneSpec {
  objects: SceneObject[];
  task: TaskSpec;
  camera: CameraSpec;
  look: LookSpec;
  /** Seed the scene was drawn from, when it was. */
  seed?: number;
  /** The held-out change of a held-out scene: color, shape, phrase, camera or lighting. */
  heldoutAxis?: string;
}

/**
 * Default sizes per shape:
 * cube [half edge]; cylinder [radius, half height]; block [half x, half y, half z];
 * plate [radius, half thickness]; bowl [radius, wall height]; button [cap radius];
 * bottle [radius, half height]; can [radius, half height].
 */
export const SHAPE_DEFAULT_SIZE: Record<ObjectShape, number[]> = {
  cube: [0.02],
  cylinder: [0.02, 0.025],
  block: [0.015, 0.03, 0.02],
  plate: [0.07, 0.005],
  bowl: [0.075, 0.03],
  button: [0.022],
  bottle: [0.024, 0.075],
  can: [0.03, 0.055],
};
