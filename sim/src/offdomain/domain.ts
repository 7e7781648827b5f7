/**
 * The off-domain variant of a seeded scene: the same task layout and instruction as the target
 * domain's scene of that seed, seen in a visibly and physically different world — other table
 * colours and surface textures, other shades and sizes of the named object colours, coloured light
 * from other directions and intensities, a background wall, and another end effector (a floating
 * gripper without the arm, or a human-like hand). The camera is drawn apart (offDomainCamera.ts),
 * once the expert's path is known. Everything comes from the seed, through its own RNG stream, so
 * the target domain's draws are untouched.
 */
import { objectSize } from '../scene/mjcf.ts';
import { Rng } from '../scene/rng.ts';
import type { Rgb, SceneObject, SceneSpec } from '../scene/types.ts';

export type EffectorKind = 'floating_gripper' | 'hand';
export const EFFECTOR_KINDS: readonly EffectorKind[] = ['floating_gripper', 'hand'];

export type TableTexture = 'wood' | 'checker' | 'speckle' | 'weave';
export type ObjectTexture = 'plain' | 'stripes' | 'dots' | 'speckle';

export interface EffectorStyle {
  kind: EffectorKind;
  /** Gripper paint, or the hand's skin or glove. */
  rgb: Rgb;
  /** The sleeve at the hand's wrist. */
  sleeveRgb: Rgb;
}

export interface SurfaceStyle {
  table: { texture: TableTexture; secondRgb: Rgb; period: number; angle: number };
  /** By object id. */
  objects: Record<string, ObjectTexture>;
  /** Multiplies every lit surface: the light's colour and intensity. */
  lightRgb: Rgb;
  /** Background wall, a vertical gradient from the top of the image to the bottom. */
  wallTop: Rgb;
  wallBottom: Rgb;
  /** Seeds the texture noise. */
  noiseSeed: number;
}

export interface OffDomainVariant {
  /** What the physics runs and the rasterizer shades: resized and re-shaded objects, table colour, light direction and strength. */
  scene: SceneSpec;
  surfaces: SurfaceStyle;
  effector: EffectorStyle;
}

export interface VariantOptions {
  /** One end effector for every episode; by default each episode draws one. */
  effector?: EffectorKind;
}

/** Salt of the off-domain RNG stream (any constant other than the scene's). */
const DOMAIN_SALT = 0x0ffd0a11;

/** None of these is among the target domain's four table colours (scene/palette.ts). */
const TABLE_COLORS: Rgb[] = [
  [0.16, 0.26, 0.46], // blue cutting mat
  [0.13, 0.38, 0.22], // green baize
  [0.93, 0.93, 0.9], // white laminate
  [0.12, 0.12, 0.13], // black worktop
  [0.66, 0.33, 0.22], // terracotta
  [0.9, 0.77, 0.55], // birch
];
const WALL_COLORS: Rgb[] = [[0.9, 0.86, 0.78], [0.75, 0.77, 0.8], [0.3, 0.32, 0.36], [0.62, 0.7, 0.62], [0.85, 0.75, 0.7]];
const LIGHT_TINTS: Rgb[] = [[1, 0.82, 0.6], [0.82, 0.9, 1.05], [1, 1, 1], [0.92, 1, 0.86]];
/** Paints unlike the sim's near-black gripper, and unlike any colour word of the tasks. */
const GRIPPER_PAINTS: Rgb[] = [[0.8, 0.8, 0.82], [0.95, 0.95, 0.93], [0.55, 0.57, 0.6], [0.85, 0.78, 0.62]];
const SKIN_AND_GLOVES: Rgb[] = [[0.96, 0.8, 0.69], [0.87, 0.67, 0.5], [0.62, 0.43, 0.3], [0.4, 0.27, 0.2], [0.94, 0.94, 0.96], [0.14, 0.14, 0.16]];
const SLEEVES: Rgb[] = [[0.2, 0.24, 0.35], [0.3, 0.3, 0.3], [0.75, 0.75, 0.72], [0.35, 0.22, 0.18]];

export function offDomainVariant(scene: SceneSpec, seed: number, options: VariantOptions = {}): OffDomainVariant {
  const rng = new Rng((seed ^ DOMAIN_SALT) >>> 0);
  // Shades of the named colours (the instruction's words must stay true) and sizes ±15 %, which
  // the expert and the success checks read from the scene.
  const objects: SceneObject[] = scene.objects.map((o) => {
    const grow = rng.uniform(0.85, 1.15);
    return { ...o, rgb: shade(o.rgb, rng), size: objectSize(o).map((s) => +(s * grow).toFixed(5)) };
  });
  const task = [scene.task.objectId, scene.task.targetId].map((id) => objects.find((o) => o.id === id)).filter((o): o is SceneObject => !!o);
  // A table the task's objects stand out from (the words name their colours).
  const tables = TABLE_COLORS.filter((t) => task.every((o) => colourDistance(t, o.rgb) > 0.35));
  const tableRgb = rng.pick(tables.length ? tables : TABLE_COLORS);
  const azimuth = rng.uniform(-Math.PI, Math.PI), elevation = rng.uniform(0.45, 1.4);
  const look = {
    tableRgb,
    backgroundRgb: [0, 0, 0] as Rgb, // replaced by the wall gradient
    lightDir: [-Math.cos(elevation) * Math.cos(azimuth), -Math.cos(elevation) * Math.sin(azimuth), -Math.sin(elevation)] as [number, number, number],
    ambient: rng.uniform(0.15, 0.55),
    diffuse: rng.uniform(0.45, 1.0),
  };
  const intensity = rng.uniform(0.8, 1.25);
  const tint = rng.pick(LIGHT_TINTS);
  const textures: TableTexture[] = ['wood', 'checker', 'speckle', 'weave'];
  const objectTextures: ObjectTexture[] = ['plain', 'stripes', 'dots', 'speckle'];
  const surfaces: SurfaceStyle = {
    table: {
      texture: rng.pick(textures),
      secondRgb: tableRgb.map((c) => Math.min(1, c * rng.uniform(0.6, 0.8) + rng.uniform(0, 0.12))) as Rgb,
      period: rng.uniform(0.03, 0.08),
      angle: rng.uniform(0, Math.PI),
    },
    objects: Object.fromEntries(objects.map((o) => [o.id, rng.pick(objectTextures)])),
    lightRgb: tint.map((c) => c * intensity) as Rgb,
    wallTop: rng.pick(WALL_COLORS),
    wallBottom: rng.pick(WALL_COLORS).map((c) => c * 0.7) as Rgb,
    noiseSeed: rng.int(0, 0x7fffffff),
  };
  const kind = options.effector ?? rng.pick(EFFECTOR_KINDS);
  const effector: EffectorStyle = {
    kind,
    rgb: rng.pick(kind === 'hand' ? SKIN_AND_GLOVES : GRIPPER_PAINTS),
    sleeveRgb: rng.pick(SLEEVES),
  };
  return { scene: { ...scene, objects, look }, surfaces, effector };
}

function colourDistance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Another shade of the same colour word: hue ±6°, saturation ×0.75–1.05, value ×0.75–1.1. */
function shade(rgb: Rgb, rng: Rng): Rgb {
  const [h, s, v] = rgbToHsv(rgb);
  return hsvToRgb((h + rng.uniform(-6, 6) / 360 + 1) % 1, Math.min(1, s * rng.uniform(0.75, 1.05)), Math.min(1, v * rng.uniform(0.75, 1.1)));
}

function rgbToHsv([r, g, b]: Rgb): [number, number, number] {
  const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = ((g - b) / d + 6) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
  }
  return [h / 6, max > 0 ? d / max : 0, max];
}

function hsvToRgb(h: number, s: number, v: number): Rgb {
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [f(5), f(3), f(1)].map((c) => +c.toFixed(4)) as Rgb;
}
