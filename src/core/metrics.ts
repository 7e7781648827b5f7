/**
 * Path-to-path distances for evaluating planners (used by the trainer's evaluation): both paths are
 * resampled by arc length to the same number of points, then compared point by point.
 */
import { distance, type Vec } from './geometry';
import type { Path } from './path';
import { resamplePolyline } from './resample';

export interface PathMetricsOptions {
  /** Points after resampling (default 100, as the overlay). */
  samples?: number;
  /** Multiplies x and y before measuring, e.g. the image size to get pixels (default 1: normalized units). */
  scale?: { x: number; y: number };
}

export interface PathMetrics {
  /** Mean distance between corresponding resampled points. */
  meanPointDistance: number;
  /** Distance between the two start points. */
  startError: number;
  /** Distance between the two end points. */
  endpointError: number;
}

/** Compares `predicted` with `target`; null when either path has no waypoint. */
export function pathMetrics(predicted: Path, target: Path, { samples = 100, scale = { x: 1, y: 1 } }: PathMetricsOptions = {}): PathMetrics | null {
  if (predicted.points.length === 0 || target.points.length === 0) return null;
  const scaled = (points: readonly Vec[]) => points.map((p) => ({ x: p.x * scale.x, y: p.y * scale.y }));
  const n = Math.max(2, Math.floor(samples));
  const a = resamplePolyline(scaled(predicted.points), n);
  const b = resamplePolyline(scaled(target.points), n);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += distance(a[i], b[i]);
  return {
    meanPointDistance: sum / a.length,
    startError: distance(a[0], b[0]),
    endpointError: distance(a[a.length - 1], b[b.length - 1]),
  };
}
