/**
 * The worker that paints "Connection lost" over the Live console's link pill from its own thread
 * (src/workers/linkWatch.worker.ts): it holds an idle socket to the robot, so a busy main thread
 * cannot hold the news back. The pill (ui/live/LinkStatusPill) tells it what to watch.
 */
import { WorkerRpc } from '../../core/workerRpc';
import type { LinkWatchProtocol } from '../../robot/linkWatchProtocol';

export interface LinkWatcher {
  watch(url: string, width: number, height: number, dpr: number): void;
  unwatch(): void;
  terminate(): void;
}

/** The loss overlay's worker, or null where a canvas cannot be handed to a worker. */
export function startLinkWatcher(canvas: HTMLCanvasElement): LinkWatcher | null {
  if (typeof canvas.transferControlToOffscreen !== 'function' || typeof Worker === 'undefined') return null;
  try {
    const worker = new Worker(new URL('../../workers/linkWatch.worker.ts', import.meta.url), { type: 'module', name: 'link-watch' });
    const rpc = new WorkerRpc<LinkWatchProtocol>(worker, 'link watch');
    const offscreen = canvas.transferControlToOffscreen();
    const ignore = () => undefined; // the overlay is a courtesy: the pill itself always tells
    rpc.call('init', [offscreen], { transfer: [offscreen] }).catch(ignore);
    return {
      watch: (url, width, height, dpr) => {
        // For the benchmark: when the worker painted the loss (epoch ms).
        rpc.call('watch', [url, width, height, dpr], { onProgress: ({ at }) => { canvas.dataset.lostAt = String(at); } }).catch(ignore);
      },
      unwatch: () => void rpc.call('unwatch', []).catch(ignore),
      terminate: () => worker.terminate(),
    };
  } catch {
    return null;
  }
}
