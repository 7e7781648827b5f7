/**
 * The end effector seen from the episode's camera: where it is at each frame, and the path it
 * takes from a frame to the end of that frame's segment — made the way the episode importer
 * makes a sample's path (projection, gripper state per point, RDP), so a sample made in the player
 * reads like the imported ones.
 */
import { projectTrack } from '../../core/camera/projection';
import type { GripperState, Path } from '../../core/path';
import { pathForSegment } from '../../importers/episodes/makePath';
import type { EpisodeSegment, PlayerEpisode } from './playerEpisode';

export interface EpisodeTrack {
  /** Normalised image position per frame; null where the end effector is behind the camera. */
  positions: ({ x: number; y: number } | null)[];
  /** The path from `frame` to its segment's end, or null (behind the camera, or fewer than two frames left). */
  pathFrom(frame: number): Path | null;
  /** The path over a whole segment (a re-cut segment's new sample), or null where the end effector goes behind the camera. */
  pathOver(segment: EpisodeSegment): Path | null;
}

/** The segment a frame belongs to: the last one starting at or before it (cuts start the next segment). */
export function segmentAt(segments: readonly EpisodeSegment[], frame: number): EpisodeSegment {
  let found = segments[0];
  for (const s of segments) if (s.start <= frame) found = s;
  return found;
}

/** Closure of at least one half counts as closed. */
const gripperState = (closure: number | undefined): GripperState => ((closure ?? 0) >= 0.5 ? 'closed' : 'open');

/** Null when the episode has no calibrated camera (or no end effector to project). */
export function episodeTrack(episode: PlayerEpisode): EpisodeTrack | null {
  const { camera } = episode;
  if (!camera || episode.eePositions.length !== episode.length) return null;
  const track = projectTrack(camera.projection, episode.eePositions, camera.width, camera.height);
  const behind = new Set(track.behind);
  const states = Array.from({ length: episode.length }, (_, i) => gripperState(episode.gripper?.[i]));
  const pathOver = ({ start, end }: EpisodeSegment): Path | null => {
    if (end - start < 1) return null;
    for (let i = start; i <= end; i++) if (behind.has(i)) return null;
    return pathForSegment(track.normalized, states, { start, end });
  };
  return {
    positions: track.normalized.map((p, i) => (behind.has(i) ? null : p)),
    pathFrom: (frame) => pathOver({ start: frame, end: segmentAt(episode.segments, frame).end }),
    pathOver,
  };
}
