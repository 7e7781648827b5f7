import { applyTrackedPoints, type VideoSegment } from '../annotation';
import type { TrackedFrame } from '../trackingProtocol';
import { graspPoint, pinchAperture, type HandLandmark } from './handLandmarks';

/** One frame's hand as the detector gave it: null where it found none. */
export interface HandDetection {
  landmarks: readonly HandLandmark[];
  /** The detector's confidence that this is a hand (the landmark model's hand-presence score), 0–1. */
  score: number;
}

/** Finds the hand frame after frame (src/tracking/hands/tfliteHands.ts, in the tracking worker). */
export interface HandDetector {
  /**
   * How many frames the detector works on at once (default 1): the tracking loop keeps that many
   * key frames ahead (trackHandFrames.ts). More may be asked for; they wait their turn.
   */
  readonly parallel?: number;
  /**
   * The most confident hand on the picture, or null. `near`: where the hand's landmarks are expected
   * on this frame (handStride.ts), to look there rather than where this detector last saw it.
   */
  detect(image: CanvasImageSource & { width: number; height: number }, near?: readonly HandLandmark[]): Promise<HandDetection | null>;
  /** Forgets the hand followed so far (the next frame runs the palm detector afresh): call between runs. */
  reset(): void;
  close(): Promise<void>;
}

/** A frame of hand tracking: the grasp point as a tracked point, and the aperture (null without a confident hand). */
export interface HandFrame extends TrackedFrame {
  aperture: number | null;
}

/** Below this a detection is kept as a point but marked unreliable (left out of the path, bridged). */
export const MIN_HAND_SCORE = 0.5;

/**
 * A frame's detection as the point tracker's output, so the rest of the editor (flags, keyframe
 * corrections, bridging in trackToPath.ts) treats both trackers alike. No hand: the last point
 * stays, unreliable, as a lost point does in point tracking.
 */
export function handFrame(frame: number, detection: HandDetection | null, width: number, height: number, last: { x: number; y: number } | null, minScore = MIN_HAND_SCORE): HandFrame {
  if (!detection) {
    const p = last ?? { x: width / 2, y: height / 2 };
    return { frame, point: { x: p.x, y: p.y, reliable: false }, aperture: null };
  }
  const p = graspPoint(detection.landmarks, width, height);
  const confident = detection.score >= minScore;
  return { frame, point: { x: p.x, y: p.y, reliable: confident }, aperture: confident ? pinchAperture(detection.landmarks, width, height) : null };
}

/** Stores hand frames on a segment: points as applyTrackedPoints does (keyframes win), apertures beside them. */
export function applyHandFrames(segment: VideoSegment, frames: readonly HandFrame[]): VideoSegment {
  const withPoints = applyTrackedPoints(segment, frames.map(({ frame, point }) => ({ frame, point })));
  const aperture = segment.aperture?.length === segment.track.length ? segment.aperture.slice() : new Array<number | null>(segment.track.length).fill(null);
  for (const f of frames) if (f.frame >= segment.start && f.frame <= segment.end) aperture[f.frame - segment.start] = f.aperture;
  return { ...withPoints, aperture };
}
