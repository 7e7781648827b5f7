import type { Path } from '../core/path';
import { distance, projectOnSegment, type Size, type Vec } from '../core/geometry';
import { normalizedToScreen, screenToNormalized, type View } from './view';

/** Tolerances in screen pixels, so picking feels the same at every zoom. Touch gets bigger targets. */
export interface HitTolerances {
  point: number;
  segment: number;
}

export const MOUSE_TOLERANCES: HitTolerances = { point: 9, segment: 6 };
export const TOUCH_TOLERANCES: HitTolerances = { point: 20, segment: 14 };

/** Index of the waypoint nearest to `screen`, if within tolerance. Later points win ties (drawn on top). */
export function hitPoint(path: Path, view: View, image: Size, screen: Vec, tolerance: number): number | null {
  let best: number | null = null;
  let bestDistance = tolerance;
  path.points.forEach((p, i) => {
    const d = distance(normalizedToScreen(view, image, p), screen);
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return best;
}

export interface SegmentHit {
  /** The point would be inserted at this index (between `index - 1` and `index`). */
  insertIndex: number;
  /** Where on the segment, in normalized coordinates. */
  at: Vec;
}

/** The segment nearest to `screen`, if within tolerance, with the projected insertion point. */
export function hitSegment(path: Path, view: View, image: Size, screen: Vec, tolerance: number): SegmentHit | null {
  let best: SegmentHit | null = null;
  let bestDistance = tolerance;
  for (let i = 1; i < path.points.length; i++) {
    const a = normalizedToScreen(view, image, path.points[i - 1]);
    const b = normalizedToScreen(view, image, path.points[i]);
    const { point } = projectOnSegment(screen, a, b);
    const d = distance(point, screen);
    if (d <= bestDistance) {
      bestDistance = d;
      best = { insertIndex: i, at: screenToNormalized(view, image, point) };
    }
  }
  return best;
}
