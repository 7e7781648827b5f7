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
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return {
      count: this.total,
      p50: at(0.5),
      p95: at(0.95),
      mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
      last: this.samples[this.samples.length - 1],
    };
  }
}
