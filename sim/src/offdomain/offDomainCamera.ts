/**
 * The off-domain camera: poses and intrinsics from ranges the target domain never uses. The sim's
 * camera looks from the front right (azimuth ≈ −39° ± 4° about the workspace, 33° above the
 * table, 52° field of view, square pixels, centred principal point, no roll); this one looks from
 * the front, the left or the right side, from higher up, with another field of view, unequal focal
 * lengths, a shifted principal point and a roll. Poses are drawn from one RNG stream per seed, and
 * only those where every point that must be seen — the whole expert path and the objects — lands
 * inside the image are offered (the caller may still refuse one, e.g. where the task's object is
 * hidden).
 */
import { CameraModel, type CameraLens } from '../render/camera.ts';
import { Rng } from '../scene/rng.ts';
import type { CameraSpec } from '../scene/types.ts';
import type { Vec3 } from '../math.ts';

export interface OffDomainCamera {
  spec: CameraSpec;
  lens: CameraLens;
  model: CameraModel;
}

/** Azimuths about the workspace (degrees from +x toward +y), leaving out the sim's −60…−20. */
export const AZIMUTH_RANGES_DEG: readonly (readonly [number, number])[] = [[-120, -65], [-15, 110]];
const ELEVATION_DEG = [38, 75] as const;
const DISTANCE_M = [0.7, 1.15] as const;
const FOVY_DEG = [40, 62] as const;
/** Draws per seed; a pose that fails is rarely the last, so this is never reached in practice. */
export const CAMERA_DRAWS = 64;
const CAMERA_SALT = 0x0ca3e7a5;

/** Cameras, in draw order, that see every point of `mustSee` at least `marginPx` inside the image. */
export function* offDomainCameras(seed: number, width: number, height: number, mustSee: readonly Vec3[], marginPx = 8): Generator<OffDomainCamera> {
  const rng = new Rng((seed ^ CAMERA_SALT) >>> 0);
  const spans = AZIMUTH_RANGES_DEG.map(([a, b]) => b - a);
  const total = spans.reduce((a, b) => a + b, 0);
  for (let attempt = 0; attempt < CAMERA_DRAWS; attempt++) {
    let at = rng.uniform(0, total), k = 0;
    while (at > spans[k] && k < spans.length - 1) at -= spans[k++];
    const azimuth = ((AZIMUTH_RANGES_DEG[k][0] + at) * Math.PI) / 180;
    const elevation = (rng.uniform(ELEVATION_DEG[0], ELEVATION_DEG[1]) * Math.PI) / 180;
    const distance = rng.uniform(DISTANCE_M[0], DISTANCE_M[1]);
    const target: Vec3 = [rng.uniform(0.41, 0.53), rng.uniform(-0.08, 0.08), rng.uniform(0, 0.1)];
    const eye: Vec3 = [
      target[0] + distance * Math.cos(elevation) * Math.cos(azimuth),
      target[1] + distance * Math.cos(elevation) * Math.sin(azimuth),
      target[2] + distance * Math.sin(elevation),
    ];
    const spec: CameraSpec = { eye, target, fovyDeg: rng.uniform(FOVY_DEG[0], FOVY_DEG[1]), width, height };
    const f = height / 2 / Math.tan((spec.fovyDeg * Math.PI) / 360);
    const lens: CameraLens = {
      fx: f * rng.uniform(0.94, 1.06),
      fy: f,
      cx: (width - 1) / 2 + rng.uniform(-0.06, 0.06) * width,
      cy: (height - 1) / 2 + rng.uniform(-0.06, 0.06) * height,
      roll: rng.uniform(-0.2, 0.2),
    };
    const model = new CameraModel(spec, lens);
    if (sees(model, mustSee, marginPx)) yield { spec, lens, model };
  }
}

export function sees(camera: CameraModel, points: readonly Vec3[], marginPx: number): boolean {
  return points.every((p) => {
    const [u, v, z] = camera.project(p);
    return z > 0.1 && u >= marginPx && v >= marginPx && u <= camera.width - 1 - marginPx && v <= camera.height - 1 - marginPx;
  });
}
