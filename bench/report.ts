/**
 * Benchmark reporting: every benchmark prints one JSON line per figure on stdout,
 * prefixed with `BENCH `, so `npm run bench` can collect them from Node and browser runs alike.
 */
import { readFileSync } from 'node:fs';

export interface BenchFigure {
  /** Short stable id, e.g. `codec.parse.10k`. */
  metric: string;
  value: number;
  unit: string;
  /** The figure the issue asks for, as text (e.g. `< 5 ms`), when there is one. */
  target?: string;
  note?: string;
}

export function report(figure: BenchFigure): void {
  console.log(`BENCH ${JSON.stringify(figure)}`);
}

/** Runs `fn` `iterations` times after `warmup` runs; returns per-run durations in ms. */
export function timeRuns(fn: () => void, iterations: number, warmup = 3): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Nearest rank, the studio's own rule (src/core/percentile.ts). */
export { percentile } from '../src/core/percentile';

/**
 * CPU time the hypervisor gave to other guests ("steal", /proc/stat) as a share of this machine's
 * CPU time since `since`: on a shared host the tail of the step latency follows it. NaN off Linux.
 */
export function cpuTimes(): number[] {
  try {
    return readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  } catch {
    return [];
  }
}
export function stealPercent(since: number[]): number {
  const now = cpuTimes();
  if (now.length < 8 || since.length < 8) return NaN;
  const d = now.map((v, i) => v - (since[i] ?? 0));
  const total = d.slice(0, 8).reduce((a, b) => a + b, 0);
  return total > 0 ? (100 * d[7]) / total : NaN;
}
