/** The link-watch worker's calls (src/workers/linkWatch.worker.ts, through src/core/workerRpc.ts). */
import type { Method } from '../core/workerRpc';

/** The robot's link closed under the watch: when the worker painted it (epoch ms). */
export interface LinkLost {
  at: number;
}

export type LinkWatchProtocol = {
  /** Hands the worker the overlay canvas it paints on. */
  init: Method<[canvas: OffscreenCanvas], void>;
  /** Holds an idle socket to `url`; reports the loss as progress; ends on unwatch or on the loss. */
  watch: Method<[url: string, width: number, height: number, dpr: number], void, LinkLost>;
  /** Closes the socket and clears the overlay. */
  unwatch: Method<[], void>;
};
