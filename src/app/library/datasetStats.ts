/**
 * A dataset's statistics panel, computed from its records: what it holds (by source, status,
 * task), what its paths look like (length, points, gripper events) and how its live runs ended.
 * Pure: the records go in, numbers come out.
 */
import { gripperChangeIndices, type Path } from '../../core/path';
import { SAMPLE_SOURCES, SAMPLE_STATUSES, type SampleSource, type SampleStatus } from '../records';

export type StatsSample = { status: SampleStatus; source: SampleSource; instruction: string; path: Path | null };
export type StatsRun = { live: boolean; success: boolean | null };

/** Values in [from, to). */
export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

export interface Histogram {
  bins: HistogramBin[];
  /** Whole numbers (points, events): a bin of width 1 is one value. */
  integer: boolean;
}

export interface DatasetStats {
  samples: number;
  bySource: Record<SampleSource, number>;
  byStatus: Record<SampleStatus, number>;
  tasks: { distinct: number; withoutInstruction: number; top: { task: string; count: number }[] };
  /** Samples with a path of at least one point: what the histograms count. */
  withPath: number;
  /** Path length in normalized image units (the image's width and height are both 1). */
  pathLength: Histogram;
  pointCount: Histogram;
  /** Gripper closes and opens per path. */
  gripperEvents: Histogram;
  liveRuns: { runs: number; success: number; failure: number; unknown: number; /** Of the runs with a verdict; null when none has one. */ successRate: number | null };
}

export const TOP_TASKS = 10;
const MAX_BINS = 12;

/** 1, 2, 2.5 or 5 times a power of ten, at least `x` (whole numbers drop 2.5). */
function niceStep(x: number, integer: boolean): number {
  if (!(x > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  const steps = integer ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const step = steps.find((s) => s * power >= x * (1 - 1e-9))! * power;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/** Equal bins from a round start that cover every value, at most about `maxBins` of them. */
export function histogram(values: readonly number[], { integer = false, maxBins = MAX_BINS } = {}): Histogram {
  if (!values.length) return { bins: [], integer };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const width = integer ? niceStep((hi - lo + 1) / maxBins, true) : niceStep(hi / maxBins || 1e-3, false);
  const start = integer ? Math.floor(lo / width) * width : 0;
  const n = Math.floor((hi - start) / width) + 1;
  const bins = Array.from({ length: n }, (_, i) => ({ from: start + i * width, to: start + (i + 1) * width, count: 0 }));
  for (const v of values) bins[Math.min(n - 1, Math.floor((v - start) / width))].count++;
  return { bins, integer };
}

export function pathLength(path: Path): number {
  let sum = 0;
  for (let i = 1; i < path.points.length; i++) sum += Math.hypot(path.points[i].x - path.points[i - 1].x, path.points[i].y - path.points[i - 1].y);
  return sum;
}

const zeroes = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

export function datasetStats(samples: Iterable<StatsSample>, runs: Iterable<StatsRun>): DatasetStats {
  const bySource = zeroes(SAMPLE_SOURCES);
  const byStatus = zeroes(SAMPLE_STATUSES);
  const tasks = new Map<string, number>();
  const lengths: number[] = [];
  const points: number[] = [];
  const events: number[] = [];
  let count = 0;
  let withoutInstruction = 0;
  for (const s of samples) {
    count++;
    bySource[s.source]++;
    byStatus[s.status]++;
    const task = s.instruction.trim();
    if (task) tasks.set(task, (tasks.get(task) ?? 0) + 1);
    else withoutInstruction++;
    if (s.path?.points.length) {
      lengths.push(pathLength(s.path));
      points.push(s.path.points.length);
      events.push(gripperChangeIndices(s.path).length);
    }
  }
  const top = [...tasks].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP_TASKS).map(([task, n]) => ({ task, count: n }));
  const liveRuns = { runs: 0, success: 0, failure: 0, unknown: 0, successRate: null as number | null };
  for (const r of runs) {
    if (!r.live) continue;
    liveRuns.runs++;
    if (r.success === null) liveRuns.unknown++;
    else if (r.success) liveRuns.success++;
    else liveRuns.failure++;
  }
  const judged = liveRuns.success + liveRuns.failure;
  liveRuns.successRate = judged ? liveRuns.success / judged : null;
  return {
    samples: count,
    bySource,
    byStatus,
    tasks: { distinct: tasks.size, withoutInstruction, top },
    withPath: lengths.length,
    pathLength: histogram(lengths),
    pointCount: histogram(points, { integer: true }),
    gripperEvents: histogram(events, { integer: true }),
    liveRuns,
  };
}
