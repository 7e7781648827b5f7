/**
 * Turning pixels, paths and instructions into model inputs, and planner outputs into a path.
 * Pure code (runs in the page, the worker and Node) and the same arithmetic as the trainer
 * (training/path_studio_train/images.py, data.py): a model sees in the studio what it saw in training.
 */
import { checkPlannerPoints } from '../core/modelOutput';
import type { Path, Waypoint } from '../core/path';
import { drawPathOverlay } from '../core/overlay';
import type { RgbaImage } from '../core/raster';
import { simplifyPath } from '../core/simplify';
import { encodeInstruction, HASHED_BOW_V1 } from '../core/textEncoding';
import type { ModelCard } from './modelCard';

export interface FloatTensor {
  dims: number[];
  data: Float32Array;
}

/**
 * Bilinear resize with half-pixel centres and clamped edges to `width`×`height`, as float RGB
 * (0..255, interleaved). Written out instead of drawing on a canvas because canvas smoothing
 * differs between browsers and from the trainer; the cost depends only on the output size.
 */
export function resizeBilinearRgb(src: RgbaImage, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  const sx = src.width / width, sy = src.height / height;
  const d = src.data;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), src.height - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, src.height - 1);
    const wy = Math.fround(fy - y0);
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), src.width - 1);
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, src.width - 1);
      const wx = Math.fround(fx - x0);
      const a = (y0 * src.width + x0) * 4, b = (y0 * src.width + x1) * 4;
      const c = (y1 * src.width + x0) * 4, e = (y1 * src.width + x1) * 4;
      const o = (y * width + x) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = d[a + ch] * (1 - wx) + d[b + ch] * wx;
        const bottom = d[c + ch] * (1 - wx) + d[e + ch] * wx;
        out[o + ch] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

/** The resized image rounded back to bytes (what the policy's path is drawn on). */
export function resizeToRgba(src: RgbaImage, width: number, height: number): RgbaImage {
  const rgb = resizeBilinearRgb(src, width, height);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    data[j] = Math.round(rgb[i]);
    data[j + 1] = Math.round(rgb[i + 1]);
    data[j + 2] = Math.round(rgb[i + 2]);
    data[j + 3] = 255;
  }
  return { width, height, data };
}

/** Interleaved RGB (0..255) images to one planar [1, C, H, W] tensor: `(v * scale - mean) / std`. */
function toPlanar(images: { rgb: ArrayLike<number>; stride: number }[], width: number, height: number, scale: number, mean: number[], std: number[]): FloatTensor {
  const channels = images.length * 3;
  const plane = width * height;
  const data = new Float32Array(channels * plane);
  images.forEach(({ rgb, stride }, k) => {
    for (let ch = 0; ch < 3; ch++) {
      const c = k * 3 + ch;
      const m = mean[c], s = std[c], base = c * plane;
      for (let i = 0; i < plane; i++) data[base + i] = (rgb[i * stride + ch] * scale - m) / s;
    }
  });
  return { dims: [1, channels, height, width], data };
}

/** The planner's `image` input. */
export function plannerImageTensor(image: RgbaImage, card: ModelCard): FloatTensor {
  const { width, height, scale, mean, std } = card.image;
  return toPlanar([{ rgb: resizeBilinearRgb(image, width, height), stride: 3 }], width, height, scale, mean, std);
}

/** The `text` input, in the card's encoding. */
export function textTensor(instruction: string, card: ModelCard): FloatTensor {
  const dim = card.text?.dim ?? 256;
  return { dims: [1, dim], data: encodeInstruction(card.text?.encoding ?? HASHED_BOW_V1, instruction, dim) };
}

/**
 * The policy's `image` input: the camera image resized to the input size, then the path drawn
 * at that size with HAMSTER's rules — on the image (`overlay`), on black as 3 more channels
 * (`concat`), or not at all (`none`, the flat baseline).
 */
export function policyImageTensor(image: RgbaImage, path: Path | null, card: ModelCard): FloatTensor {
  const { width, height, scale, mean, std } = card.image;
  const resized = resizeToRgba(image, width, height);
  const mode = card.conditioning ?? 'overlay';
  if (mode === 'none' || !path) {
    if (mode === 'concat') return toPlanar([{ rgb: resized.data, stride: 4 }, { rgb: new Uint8ClampedArray(width * height * 4), stride: 4 }], width, height, scale, mean, std);
    return toPlanar([{ rgb: resized.data, stride: 4 }], width, height, scale, mean, std);
  }
  if (mode === 'overlay') {
    drawPathOverlay(resized, path);
    return toPlanar([{ rgb: resized.data, stride: 4 }], width, height, scale, mean, std);
  }
  const drawn: RgbaImage = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  drawPathOverlay(drawn, path);
  return toPlanar([{ rgb: resized.data, stride: 4 }, { rgb: drawn.data, stride: 4 }], width, height, scale, mean, std);
}

/**
 * Planner outputs to a path: refuse NaN or far-out points (core/modelOutput), clamp to [0, 1], threshold the closed probability, simplify (RDP,
 * keeping gripper changes) — the trainer's evaluation does the same (paths.from_network).
 */
export function plannerOutputToPath(points: Float32Array, gripper: Float32Array, card: ModelCard): Path {
  const threshold = card.planner?.gripper_threshold ?? 0.5;
  const epsilon = card.planner?.simplify_epsilon ?? 0.05;
  const k = gripper.length;
  if (points.length !== 2 * k) throw new Error(`planner output mismatch: ${points.length / 2} points but ${k} gripper values`);
  checkPlannerPoints(points);
  const clamp = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);
  const waypoints: Waypoint[] = [];
  for (let i = 0; i < k; i++) waypoints.push({ x: clamp(points[2 * i]), y: clamp(points[2 * i + 1]), gripper: gripper[i] > threshold ? 'closed' : 'open' });
  return simplifyPath({ initialGripper: 'open', points: waypoints }, epsilon);
}
