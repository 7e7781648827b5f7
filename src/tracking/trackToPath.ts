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
 * The segment's trajectory as a HAMSTER path (docs/PATH_FORMAT.md): every tracked frame becomes a
 * waypoint in normalized coordinates carrying the gripper state on that frame, then RDP keeps the
 * shape (ε in normalized units) and every gripper change.
 */
export function segmentToPath(segment: VideoSegment, events: GripperEvent[], width: number, height: number, epsilon = DEFAULT_SIMPLIFY_EPSILON): SegmentPathResult {
  const points: Waypoint[] = [];
  let unreliable = 0;
  segment.track.forEach((p, i) => {
    if (!p) return;
    // Unreliable frames (occlusion, lost point) are left out rather than bend the path.
    if (!p.reliable) {
      unreliable++;
      return;
    }
    const frame = segment.start + i;
    points.push({ x: clamp01(p.x / width), y: clamp01(p.y / height), gripper: gripperStateAt(events, frame) });
  });
  const raw: Path = { initialGripper: gripperStateAt(events, segment.start - 1), points };
  return { path: simplifyPath(raw, epsilon), usedFrames: points.length, unreliableFrames: unreliable };
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));
