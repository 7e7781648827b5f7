/**
 * Frame numbering. A frame is identified by its index in presentation order; the table of
 * presentation timestamps (seconds, ascending) comes from the container's packets, so B-frames,
 * variable frame rate and files with a single keyframe all map index → time exactly.
 */

/** Index of the frame shown at `time`: the last frame starting at or before it (binary search). */
export function frameAtTime(frameTimes: ArrayLike<number>, time: number): number {
  let lo = 0, hi = frameTimes.length - 1;
  if (hi < 0) return -1;
  // Half a microsecond of slack: decoders round timestamps to microseconds.
  const t = time + 5e-7;
  if (t < frameTimes[0]) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (frameTimes[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Sorted presentation timestamps from packet timestamps in decode order. */
export function presentationTimes(packetTimestamps: number[]): number[] {
  return [...packetTimestamps].sort((a, b) => a - b);
}

const COMMON_RATES = [12, 15, 23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60, 90, 100, 119.88, 120, 240];

/**
 * Frames per second from the mean frame interval, snapped to a common rate only where timestamp
 * rounding can explain the difference: WebM stores milliseconds (a 30 fps clip alternates 33 and
 * 34 ms), phones often a 1/600 s timescale, so the span is off by up to ~2 ms — relative to the
 * span, that is the tolerance (at most 1 %). A 10 s clip at 59.98 fps stays 59.98, not 60.
 */
export function estimateFps(frameTimes: ArrayLike<number>): number {
  const n = frameTimes.length;
  if (n < 2) return 0;
  const span = frameTimes[n - 1] - frameTimes[0];
  if (!(span > 0)) return 0;
  const fps = (n - 1) / span;
  const nearest = COMMON_RATES.reduce((best, r) => (Math.abs(fps - r) < Math.abs(fps - best) ? r : best));
  const tolerance = Math.min(0.01, 0.002 / span + 1e-4);
  return Math.abs(fps - nearest) / nearest < tolerance ? nearest : Math.round(fps * 1000) / 1000;
}

export function formatTimecode(frame: number, fps: number): string {
  const seconds = fps > 0 ? frame / fps : 0;
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}
