/**
 * Feature statistics as LeRobot stores them (meta/stats.json and the stats/* columns of
 * meta/episodes): min, max, mean, std, count and q01/q10/q50/q90/q99, per dimension. Same rules
 * for every writer (v3Writer.ts: the studio's export and the simulator's generator), as pure code.
 */
export interface FeatureStats {
  min: number[];
  max: number[];
  mean: number[];
  std: number[];
  count: number[];
  q01: number[];
  q10: number[];
  q50: number[];
  q90: number[];
  q99: number[];
}

export const STAT_KEYS = ['min', 'max', 'mean', 'std', 'count', 'q01', 'q10', 'q50', 'q90', 'q99'] as const;
const QUANTILES = { q01: 0.01, q10: 0.1, q50: 0.5, q90: 0.9, q99: 0.99 } as const;

/** Linear-interpolated quantile of sorted values (numpy's default method). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Stats over rows of equal length (one row per frame). */
export function computeStats(rows: readonly (ArrayLike<number>)[]): FeatureStats {
  const dims = rows[0]?.length ?? 0;
  const out: FeatureStats = { min: [], max: [], mean: [], std: [], count: [rows.length], q01: [], q10: [], q50: [], q90: [], q99: [] };
  const col = new Float64Array(rows.length);
  for (let d = 0; d < dims; d++) {
    for (let i = 0; i < rows.length; i++) col[i] = rows[i][d];
    col.sort();
    let sum = 0;
    for (const v of col) sum += v;
    const mean = sum / col.length;
    let sq = 0;
    for (const v of col) sq += (v - mean) ** 2;
    out.min.push(col[0]);
    out.max.push(col[col.length - 1]);
    out.mean.push(mean);
    out.std.push(Math.sqrt(sq / col.length));
    for (const [key, q] of Object.entries(QUANTILES)) out[key as keyof typeof QUANTILES].push(quantile(col, q));
  }
  return out;
}

/** Combines per-episode stats: exact min/max/mean/std, count-weighted quantiles. */
export function aggregateStats(parts: readonly FeatureStats[]): FeatureStats {
  const total = parts.reduce((s, p) => s + p.count[0], 0);
  const dims = parts[0].mean.length;
  const weighted = (key: keyof typeof QUANTILES | 'mean') => Array.from({ length: dims }, (_, d) => parts.reduce((s, p) => s + p[key][d] * p.count[0], 0) / total);
  const mean = weighted('mean');
  const std = Array.from({ length: dims }, (_, d) => Math.sqrt(parts.reduce((s, p) => s + p.count[0] * (p.std[d] ** 2 + (p.mean[d] - mean[d]) ** 2), 0) / total));
  return {
    min: Array.from({ length: dims }, (_, d) => Math.min(...parts.map((p) => p.min[d]))),
    max: Array.from({ length: dims }, (_, d) => Math.max(...parts.map((p) => p.max[d]))),
    mean, std, count: [total],
    q01: weighted('q01'), q10: weighted('q10'), q50: weighted('q50'), q90: weighted('q90'), q99: weighted('q99'),
  };
}

/** Image stats are stored nested per channel: [[[v]], [[v]], [[v]]]. */
export function nestImageStats(s: FeatureStats): Record<string, unknown> {
  const nest = (xs: number[]) => xs.map((v) => [[v]]);
  return { min: nest(s.min), max: nest(s.max), mean: nest(s.mean), std: nest(s.std), count: s.count, q01: nest(s.q01), q10: nest(s.q10), q50: nest(s.q50), q90: nest(s.q90), q99: nest(s.q99) };
}

/**
 * Per-channel image stats in [0, 1] from a sample of frames (RGB or RGBA, `bytesPerPixel`), every
 * 7th pixel; `count` is what the stats claim to cover (the writers differ: the sampled frames or
 * the episode's). Nest with nestImageStats for stats.json.
 */
export function imageStats(frames: readonly Uint8Array[], bytesPerPixel: 3 | 4, count: number, stride = 7): FeatureStats {
  const rows: number[][] = [];
  for (const f of frames) for (let i = 0; i + 2 < f.length; i += bytesPerPixel * stride) rows.push([f[i] / 255, f[i + 1] / 255, f[i + 2] / 255]);
  const s = computeStats(rows.length ? rows : [[0, 0, 0]]);
  s.count = [count];
  return s;
}
