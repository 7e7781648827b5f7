import type { TrackingRun } from './annotation';
import type { TrackerOptions } from './pointTracker';
import type { TrackedFrame, TrackingProtocol } from './trackingProtocol';
import { WorkerRpc } from '../core/workerRpc';

export interface TrackOptions {
  onPoints: (points: TrackedFrame[], done: number, total: number) => void;
  /** What the worker is doing before points come (loading OpenCV.js, opening the video); null once they do. */
  onStage?: (stage: string | null) => void;
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
    let stage: string | null = null;
    return this.rpc.call('track', [blob, fileName, frameTimes, runs, opts.options], {
      signal: opts.signal,
      onProgress: (p) => {
        if ((p.stage ?? null) !== stage) opts.onStage?.((stage = p.stage ?? null));
        if (p.points.length || !p.stage) opts.onPoints(p.points, p.done, p.total);
      },
    });
  }

  dispose(): void {
    this.rpc?.dispose('Tracking was stopped');
    this.rpc = undefined;
  }
}
