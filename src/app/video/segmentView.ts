/**
 * What the video editor shows of its segments: how far each is tracked and whether it can become a
 * sample yet, and which segment and point the frame view draws.
 */
import { segmentAt, unreliableFrames, type TrackedPoint, type VideoAnnotation, type VideoSegment } from '../../tracking/annotation';
import { DEFAULT_APERTURE_THRESHOLDS } from '../../tracking/hands/gripperFromAperture';
import { trackProblem } from '../../tracking/trackToPath';

export interface SegmentStatus {
  /** Frames that have a point. */
  tracked: number;
  /** Frames whose point failed the forward–backward check. */
  unreliableFrames: number[];
  /** Why the track cannot become a sample yet (too few reliable points), or null. */
  problem: string | null;
}

export function segmentStatus(segment: VideoSegment): SegmentStatus {
  const unreliable = unreliableFrames(segment);
  const tracked = segment.track.filter(Boolean).length;
  return { tracked, unreliableFrames: unreliable, problem: trackProblem({ usedFrames: tracked - unreliable.length, unreliableFrames: unreliable.length }) };
}

/** The segment the frame view draws: the one on `frame`, else the selected one. */
export function segmentShown(annotation: VideoAnnotation, frame: number, selectedId: string | undefined): VideoSegment | undefined {
  return segmentAt(annotation, frame) ?? annotation.segments.find((s) => s.id === selectedId);
}

/** The followed point of `segment` on `frame`: null where it is not tracked yet or the frame is outside the segment. */
export function pointOn(segment: VideoSegment | undefined, frame: number): TrackedPoint | null {
  return segment && frame >= segment.start && frame <= segment.end ? segment.track[frame - segment.start] ?? null : null;
}

/** The hand tracker's aperture of a segment for the plot under the timeline, with the thresholds the events come from; null before hand tracking. */
export interface ApertureSeries {
  frames: number[];
  aperture: (number | null)[];
  closeBelow: number;
  openAbove: number;
}

export function apertureSeries(segment: VideoSegment | undefined): ApertureSeries | null {
  if (!segment?.aperture?.some((a) => a !== null)) return null;
  const { closeBelow, openAbove } = DEFAULT_APERTURE_THRESHOLDS;
  return { frames: segment.aperture.map((_, i) => segment.start + i), aperture: segment.aperture, closeBelow, openAbove };
}
