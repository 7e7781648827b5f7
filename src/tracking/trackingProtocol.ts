import type { TrackedPoint, TrackingRun } from './annotation';
import type { TrackerOptions } from './pointTracker';

/** Main thread → tracking worker. */
export type TrackingRequest =
  | {
      type: 'track';
      jobId: number;
      /** The video file (a Blob is passed by reference, not copied). */
      blob: Blob;
      fileName: string;
      /** Presentation time of every frame of the video, seconds. */
      frameTimes: number[];
      runs: TrackingRun[];
      options?: Partial<TrackerOptions>;
    }
  | { type: 'cancel'; jobId: number };

export interface TrackedFrame {
  frame: number;
  point: TrackedPoint;
}

/** Tracking worker → main thread. Points arrive in batches while tracking runs. */
export type TrackingResponse =
  | { type: 'points'; jobId: number; points: TrackedFrame[]; done: number; total: number }
  | { type: 'done'; jobId: number; framesPerSecond: number }
  | { type: 'cancelled'; jobId: number }
  | { type: 'error'; jobId: number; message: string };
