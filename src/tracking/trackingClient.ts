import type { TrackingRun } from './annotation';
import type { TrackerOptions } from './pointTracker';
import type { TrackedFrame, TrackingProtocol } from './trackingProtocol';
import { WorkerRpc } from '../core/workerRpc';
import type { HandDetection, HandDetector } from './hands/handTrack';
import type { HandLandmark } from './hands/handLandmarks';

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
    let stage: string | null = null;
    return this.worker().call('track', [blob, fileName, frameTimes, runs, opts.options], {
      signal: opts.signal,
      onProgress: (p) => {
        if ((p.stage ?? null) !== stage) opts.onStage?.((stage = p.stage ?? null));
        if (p.points.length || !p.stage) opts.onPoints(p.points, p.done, p.total);
      },
    });
  }

  /** The hand on a frame (copied into the worker): looked for `near` the landmarks given, else following the hand of the previous call unless `reset`. */
  async detectHand(image: CanvasImageSource, reset: boolean, near?: readonly HandLandmark[]): Promise<HandDetection | null> {
    const frame = await createImageBitmap(image as ImageBitmapSource);
    return this.worker().call('detectHand', [frame, reset, near], { transfer: [frame] });
  }

  /** Loads the hand models in the worker (the first frame would otherwise wait for them). */
  loadHandTracker(): Promise<void> {
    return this.worker().call('loadHandTracker', []);
  }

  private worker(): WorkerRpc<TrackingProtocol> {
    this.rpc ??= new WorkerRpc<TrackingProtocol>(new Worker(new URL('../workers/tracking.worker.ts', import.meta.url), { type: 'module', name: 'tracking' }), 'tracking');
    return this.rpc;
  }

  dispose(): void {
    this.rpc?.dispose('Tracking was stopped');
    this.rpc = undefined;
  }
}

/**
 * How many tracking workers hand tracking uses: frames go to them in turn. TensorFlow Lite runs
 * single-threaded in each (tfliteHands.ts), so a second worker uses a second core. Two at most:
 * each loads the runtime and both models.
 */
function handWorkerCount(cores = globalThis.navigator?.hardwareConcurrency ?? 1): number {
  return Math.max(1, Math.min(2, cores));
}

/**
 * Hand tracking with MediaPipe's models in tracking workers of its own (TensorFlow Lite on the
 * CPU: src/tracking/hands/tfliteHands.ts), the frames going to them in turn, each worker one at a
 * time. A frame is cropped where the page expects the hand (`near`, from the latest frames of all
 * workers), else around the hand this worker last found. Resolves once every worker has its models.
 */
export async function workerHandDetector(workers = handWorkerCount()): Promise<HandDetector> {
  const clients = Array.from({ length: workers }, () => new TrackingClient());
  try {
    await Promise.all(clients.map((c) => c.loadHandTracker()));
  } catch (e) {
    clients.forEach((c) => c.dispose());
    throw e;
  }
  let reset = clients.map(() => true);
  // One frame at a time per worker, also across runs: a cancelled run's last frames finish first.
  const idle: Promise<unknown>[] = clients.map(() => Promise.resolve());
  let turn = 0;
  return {
    parallel: workers,
    detect(image, near) {
      const i = turn;
      turn = (turn + 1) % workers;
      const fresh = reset[i];
      reset[i] = false;
      const found = idle[i].then(() => clients[i].detectHand(image, fresh, near));
      idle[i] = found.catch(() => undefined);
      return found;
    },
    reset: () => {
      reset = clients.map(() => true);
      turn = 0;
    },
    close: async () => clients.forEach((c) => c.dispose()),
  };
}
