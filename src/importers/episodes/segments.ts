/** Splitting an episode's timeline into sub-task segments, each of which becomes one sample. */
import type { GripperEvent } from './gripperEvents';

export interface Segment {
  /** First frame (inclusive). */
  start: number;
  /** Last frame (inclusive). */
  end: number;
}

/** Segments from cut frames: a cut at frame c ends one segment at c and starts the next at c. */
export function segmentsFromCuts(frameCount: number, cuts: readonly number[]): Segment[] {
  if (frameCount <= 0) return [];
  const inner = [...new Set(cuts.map((c) => Math.round(c)))].filter((c) => c > 0 && c < frameCount - 1).sort((a, b) => a - b);
  const bounds = [0, ...inner, frameCount - 1];
  const out: Segment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) out.push({ start: bounds[i], end: bounds[i + 1] });
  return out;
}

/**
 * Suggested sub-task cuts: after each release (closed → open) that is followed by more motion, a
 * new sub-task starts ("pick A, place on B" then "pick C …"). One grasp and release stays whole.
 */
export function suggestCuts(events: readonly GripperEvent[], frameCount: number, minGap = 5): number[] {
  const cuts: number[] = [];
  for (const e of events) {
    if (e.state !== 'open') continue;
    const last = cuts.length ? cuts[cuts.length - 1] : 0;
    if (e.frame - last >= minGap && frameCount - 1 - e.frame >= minGap && events.some((o) => o.frame > e.frame && o.state === 'closed')) cuts.push(e.frame);
  }
  return cuts;
}
