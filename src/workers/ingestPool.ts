import { DEFAULT_MAX_IMAGE_MEGAPIXELS } from '../core/imageLimits';
import type { IngestRequest, IngestResponse } from './ingestProtocol';

/** A small pool of ingest workers; each `process` call resolves with that file's result. */
export class IngestPool {
  private workers: Worker[] = [];
  private idle: Worker[] = [];
  private queue: { req: IngestRequest; resolve: (r: IngestResponse) => void }[] = [];
  private pending = new Map<number, (r: IngestResponse) => void>();
  private nextId = 1;

  constructor(size = Math.max(2, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 2))) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module' });
      w.onmessage = (e: MessageEvent<IngestResponse>) => {
        this.pending.get(e.data.id)?.(e.data);
        this.pending.delete(e.data.id);
        this.idle.push(w);
        this.pump();
      };
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  process(file: File, maxPixels = DEFAULT_MAX_IMAGE_MEGAPIXELS * 1e6, thumbnailMaxSide = 256): Promise<IngestResponse> {
    return new Promise((resolve) => {
      this.queue.push({ req: { id: this.nextId++, file, thumbnailMaxSide, maxPixels }, resolve });
      this.pump();
    });
  }

  private pump() {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.pending.set(job.req.id, job.resolve);
      w.postMessage(job.req);
    }
  }

  terminate() {
    this.workers.forEach((w) => w.terminate());
    for (const job of this.queue) job.resolve({ id: job.req.id, ok: false, error: 'cancelled' });
    for (const [id, resolve] of this.pending) resolve({ id, ok: false, error: 'cancelled' });
    this.queue = [];
    this.pending.clear();
  }
}
