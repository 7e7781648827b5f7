import type { Path, Waypoint } from '../core/path';
import { DEFAULT_SIMPLIFY_EPSILON, simplifyPath } from '../core/simplify';
import { gripperStateAt, type GripperEvent, type VideoSegment } from './annotation';

export interface SegmentPathResult {
  path: Path;
  /** Frames that contributed a point (tracked or keyed). */
  usedFrames: number;
  /** Frames flagged unreliable, left out of the path. */
  unreliableFrames: number;
}

/**
 * The segment's trajectory as a HAMSTER path (docs/PATH_FORMAT.md): every reliably tracked frame
 * becomes a waypoint in normalized coordinates carrying the gripper state on that frame, then RDP
 * keeps the shape (ε in normalized units) and every gripper change. A gripper event on a frame
 * that gives no point (unreliable: often the hand covers the object as it grasps) moves to the
 * nearest frame that does, so no grasp or release is lost.
 */
export function segmentToPath(segment: VideoSegment, events: GripperEvent[], width: number, height: number, epsilon = DEFAULT_SIMPLIFY_EPSILON): SegmentPathResult {
  const kept: { frame: number; x: number; y: number }[] = [];
  let unreliable = 0;
  segment.track.forEach((p, i) => {
    if (!p) return;
    // Unreliable frames (occlusion, lost point) are left out rather than bend the path.
    if (!p.reliable) {
      unreliable++;
      return;
    }
    kept.push({ frame: segment.start + i, x: clamp01(p.x / width), y: clamp01(p.y / height) });
  });
  const moved = eventsOnKeptFrames(events, segment, kept.map((k) => k.frame));
  const points: Waypoint[] = kept.map((k) => ({ x: k.x, y: k.y, gripper: gripperStateAt(moved, k.frame) }));
  const raw: Path = { initialGripper: gripperStateAt(events, segment.start - 1), points };
  return { path: simplifyPath(raw, epsilon), usedFrames: points.length, unreliableFrames: unreliable };
}

/** The events inside the segment moved to the nearest kept frame (each to its own, in order); others as they are. */
function eventsOnKeptFrames(events: GripperEvent[], segment: VideoSegment, frames: number[]): GripperEvent[] {
  if (!frames.length) return events;
  const taken = new Set<number>();
  return [...events].sort((a, b) => a.frame - b.frame).map((e) => {
    if (e.frame < segment.start || e.frame > segment.end) return e;
    const free = frames.filter((f) => !taken.has(f));
    const pool = free.length ? free : frames;
    const nearest = pool.reduce((best, f) => (Math.abs(f - e.frame) < Math.abs(best - e.frame) ? f : best), pool[0]);
    taken.add(nearest);
    return { ...e, frame: nearest };
  });
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/**
 * Why a segment's track is not fit to become a sample yet, or null: when fewer than a third of its
 * tracked frames gave a reliable point, the path would be a guess between a few points.
 */
export function trackProblem({ usedFrames, unreliableFrames }: Pick<SegmentPathResult, 'usedFrames' | 'unreliableFrames'>): string | null {
  const total = usedFrames + unreliableFrames;
  if (usedFrames * 3 >= total) return null;
  return `${unreliableFrames} unreliable frames of ${total} tracked: step to where the point is lost, click the right point (tracking resumes from it), then make the sample`;
}
