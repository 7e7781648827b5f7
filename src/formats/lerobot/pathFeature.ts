/**
 * The 2D path as a fixed-size LeRobot feature (docs/EXPORT.md): `observation.path` is the path of
 * the segment the frame belongs to, resampled by arc length to PATH_POINTS waypoints and flattened
 * as [x0, y0, g0, x1, y1, g1, …] (x, y normalized to [0, 1] of the image, g = 1 where the gripper
 * is closed after the waypoint, else 0); `observation.path_valid` is 1.0 where the frame has one, else 0.0
 * (float32, not bool: lerobot normalizes every observation.* feature; the path is all zeros then).
 */
import type { Path } from '../../core/path';
import { resamplePath } from '../../core/resample';

export const PATH_POINTS = 32;
export const PATH_FEATURE = 'observation.path';
export const PATH_VALID_FEATURE = 'observation.path_valid';
/** The one name of `observation.path_valid` (float32 [1]: 1 where the frame has a path, else 0). */
export const PATH_VALID_NAME = 'path_valid';

export function pathFeatureNames(points = PATH_POINTS): string[] {
  return Array.from({ length: points }, (_, i) => [`p${i}.x`, `p${i}.y`, `p${i}.closed`]).flat();
}

export function pathFeature(path: Path | null, points = PATH_POINTS): Float32Array {
  const out = new Float32Array(points * 3);
  if (!path || path.points.length === 0) return out;
  resamplePath(path, points).points.forEach((p, i) => {
    out[i * 3] = p.x;
    out[i * 3 + 1] = p.y;
    out[i * 3 + 2] = p.gripper === 'closed' ? 1 : 0;
  });
  return out;
}

export interface SegmentPath {
  frameStart: number;
  frameEnd: number;
  path: Path;
}

/** For each frame of an episode, the path of the segment covering it (the latest-starting one wins). */
export function pathsPerFrame(length: number, segments: readonly SegmentPath[]): (Path | null)[] {
  const out: (Path | null)[] = new Array(length).fill(null);
  const sorted = [...segments].sort((a, b) => a.frameStart - b.frameStart);
  for (const s of sorted) {
    for (let f = Math.max(0, s.frameStart); f <= Math.min(length - 1, s.frameEnd); f++) out[f] = s.path;
  }
  return out;
}
