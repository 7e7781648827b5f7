/**
 * matplotlib's `jet` colormap, reproduced bit for bit: HAMSTER colours its path with
 * `(cm.get_cmap('jet')(np.linspace(0, 1, n))[:, :3] * 255).astype(np.uint8)`.
 * matplotlib builds a 256-entry lookup table from piecewise-linear segment data and indexes it
 * with `int(v * 256)`; we repeat the same float64 steps so every truncation lands the same way.
 */

/** matplotlib `_jet_data`: per channel, (x, value below x, value above x). */
const JET_SEGMENTS: Record<'red' | 'green' | 'blue', readonly (readonly [number, number, number])[]> = {
  red: [[0, 0, 0], [0.35, 0, 0], [0.66, 1, 1], [0.89, 1, 1], [1, 0.5, 0.5]],
  green: [[0, 0, 0], [0.125, 0, 0], [0.375, 1, 1], [0.64, 1, 1], [0.91, 0, 0], [1, 0, 0]],
  blue: [[0, 0.5, 0.5], [0.11, 1, 1], [0.34, 1, 1], [0.65, 0, 0], [1, 0, 0]],
};

/** matplotlib's default colormap resolution (`rcParams['image.lut']`). */
const LUT_SIZE = 256;

/** `np.linspace(0, 1, n)[i]`: numpy multiplies the index by the step, and pins the last value to 1. */
function linspace01(i: number, n: number): number {
  if (n === 1) return 0;
  return i === n - 1 ? 1 : i * (1 / (n - 1));
}

/** matplotlib.colors._create_lookup_table with gamma 1. */
function lookupTable(segments: readonly (readonly [number, number, number])[]): Float64Array {
  const n = LUT_SIZE;
  const x = segments.map((s) => s[0] * (n - 1));
  const lut = new Float64Array(n);
  lut[0] = segments[0][2];
  lut[n - 1] = segments[segments.length - 1][1];
  for (let i = 1; i < n - 1; i++) {
    const xind = (n - 1) * linspace01(i, n);
    let ind = 0;
    while (x[ind] < xind) ind++; // np.searchsorted(x, xind, side='left')
    const distance = (xind - x[ind - 1]) / (x[ind] - x[ind - 1]);
    lut[i] = distance * (segments[ind][1] - segments[ind - 1][2]) + segments[ind - 1][2];
  }
  return lut.map((v) => Math.min(1, Math.max(0, v)));
}

let tables: [Float64Array, Float64Array, Float64Array] | undefined;
const cache = new Map<number, Uint8Array>();

/**
 * `n` jet colours from dark blue (start) to dark red (end), as RGB bytes: `[r0, g0, b0, r1, ...]`.
 * Returned arrays are cached and shared: do not modify them.
 */
export function jetColors(n: number): Uint8Array {
  const cached = cache.get(n);
  if (cached) return cached;
  tables ??= [lookupTable(JET_SEGMENTS.red), lookupTable(JET_SEGMENTS.green), lookupTable(JET_SEGMENTS.blue)];
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    // Colormap.__call__: index = int(v * N), with v == 1 mapped to the last entry.
    const index = Math.min(Math.trunc(linspace01(i, n) * LUT_SIZE), LUT_SIZE - 1);
    for (let ch = 0; ch < 3; ch++) out[i * 3 + ch] = Math.trunc(tables[ch][index] * 255);
  }
  cache.set(n, out);
  return out;
}
