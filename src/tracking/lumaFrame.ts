/** A greyscale (luma) image: what the tracker works on. Row stride equals width. */
export interface LumaFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A square window of side `size` centred on (cx, cy), shifted to stay inside the frame. */
export function windowAround(cx: number, cy: number, size: number, width: number, height: number): Rect {
  const w = Math.min(size, width);
  const h = Math.min(size, height);
  const x = Math.max(0, Math.min(width - w, Math.round(cx - w / 2)));
  const y = Math.max(0, Math.min(height - h, Math.round(cy - h / 2)));
  return { x, y, width: w, height: h };
}

/** Copies a rectangle of `frame` into `out` (row-major, stride = rect.width). */
export function copyRect(frame: LumaFrame, rect: Rect, out: Uint8Array): void {
  for (let row = 0; row < rect.height; row++) {
    const start = (rect.y + row) * frame.width + rect.x;
    out.set(frame.data.subarray(start, start + rect.width), row * rect.width);
  }
}

/** A (2r+1)² window centred on a sub-pixel point, bilinearly sampled, edges clamped. */
export function sampleWindow(frame: LumaFrame, cx: number, cy: number, r: number, out: Float32Array = new Float32Array((2 * r + 1) ** 2)): Float32Array {
  const { width, height, data } = frame;
  let i = 0;
  for (let dy = -r; dy <= r; dy++) {
    const y = Math.min(height - 1.001, Math.max(0, cy + dy));
    const y0 = Math.floor(y), fy = y - y0;
    for (let dx = -r; dx <= r; dx++) {
      const x = Math.min(width - 1.001, Math.max(0, cx + dx));
      const x0 = Math.floor(x), fx = x - x0;
      const p = y0 * width + x0;
      out[i++] = (data[p] * (1 - fx) + data[p + 1] * fx) * (1 - fy) + (data[p + width] * (1 - fx) + data[p + width + 1] * fx) * fy;
    }
  }
  return out;
}

/**
 * Normalized cross-correlation of two equal-size windows, in [−1, 1]. A featureless window
 * (standard deviation under `minStd` grey levels) correlates with nothing: 0.
 */
export function normalizedCrossCorrelation(a: ArrayLike<number>, b: ArrayLike<number>, minStd = 2): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  if (Math.sqrt(saa / n) < minStd || Math.sqrt(sbb / n) < minStd) return 0;
  return sab / Math.sqrt(saa * sbb);
}
