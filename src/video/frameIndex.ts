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

/** Median frame interval → frames per second (robust to a few irregular frames). */
export function estimateFps(frameTimes: ArrayLike<number>): number {
  const d: number[] = [];
  for (let i = 1; i < frameTimes.length; i++) d.push(frameTimes[i] - frameTimes[i - 1]);
  if (!d.length) return 0;
  d.sort((a, b) => a - b);
  const median = d[d.length >> 1];
  return median > 0 ? Math.round((1 / median) * 1000) / 1000 : 0;
}

export function formatTimecode(frame: number, fps: number): string {
  const seconds = fps > 0 ? frame / fps : 0;
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s.toFixed(2).padStart(5, '0')}`;
}
