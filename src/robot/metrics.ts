/**
 * Live-run figures: latency histograms with percentiles, rates over a sliding window, counters.
 * Pure and allocation-light: the console samples them at a few Hz for its charts.
 */
import { percentile } from '../core/percentile';

/** Fixed-bin histogram (ms) that also keeps a bounded window of raw samples for exact percentiles. */
export class LatencyStats {
  readonly bins: number[];
  private samples: number[] = [];
  count = 0;
  max = 0;

  constructor(readonly binMs = 2, readonly binCount = 50, private readonly window = 5000) {
    this.bins = new Array(binCount).fill(0);
  }

  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.count++;
    this.max = Math.max(this.max, ms);
    this.bins[Math.min(this.binCount - 1, Math.floor(ms / this.binMs))]++;
    this.samples.push(ms);
    if (this.samples.length > this.window) this.samples.splice(0, this.samples.length - this.window);
  }

  percentile(p: number): number {
    return percentile(this.samples, p);
  }

  values(): readonly number[] {
    return this.samples;
  }

  reset(): void {
    this.bins.fill(0);
    this.samples = [];
    this.count = 0;
    this.max = 0;
  }
}

/** Events per second over the last `windowMs`. */
export class RateMeter {
  private times: number[] = [];

  constructor(private readonly windowMs = 2000) {}

  tick(now: number): void {
    this.times.push(now);
    this.trim(now);
  }

  rate(now: number): number {
    this.trim(now);
    if (this.times.length < 2) return 0;
    const span = Math.max(now - this.times[0], 1);
    return (this.times.length / span) * 1000;
  }

  private trim(now: number): void {
    let i = 0;
    while (i < this.times.length && this.times[i] < now - this.windowMs) i++;
    if (i) this.times.splice(0, i);
  }
}

export interface RunMetricsSnapshot {
  stepLatency: { p50: number; p99: number; max: number; count: number; bins: number[]; binMs: number };
  inference: { policyP50: number; policyP99: number; plannerLast: number; plannerCount: number };
  frameAgeP50: number;
  droppedFrames: number;
  droppedSteps: number;
  chunkSteps: number;
  commandRateHz: number;
  frameRateHz: number;
  steps: number;
}

/** Everything the console's metrics panel and the eval harness read. */
export class RunMetrics {
  readonly stepLatency = new LatencyStats();
  readonly frameAge = new LatencyStats(5, 40);
  readonly policyMs = new LatencyStats();
  /** JPEG → RGBA of the step's frame (part of the step latency). */
  readonly decodeMs = new LatencyStats();
  /** Frame received → its step started: time the frame waited for the loop (the step grid or a busy page). */
  readonly frameWaitMs = new LatencyStats();
  /** Step started → command sent: the studio's own part of the step latency (decode, policy, send). */
  readonly stepWorkMs = new LatencyStats();
  plannerLastMs = NaN;
  plannerCount = 0;
  /** Frames that arrived but were replaced by a newer one before any step used them. */
  droppedFrames = 0;
  /** Control steps that could not run on time (previous step still busy, or a late timer). */
  droppedSteps = 0;
  /** Steps sent on time from the previous action chunk because no new camera frame had come (not in the step latency: no frame started them). */
  chunkSteps = 0;
  steps = 0;
  readonly commands = new RateMeter();
  readonly frames = new RateMeter();

  reset(): void {
    for (const s of [this.stepLatency, this.frameAge, this.policyMs, this.decodeMs, this.frameWaitMs, this.stepWorkMs]) s.reset();
    this.plannerLastMs = NaN;
    this.plannerCount = this.droppedFrames = this.droppedSteps = this.chunkSteps = this.steps = 0;
  }

  snapshot(now: number): RunMetricsSnapshot {
    const s = this.stepLatency;
    return {
      stepLatency: { p50: s.percentile(50), p99: s.percentile(99), max: s.max, count: s.count, bins: [...s.bins], binMs: s.binMs },
      inference: { policyP50: this.policyMs.percentile(50), policyP99: this.policyMs.percentile(99), plannerLast: this.plannerLastMs, plannerCount: this.plannerCount },
      frameAgeP50: this.frameAge.percentile(50),
      droppedFrames: this.droppedFrames,
      droppedSteps: this.droppedSteps,
      chunkSteps: this.chunkSteps,
      commandRateHz: this.commands.rate(now),
      frameRateHz: this.frames.rate(now),
      steps: this.steps,
    };
  }
}
