import { percentile } from '../core/percentile';

/** Per-call latency statistics (a rolling window, so a long session reflects recent calls). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  mean: number;
  last: number;
}

export class LatencyStats {
  private samples: number[] = [];
  private total = 0;
  constructor(private readonly window = 200) {}

  add(ms: number): void {
    this.samples.push(ms);
    if (this.samples.length > this.window) this.samples.shift();
    this.total++;
  }

  summary(): LatencySummary | null {
    if (!this.samples.length) return null;
    return {
      count: this.total,
      p50: percentile(this.samples, 50),
      p95: percentile(this.samples, 95),
      mean: this.samples.reduce((s, v) => s + v, 0) / this.samples.length,
      last: this.samples[this.samples.length - 1],
    };
  }
}
