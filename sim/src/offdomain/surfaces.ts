/**
 * Surface textures, coloured light and a background wall, painted over a rasterized frame. The
 * rasterizer shades each triangle flat; here every pixel is lifted back to the world point it shows
 * (its depth through the camera), and the table and objects get a procedural texture anchored
 * there: wood grain, tiles, speckle or a weave on the table; stripes, dots or speckle on objects.
 * Shading is multiplicative, so a texture scales the shaded colour. Deterministic: the noise is a
 * hash of the lattice cell and the style's seed.
 */
import type { GeomInfo } from '../physics.ts';
import type { Frame } from '../render/rasterizer.ts';
import type { CameraModel } from '../render/camera.ts';
import type { Rgb } from '../scene/types.ts';
import type { ObjectTexture, SurfaceStyle } from './domain.ts';

type Painter = (x: number, y: number, z: number) => Rgb | number;

/** Paints `frame` in place (`geoms` as rendered, indexed by the segmentation's ids). */
export function paintSurfaces(frame: Frame, camera: CameraModel, geoms: readonly GeomInfo[], tableRgb: Rgb, style: SurfaceStyle): void {
  const painters = geoms.map((g) => painterOf(g, tableRgb, style));
  const { width: W, height: H, rgb, depth, segmentation } = frame;
  const R = camera.rotation, T = camera.translation;
  const light = style.lightRgb;
  for (let v = 0; v < H; v++) {
    const wall = style.wallTop.map((c, k) => 255 * (c + ((style.wallBottom[k] - c) * v) / (H - 1)));
    for (let u = 0; u < W; u++) {
      const i = v * W + u;
      const id = segmentation[i];
      if (id < 0) {
        rgb[3 * i] = Math.round(wall[0]); rgb[3 * i + 1] = Math.round(wall[1]); rgb[3 * i + 2] = Math.round(wall[2]);
        continue;
      }
      let factor: Rgb | number = 1;
      const paint = painters[id];
      if (paint) {
        // Camera point (x, y, z) from pixel and depth, then world = Rᵀ (c − t).
        const z = depth[i], cxp = ((u - camera.cx) / camera.fx) * z - T[0], cyp = ((v - camera.cy) / camera.fy) * z - T[1], czp = z - T[2];
        factor = paint(R[0] * cxp + R[3] * cyp + R[6] * czp, R[1] * cxp + R[4] * cyp + R[7] * czp, R[2] * cxp + R[5] * cyp + R[8] * czp);
      }
      for (let k = 0; k < 3; k++) {
        const f = typeof factor === 'number' ? factor : factor[k];
        rgb[3 * i + k] = Math.min(255, Math.round(rgb[3 * i + k] * f * light[k]));
      }
    }
  }
}

function painterOf(g: GeomInfo, tableRgb: Rgb, style: SurfaceStyle): Painter | null {
  const seed = style.noiseSeed;
  if (g.name === 'table') {
    const { texture, secondRgb, period, angle } = style.table;
    const ca = Math.cos(angle), sa = Math.sin(angle);
    const second = secondRgb.map((c, k) => c / Math.max(0.02, tableRgb[k])) as Rgb;
    switch (texture) {
      case 'wood': return (x, y) => {
        const across = x * ca + y * sa, along = -x * sa + y * ca;
        const ring = Math.sin(2 * Math.PI * (across / (period / 2) + 1.5 * smoothNoise(across / period, along / (4 * period), seed)));
        return 1 + 0.13 * ring;
      };
      case 'checker': return (x, y) => ((Math.floor(x / period) + Math.floor(y / period)) & 1 ? second : 1);
      case 'speckle': return (x, y) => 0.82 + 0.36 * hash3(Math.floor(x / 0.006), Math.floor(y / 0.006), 0, seed);
      case 'weave': return (x, y) => 1 + 0.1 * Math.sin((2 * Math.PI * x) / 0.018) * Math.sin((2 * Math.PI * y) / 0.018);
    }
  }
  const object = /^obj:([^:]+):/.exec(g.name);
  if (object && g.name.endsWith(':base')) return null; // a button's housing is plain plastic
  const texture: ObjectTexture | undefined = object ? style.objects[object[1]] : undefined;
  switch (texture) {
    case 'stripes': return (_x, _y, z) => (Math.floor(z / 0.012) & 1 ? 0.72 : 1.08);
    case 'dots': return (x, y, z) => {
      const s = 0.016;
      const dx = x / s - Math.round(x / s), dy = y / s - Math.round(y / s), dz = z / s - Math.round(z / s);
      return dx * dx + dy * dy + dz * dz < 0.09 ? 1.35 : 1;
    };
    case 'speckle': return (x, y, z) => 0.8 + 0.4 * hash3(Math.floor(x / 0.005), Math.floor(y / 0.005), Math.floor(z / 0.005), seed);
    default: return null;
  }
}

/** A repeatable value in [0, 1) per integer lattice cell. */
function hash3(x: number, y: number, z: number, seed: number): number {
  let h = Math.imul(x | 0, 0x27d4eb2d) ^ Math.imul(y | 0, 0x165667b1) ^ Math.imul(z | 0, 0x9e3779b1) ^ seed;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Bilinear value noise in [0, 1) (the wood grain's waviness). */
function smoothNoise(x: number, y: number, seed: number): number {
  const x0 = Math.floor(x), y0 = Math.floor(y), fx = x - x0, fy = y - y0;
  const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  const a = hash3(x0, y0, 0, seed), b = hash3(x0 + 1, y0, 0, seed), c = hash3(x0, y0 + 1, 0, seed), d = hash3(x0 + 1, y0 + 1, 0, seed);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}
