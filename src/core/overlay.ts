/**
 * Draws a path the way HAMSTER's released code does (`draw_lines_on_image_cv(..., draw_action=True)`),
 * so a low-level policy trained on HAMSTER overlays reads ours (docs/PATH_FORMAT.md, Overlay):
 * - scale s = max(min(W, H) / 512, 1); line thickness max(1, int(2s)); circle radius int(7s),
 *   circle thickness max(1, int(2s));
 * - waypoints to pixels by truncation (`int(x * W)`), then 100 points equally spaced by arc length,
 *   truncated to integers, joined by 99 `cv2.line` segments coloured with jet from start to end;
 * - hollow circles at the first waypoint and wherever the gripper state differs from the previous
 *   waypoint's: red where the state after the waypoint is open, blue where it is closed; circles
 *   first, the line on top. No anti-aliasing.
 *
 * The resampling repeats HAMSTER's numpy dtypes (float32 points and segment lengths, float64
 * cumulative and sample positions, float32 interpolation), because the truncation to integers is sensitive to the last bit.
 *
 * Deliberate differences, only where HAMSTER's code fails: consecutive duplicate pixels are merged
 * before resampling (HAMSTER divides 0 by 0 when the first two coincide), and a path whose waypoints
 * all fall on one pixel draws only its circles (HAMSTER raises). Colours are written as RGB in the
 * buffer's R, G, B bytes (HAMSTER drew on RGB arrays), alpha is set to 255 where we draw.
 */
import { jetColors } from './jet';
import type { Path } from './path';
import { createRgbaImage, drawCircle, drawLine, type Rgb, type RgbaImage } from './raster';

export type OverlayMode = 'overlay' | 'concat';

/** HAMSTER's `num_subdivisions`. */
export const OVERLAY_SAMPLES = 100;
export const OPEN_CIRCLE_COLOR: Rgb = [255, 0, 0];
export const CLOSED_CIRCLE_COLOR: Rgb = [0, 0, 255];

export interface OverlayStyle {
  scale: number;
  lineThickness: number;
  circleRadius: number;
  circleThickness: number;
}

export function overlayStyle(width: number, height: number): OverlayStyle {
  const scale = Math.max(Math.min(width, height) / 512, 1);
  return {
    scale,
    lineThickness: Math.max(1, Math.trunc(2 * scale)),
    circleRadius: Math.trunc(7 * scale),
    circleThickness: Math.max(1, Math.trunc(2 * scale)),
  };
}

/** Waypoint to pixel as HAMSTER does: `int(x * width)` (truncation toward zero). */
export function toPixel(x: number, y: number, width: number, height: number): [number, number] {
  return [Math.trunc(x * width), Math.trunc(y * height)];
}

/**
 * The integer polyline HAMSTER draws: `samples` points spaced equally by arc length along the
 * truncated waypoint pixels, as `[x0, y0, x1, y1, ...]`. Null when there is no segment to draw
 * (fewer than two distinct pixels).
 */
export function hamsterPixelTrack(
  points: readonly { x: number; y: number }[],
  width: number,
  height: number,
  samples = OVERLAY_SAMPLES,
): Int32Array | null {
  const f32 = Math.fround;
  const px: number[] = [];
  const py: number[] = [];
  for (const p of points) {
    const [x, y] = toPixel(p.x, p.y, width, height);
    if (px.length > 0 && x === px[px.length - 1] && y === py[py.length - 1]) continue;
    px.push(f32(x));
    py.push(f32(y));
  }
  if (px.length < 2 || samples < 2) return null;

  // Segment lengths are float32 (np.linalg.norm of float32 rows); HAMSTER's running sum starts
  // from the Python int 0, which numpy promotes to float64, so the sum itself is float64.
  const cumulative = [0];
  for (let i = 1; i < px.length; i++) {
    const dx = px[i] - px[i - 1];
    const dy = py[i] - py[i - 1];
    cumulative.push(cumulative[i - 1] + f32(Math.sqrt(f32(dx * dx + dy * dy))));
  }
  const total = cumulative[cumulative.length - 1];
  const step = total / (samples - 1); // np.linspace in float64

  const out = new Int32Array(samples * 2);
  let seg = 0;
  for (let s = 0; s < samples; s++) {
    const at = s === samples - 1 ? total : s * step;
    while (at > cumulative[seg + 1] && seg < cumulative.length - 2) seg++;
    const t = (at - cumulative[seg]) / (cumulative[seg + 1] - cumulative[seg]);
    // numpy casts the float64 scalar weights to float32 when multiplying the float32 points.
    const wa = f32(1 - t);
    const wb = f32(t);
    out[s * 2] = Math.trunc(f32(f32(wa * px[seg]) + f32(wb * px[seg + 1])));
    out[s * 2 + 1] = Math.trunc(f32(f32(wa * py[seg]) + f32(wb * py[seg + 1])));
  }
  return out;
}

/** Draws the path onto `target` in place (HAMSTER's rules, see the module comment). */
export function drawPathOverlay(target: RgbaImage, path: Path): void {
  const { width, height } = target;
  const style = overlayStyle(width, height);
  const points = path.points;

  points.forEach((p, i) => {
    if (i > 0 && p.gripper === points[i - 1].gripper) return;
    const [x, y] = toPixel(p.x, p.y, width, height);
    const colour = p.gripper === 'closed' ? CLOSED_CIRCLE_COLOR : OPEN_CIRCLE_COLOR;
    drawCircle(target, x, y, style.circleRadius, colour, style.circleThickness);
  });

  const track = hamsterPixelTrack(points, width, height);
  if (!track) return;
  const samples = track.length / 2;
  const colours = jetColors(samples);
  for (let i = 0; i < samples - 1; i++) {
    const colour: Rgb = [colours[i * 3], colours[i * 3 + 1], colours[i * 3 + 2]];
    drawLine(target, track[i * 2], track[i * 2 + 1], track[i * 2 + 2], track[i * 2 + 3], colour, style.lineThickness);
  }
}

/**
 * Returns a new image with the path drawn; never modifies `image`.
 * `overlay`: on a copy of the image. `concat`: on black of the same size (only the size of
 * `image` is used), the 3 extra channels HAMSTER's `concat` policy variant takes.
 */
export function renderPathOverlay(image: RgbaImage, path: Path, mode: OverlayMode = 'overlay'): RgbaImage {
  const out: RgbaImage =
    mode === 'concat'
      ? createRgbaImage(image.width, image.height)
      : { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) };
  drawPathOverlay(out, path);
  return out;
}

/** `concat` mode without a source image: the path on black, `width` x `height`. */
export function renderPathConcat(width: number, height: number, path: Path): RgbaImage {
  const out = createRgbaImage(width, height);
  drawPathOverlay(out, path);
  return out;
}
