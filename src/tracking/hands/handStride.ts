import { DEFAULT_APERTURE_THRESHOLDS, type ApertureThresholds } from './gripperFromAperture';
import type { HandLandmark } from './handLandmarks';
import type { HandFrame } from './handTrack';

/**
 * Hand tracking runs the landmark model on every `stride`-th frame (the key frames) and fills the
 * frames between by interpolation where that cannot change the result: both ends confident, the
 * grasp point moving little, and the aperture on the same side of each gripper threshold at both
 * ends. Elsewhere — a grasp or release between them, a fast move, a hand lost or doubtful — the
 * frames between are detected too, so events keep their frame and bridging its flags. The
 * landmark model is 32 ms of a 2-core machine's ~50 ms per frame (docs/VIDEO_IMPORT.md); a hand
 * moves smoothly over a tenth of a second at 30 frames/s, so three frames between detections cost
 * little (median grasp error 5.2 against 4.5 px on the benchmark clip, docs/VIDEO_IMPORT.md). At
 * most the `minFrames` an event must hold (gripperFromAperture.ts; see needsDetectionBetween).
 */
export const HAND_STRIDE = 3;

/** The grasp point may move this fraction of the image diagonal between key frames and still be interpolated. */
export const MAX_INTERPOLATED_MOVE = 0.03;

/** The key frames of `start`…`end` (both included): every `stride`-th from the start, and the end. */
export function keyFrames(start: number, end: number, stride = HAND_STRIDE): number[] {
  if (!(stride >= 1) || !Number.isInteger(stride)) throw new RangeError(`stride must be a whole number ≥ 1, not ${stride}`);
  const keys: number[] = [];
  for (let f = start; f < end; f += stride) keys.push(f);
  if (end >= start) keys.push(end);
  return keys;
}

/** Whether the frames between two key frames must be detected rather than interpolated. */
export function needsDetectionBetween(a: HandFrame, b: HandFrame, diagonal: number, thresholds: ApertureThresholds = DEFAULT_APERTURE_THRESHOLDS): boolean {
  if (b.frame - a.frame <= 1) return false;
  if (!a.point.reliable || !b.point.reliable || a.aperture === null || b.aperture === null) return true;
  if (Math.hypot(b.point.x - a.point.x, b.point.y - a.point.y) > MAX_INTERPOLATED_MOVE * diagonal) return true;
  // Interpolated apertures lie between the two ends: they cross a threshold only where the ends
  // are on either side of it. A grasp or release that starts and ends between two key frames is
  // shorter than the `minFrames` an event must hold (HAND_STRIDE ≤ minFrames), so it is no event.
  const low = Math.min(a.aperture, b.aperture), high = Math.max(a.aperture, b.aperture);
  return [thresholds.closeBelow, thresholds.openAbove].some((t) => low < t && t <= high);
}

/** The frames strictly between two confident key frames, point and aperture on the straight line between them. */
export function interpolateHands(a: HandFrame, b: HandFrame): HandFrame[] {
  const out: HandFrame[] = [];
  const span = b.frame - a.frame;
  for (let f = a.frame + 1; f < b.frame; f++) {
    const t = (f - a.frame) / span;
    const mix = (u: number, v: number) => u + (v - u) * t;
    out.push({
      frame: f,
      point: { x: mix(a.point.x, b.point.x), y: mix(a.point.y, b.point.y), reliable: a.point.reliable && b.point.reliable },
      aperture: a.aperture === null || b.aperture === null ? null : mix(a.aperture, b.aperture),
    });
  }
  return out;
}

/** A frame where the hand was found with confidence, as the tracking loop remembers it to say where to look next. */
export interface SeenHand {
  frame: number;
  landmarks: readonly HandLandmark[];
}

/** The palm's landmarks (wrist and the fingers' bases): they move with the hand, not with a pinch. */
const PALM = [0, 5, 9, 13, 17];

/**
 * Where the hand's landmarks should be on `frame`: the later sighting's landmarks moved along the
 * palm's straight-line motion between the two sightings (back between them, or on past the later
 * one). The shape is kept: a pinch closing would otherwise be carried on into a fist. With two
 * workers and key frames three apart, a worker's own last frame is six frames old; the crop around
 * that (twice the hand) slips off a hand moving 12 px a frame, and the landmarks found in it lose
 * accuracy (docs/VIDEO_IMPORT.md).
 */
export function expectedLandmarks(a: SeenHand, b: SeenHand, frame: number): HandLandmark[] {
  const t = b.frame === a.frame ? 0 : (frame - b.frame) / (b.frame - a.frame);
  const mean = (hand: SeenHand, axis: 'x' | 'y') => PALM.reduce((sum, i) => sum + (hand.landmarks[i]?.[axis] ?? 0), 0) / PALM.length;
  const dx = (mean(b, 'x') - mean(a, 'x')) * t, dy = (mean(b, 'y') - mean(a, 'y')) * t;
  return b.landmarks.map((q) => ({ x: q.x + dx, y: q.y + dy }));
}
