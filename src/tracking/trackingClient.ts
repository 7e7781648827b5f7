import type { TrackingRun } from './annotation';
import type { TrackerOptions } from './pointTracker';
import type { TrackedFrame, TrackingProtocol } from './trackingProtocol';
import { WorkerRpc } from '../workers/rpc';

export interface TrackOptions {
  onPoints: (points: TrackedFrame[], done: number, total: number) => void;
  signal?: AbortSignal;
  options?: Partial<TrackerOptions>;
}

/**
 * Main-thread side of the tracking worker. One worker for the editor's lifetime (OpenCV.js loads
 * once); each call is a job that streams points back and can be cancelled.
 */
export class TrackingClient {
  private rpc?: WorkerRpc<TrackingProtocol>;

  /** Tracks the runs; resolves with the rate (frames/s). Rejects with AbortError when cancelled. */
  track(blob: Blob, fileName: string, frameTimes: number[], runs: TrackingRun[], opts: TrackOptions): Promise<number> {
    this.rpc ??= new WorkerRpc<TrackingProtocol>(new Worker(new URL('../workers/tracking.worker.ts', import.meta.url), { type: 'module', name: 'tracking' }), 'tracking');
    return this.rpc.call('track', [blob, fileName, frameTimes, runs, opts.options], {
      signal: opts.signal,
      onProgress: (p) => opts.onPoints(p.points, p.done, p.total),
    });
  }

  dispose(): void {
    this.rpc?.dispose('Tracking was stopped');
    this.rpc = undefined;
  }
}
