import type { GripperEvent } from '../annotation';

/**
 * Gripper events from the thumb–index aperture of each frame (null: no confident hand). A
 * Schmitt trigger — close below `closeBelow`, open above `openAbove` — so landmark jitter around
 * one threshold does not flicker; and a state must hold `minFrames` frames to count, so a frame or
 * two of bad landmarks makes no grasp. Frames without a hand keep the state they are in.
 */
export interface ApertureThresholds {
  closeBelow: number;
  openAbove: number;
  minFrames: number;
}

/** Measured on rendered hands: open hands read ≥ 1.0, pinches 0.18–0.26 (docs/VIDEO_IMPORT.md); not yet checked on filmed ones. */
export const DEFAULT_APERTURE_THRESHOLDS: ApertureThresholds = { closeBelow: 0.35, openAbove: 0.5, minFrames: 3 };

/** Events from `firstFrame` on (aperture[i] is frame firstFrame + i); the hand starts open. */
export function gripperEventsFromAperture(aperture: readonly (number | null)[], firstFrame: number, thresholds: ApertureThresholds = DEFAULT_APERTURE_THRESHOLDS): GripperEvent[] {
  const { closeBelow, openAbove, minFrames } = thresholds;
  if (!(closeBelow < openAbove)) throw new RangeError(`closeBelow (${closeBelow}) must be below openAbove (${openAbove})`);
  const events: GripperEvent[] = [];
  let state: GripperEvent['state'] = 'open';
  // A change seen but not yet held long enough: where it began and how many frames confirm it.
  let pendingFrom = -1;
  let pendingCount = 0;
  aperture.forEach((a, i) => {
    if (a === null) return;
    const wants = state === 'open' ? a < closeBelow : a > openAbove;
    if (!wants) {
      pendingFrom = -1;
      pendingCount = 0;
      return;
    }
    if (pendingFrom < 0) pendingFrom = i;
    if (++pendingCount >= minFrames) {
      state = state === 'open' ? 'closed' : 'open';
      events.push({ frame: firstFrame + pendingFrom, state });
      pendingFrom = -1;
      pendingCount = 0;
    }
  });
  return events;
}
