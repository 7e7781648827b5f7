/**
 * Arc-length resampling: `n` points equally spaced along a polyline, first and last points
 * included. Float64 throughout; the overlay renderer has its own HAMSTER-exact pixel variant
 * (`hamsterPixelTrack` in overlay.ts).
 */
import { distance, type Vec } from './geometry';
import type { Path } from './path';

/**
 * `n` points equally spaced by arc length along `points`. An empty input gives []; a polyline of
 * zero length gives `n` copies of its first point.
 */
export function resamplePolyline(points: readonly Vec[], n: number): Vec[] {
  return sample(points, n).map(({ x, y }) => ({ x, y }));
}

/**
 * Resamples a path to `n` waypoints. Each new waypoint takes the gripper state in force where it
 * lies: the state after the last original waypoint at or before it.
 */
export function resamplePath(path: Path, n: number): Path {
  return {
    initialGripper: path.initialGripper,
    points: sample(path.points, n).map(({ x, y, segment }) => ({ x, y, gripper: path.points[segment].gripper })),
  };
}

/** Samples with the index of the original segment start each sample falls on. */
function sample(points: readonly Vec[], n: number): { x: number; y: number; segment: number }[] {
  if (points.length === 0 || n <= 0) return [];
  const cumulative = [0];
  for (let i = 1; i < points.length; i++) cumulative.push(cumulative[i - 1] + distance(points[i - 1], points[i]));
  const total = cumulative[cumulative.length - 1];
  const last = points.length - 1;
  const out: { x: number; y: number; segment: number }[] = [];
  let seg = 0;
  for (let s = 0; s < n; s++) {
    if (total === 0 || n === 1) {
      out.push({ x: points[0].x, y: points[0].y, segment: 0 });
      continue;
    }
    if (s === n - 1) {
      out.push({ x: points[last].x, y: points[last].y, segment: last });
      continue;
    }
    const at = (s / (n - 1)) * total;
    while (seg < last - 1 && at > cumulative[seg + 1]) seg++;
    // Land on a waypoint exactly when the sample does, so it takes that waypoint's state.
    if (at === cumulative[seg + 1]) {
      let k = seg + 1;
      while (k < last && cumulative[k + 1] === at) k++; // zero-length segments: the last coincident waypoint
      out.push({ x: points[k].x, y: points[k].y, segment: k });
      continue;
    }
    const length = cumulative[seg + 1] - cumulative[seg];
    const t = (at - cumulative[seg]) / length;
    const a = points[seg];
    const b = points[seg + 1];
    out.push({ x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y), segment: seg });
  }
  return out;
}
