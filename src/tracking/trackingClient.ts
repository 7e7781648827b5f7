import type { TrackingRun } from './annotation';
import type { TrackerOptions } from './pointTracker';
import type { TrackedFrame, TrackingProtocol } from './trackingProtocol';
import { WorkerRpc } from '../core/workerRpc';
import type { HandDetection, HandDetector } from './hands/handTrack';

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

  /** The hand on a frame (copied into the worker), following the hand of the previous call unless `reset`. */
  async detectHand(image: CanvasImageSource, reset: boolean): Promise<HandDetection | null> {
    const frame = await createImageBitmap(image as ImageBitmapSource);
    return this.worker().call('detectHand', [frame, reset], { transfer: [frame] });
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
 * Hand tracking with MediaPipe's models in a tracking worker of its own (TensorFlow Lite on the
 * CPU: src/tracking/hands/tfliteHands.ts); resolves once the models are loaded.
 */
export async function workerHandDetector(client = new TrackingClient()): Promise<HandDetector> {
  await client.loadHandTracker();
  let reset = true;
  return {
    async detect(image) {
      const found = await client.detectHand(image, reset);
      reset = false;
      return found;
    },
    reset: () => {
      reset = true;
    },
    close: async () => client.dispose(),
  };
}
