import type { TrackingRun } from './annotation';
import type { TrackerOptions } from './pointTracker';
import type { TrackedFrame, TrackingRequest, TrackingResponse } from './trackingProtocol';

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
  private worker?: Worker;
  private nextJob = 1;
  private readonly jobs = new Map<number, { opts: TrackOptions; resolve: (fps: number) => void; reject: (e: Error) => void }>();

  private ensureWorker(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('../workers/tracking.worker.ts', import.meta.url), { type: 'module', name: 'tracking' });
      this.worker.onmessage = (e: MessageEvent<TrackingResponse>) => this.onMessage(e.data);
      this.worker.onerror = (e) => {
        for (const job of this.jobs.values()) job.reject(new Error(`The tracking worker failed: ${e.message || 'could not start'}`));
        this.jobs.clear();
      };
    }
    return this.worker;
  }

  /** Tracks the runs; resolves with the rate (frames/s). Rejects with AbortError when cancelled. */
  track(blob: Blob, fileName: string, frameTimes: number[], runs: TrackingRun[], opts: TrackOptions): Promise<number> {
    const jobId = this.nextJob++;
    const worker = this.ensureWorker();
    return new Promise<number>((resolve, reject) => {
      this.jobs.set(jobId, { opts, resolve, reject });
      opts.signal?.addEventListener('abort', () => worker.postMessage({ type: 'cancel', jobId } satisfies TrackingRequest), { once: true });
      worker.postMessage({ type: 'track', jobId, blob, fileName, frameTimes, runs, options: opts.options } satisfies TrackingRequest);
    });
  }

  private onMessage(msg: TrackingResponse): void {
    const job = this.jobs.get(msg.jobId);
    if (!job) return;
    if (msg.type === 'points') job.opts.onPoints(msg.points, msg.done, msg.total);
    else {
      this.jobs.delete(msg.jobId);
      if (msg.type === 'done') job.resolve(msg.framesPerSecond);
      else if (msg.type === 'cancelled') job.reject(new DOMException('Tracking was cancelled', 'AbortError'));
      else job.reject(new Error(msg.message));
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
    for (const job of this.jobs.values()) job.reject(new DOMException('Tracking was stopped', 'AbortError'));
    this.jobs.clear();
  }
}
