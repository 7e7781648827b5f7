/**
 * Draws the hand of handModel.ts over a table: each bone is a tapered capsule, shaded per pixel as
 * the sphere-swept surface it is (orthographic along z, depth-tested), under a key light with a little
 * specular and a soft shadow on the table. Pure TypeScript over an RGB buffer, so the browser test
 * and the benchmark render the same frames in Node with no GPU.
 */
import { handJointsImage, type HandPose, type Vec3 } from './handModel.ts';

export interface RgbFrame { width: number; height: number; data: Uint8Array }

interface Capsule { a: Vec3; b: Vec3; ra: number; rb: number; rgb: readonly [number, number, number] }

const SKIN = [226, 170, 138] as const;
const SLEEVE = [48, 62, 96] as const;
const LIGHT: Vec3 = normalize([-0.35, -0.55, 0.76]);
const HALF: Vec3 = normalize([LIGHT[0], LIGHT[1], LIGHT[2] + 1]);

function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/** The capsules of a posed hand: palm as fat bones from the wrist to the knuckles, then phalanges. */
function handCapsules(joints: readonly Vec3[], size: number): Capsule[] {
  const j = (i: number): Vec3 => joints[i]!;
  const r = (f: number): number => f * size;
  const caps: Capsule[] = [];
  const bone = (i: number, k: number, ra: number, rb: number, rgb: Capsule['rgb'] = SKIN): void => {
    caps.push({ a: j(i), b: j(k), ra: r(ra), rb: r(rb), rgb });
  };
  // Forearm and sleeve, leaving the image through the bottom along the hand's axis.
  const w = j(0);
  const axis = normalize([w[0] - j(9)[0], w[1] - j(9)[1], 0]);
  const along = (d: number): Vec3 => [w[0] + axis[0] * d * size, w[1] + axis[1] * d * size, -0.05 * size];
  caps.push({ a: along(0.05), b: along(0.35), ra: r(0.1), rb: r(0.11), rgb: SKIN });
  caps.push({ a: along(0.3), b: along(2.5), ra: r(0.13), rb: r(0.15), rgb: SLEEVE });
  // Palm: a fan of fat bones from across the wrist to across the knuckles, so it reads as one pad.
  const wristL: Vec3 = [w[0] + (j(1)[0] - w[0]) * 0.55, w[1] + (j(1)[1] - w[1]) * 0.55, 0];
  const wristR: Vec3 = [w[0] - (j(1)[0] - w[0]) * 0.35, w[1] - (j(1)[1] - w[1]) * 0.35, 0];
  const mix = (p: Vec3, q: Vec3, t: number): Vec3 => [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t, p[2] + (q[2] - p[2]) * t];
  for (let k = 0; k <= 12; k++) {
    const t = k / 12;
    caps.push({ a: mix(wristL, wristR, t), b: mix(j(5), j(17), t), ra: r(0.075), rb: r(0.065), rgb: SKIN });
  }
  bone(5, 17, 0.062, 0.056);
  bone(1, 5, 0.07, 0.06);
  bone(0, 1, 0.085, 0.075);
  // Thumb and fingers (tapering).
  bone(1, 2, 0.068, 0.055);
  bone(2, 3, 0.055, 0.048);
  bone(3, 4, 0.048, 0.042);
  const radii = [[0.052, 0.046, 0.04, 0.035], [0.054, 0.048, 0.042, 0.036], [0.05, 0.045, 0.039, 0.034], [0.044, 0.039, 0.034, 0.03]];
  for (let f = 0; f < 4; f++) {
    const base = 5 + f * 4;
    const rs = radii[f]!;
    for (let k = 0; k < 3; k++) bone(base + k, base + k + 1, rs[k]!, rs[k + 1]!);
  }
  return caps;
}

/** A value noise in [0, 1) from integer coordinates (no state, so every frame's table matches). */
function hash(x: number, y: number): number {
  let h = (x * 374761393 + y * 668265263) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** The empty scene: a wall above a table edge, the table with a faint grain. Cached per size. */
const backgrounds = new Map<string, Uint8Array>();
function background(width: number, height: number): Uint8Array {
  const key = `${width}x${height}`;
  let bg = backgrounds.get(key);
  if (bg) return bg;
  bg = new Uint8Array(width * height * 3);
  const edge = Math.round(height * 0.18);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (y < edge) {
        const v = 196 - (y / edge) * 20;
        bg[o] = v; bg[o + 1] = v + 2; bg[o + 2] = v - 6;
      } else {
        const grain = 10 * Math.sin(y * 0.09 + 3 * Math.sin(x * 0.004)) + 8 * hash(x >> 2, y);
        const shade = 1 - 0.25 * ((y - edge) / (height - edge));
        bg[o] = (128 + grain) * shade; bg[o + 1] = (134 + grain) * shade; bg[o + 2] = (140 + grain) * shade;
      }
    }
  }
  backgrounds.set(key, bg);
  return bg;
}

/** Renders `pose` into a new frame (or into `into`). */
export function renderHandFrame(pose: HandPose, width: number, height: number, into?: RgbFrame): RgbFrame {
  const frame = into ?? { width, height, data: new Uint8Array(width * height * 3) };
  const px = frame.data;
  px.set(background(width, height));
  const joints = handJointsImage(pose);
  const caps = handCapsules(joints, pose.size);
  const depth = new Float32Array(width * height).fill(-Infinity);
  // Soft shadow: the capsules' silhouette, offset and faded toward its edge (strongest wins, so
  // overlapping capsules do not darken twice).
  const shadow = new Float32Array(width * height);
  for (const c of caps) {
    drawCapsule(c, width, height, (i, d, r) => {
      shadow[i] = Math.max(shadow[i]!, Math.min(1, (r - d) / (0.6 * r)) * 0.35);
    }, pose.size * 0.06, pose.size * 0.08, 1.15);
  }
  for (let i = 0; i < shadow.length; i++) {
    const f = 1 - shadow[i]!;
    if (f < 1) { const o = i * 3; px[o] = px[o]! * f; px[o + 1] = px[o + 1]! * f; px[o + 2] = px[o + 2]! * f; }
  }
  for (const c of caps) {
    drawCapsule(c, width, height, (i, d, r, zc, nx, ny) => {
      const nz = Math.sqrt(Math.max(0, r * r - d * d)) / r;
      const z = zc + nz * r;
      if (z <= depth[i]!) return;
      depth[i] = z;
      const lambert = Math.max(0, nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]);
      const spec = Math.pow(Math.max(0, nx * HALF[0] + ny * HALF[1] + nz * HALF[2]), 24) * 28;
      const light = 0.42 + 0.62 * lambert;
      const o = i * 3;
      // Skin scatters red into its shadows: less darkening in red.
      px[o] = Math.min(255, c.rgb[0] * (0.2 + 0.8 * light) + spec);
      px[o + 1] = Math.min(255, c.rgb[1] * light + spec);
      px[o + 2] = Math.min(255, c.rgb[2] * light + spec);
    });
  }
  return frame;
}

/**
 * Visits the pixels a capsule covers (projected along z), with the distance `d` to its axis in the
 * image, its radius `r` there, its axis depth and the in-image normal components.
 */
function drawCapsule(
  c: Capsule, width: number, height: number,
  visit: (index: number, d: number, r: number, zAxis: number, nx: number, ny: number) => void,
  dx = 0, dy = 0, grow = 1,
): void {
  const ax = c.a[0] + dx; const ay = c.a[1] + dy;
  const bx = c.b[0] + dx; const by = c.b[1] + dy;
  const ra = c.ra * grow; const rb = c.rb * grow;
  const rmax = Math.max(ra, rb);
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - rmax));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + rmax));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - rmax));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + rmax));
  const ex = bx - ax; const ey = by - ay;
  const len2 = ex * ex + ey * ey || 1e-9;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const t = Math.min(1, Math.max(0, ((x - ax) * ex + (y - ay) * ey) / len2));
      const cx = ax + ex * t; const cy = ay + ey * t;
      const vx = x - cx; const vy = y - cy;
      const d = Math.hypot(vx, vy);
      const r = ra + (rb - ra) * t;
      if (d >= r) continue;
      visit(y * width + x, d, r, c.a[2] + (c.b[2] - c.a[2]) * t, vx / r, vy / r);
    }
  }
}
