import type { TrackedPoint, TrackingRun } from './annotation';
import type { TrackerOptions } from './pointTracker';

import type { Method } from '../core/workerRpc';
import type { HandDetection } from './hands/handTrack';
import type { HandLandmark } from './hands/handLandmarks';

export interface TrackedFrame {
  frame: number;
  point: TrackedPoint;
}

/** Points as they are tracked, in batches. */
export interface TrackingProgress {
  points: TrackedFrame[];
  done: number;
  total: number;
  /** What the worker is doing before the first frame (OpenCV.js takes seconds to load the first time). */
  stage?: string;
}

/** The tracking worker's calls (src/core/workerRpc.ts). */
export type TrackingProtocol = {
  /**
   * Tracks each run through the video; resolves with the rate (frames/s). `blob` is passed by
   * reference, not copied; `frameTimes` are every frame's presentation time in seconds.
   */
  track: Method<[blob: Blob, fileName: string, frameTimes: number[], runs: TrackingRun[], options: Partial<TrackerOptions> | undefined], number, TrackingProgress>;
  /**
   * The hand on one frame (transferred), MediaPipe's models run here (src/tracking/hands/tfliteHands.ts):
   * following the hand of the previous call, or afresh with `reset`, or looking `near` the landmarks given.
   */
  detectHand: Method<[frame: ImageBitmap, reset: boolean, near?: readonly HandLandmark[]], HandDetection | null>;
  /** Loads the hand models and their runtime ahead of the first frame. */
  loadHandTracker: Method<[], void>;
};
