/**
 * The worker that paints "Connection lost" over the Live console's link pill from its own thread
 * (src/workers/linkWatch.worker.ts): it holds an idle socket to the robot, so a busy main thread
 * cannot hold the news back. The pill (ui/live/LinkStatusPill) tells it what to watch.
 */
import type { LinkWatchReply, LinkWatchRequest } from '../../workers/linkWatch.worker';

export interface LinkWatcher {
  post(m: LinkWatchRequest): void;
  terminate(): void;
}

/** The loss overlay's worker, or null where a canvas cannot be handed to a worker. */
export function startLinkWatcher(canvas: HTMLCanvasElement): LinkWatcher | null {
  if (typeof canvas.transferControlToOffscreen !== 'function' || typeof Worker === 'undefined') return null;
  try {
    const worker = new Worker(new URL('../../workers/linkWatch.worker.ts', import.meta.url), { type: 'module' });
    const offscreen = canvas.transferControlToOffscreen();
    worker.postMessage({ type: 'init', canvas: offscreen } satisfies LinkWatchRequest, [offscreen]);
    // For the benchmark: when the worker painted the loss (epoch ms).
    worker.onmessage = (e: MessageEvent<LinkWatchReply>) => { canvas.dataset.lostAt = String(e.data.at); };
    return { post: (m) => worker.postMessage(m), terminate: () => worker.terminate() };
  } catch {
    return null;
  }
}
