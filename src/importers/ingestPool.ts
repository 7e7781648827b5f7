import { DEFAULT_MAX_IMAGE_MEGAPIXELS } from '../core/imageLimits';
import type { IngestProtocol, IngestResponse } from './ingestProtocol';
import { WorkerRpc } from '../core/workerRpc';
import { errorMessage } from '../core/errorMessage';

interface Job {
  file: File;
  maxPixels: number;
  thumbnailMaxSide: number;
  resolve: (r: IngestResponse) => void;
}

/** A small pool of ingest workers; each `process` call resolves with that file's result, one file per worker at a time. */
export class IngestPool {
  private readonly workers: WorkerRpc<IngestProtocol>[] = [];
  private idle: WorkerRpc<IngestProtocol>[] = [];
  private queue: Job[] = [];
  private readonly running = new Set<Job>();

  constructor(size = Math.max(2, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 2))) {
    for (let i = 0; i < size; i++) {
      const rpc = new WorkerRpc<IngestProtocol>(new Worker(new URL('../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' }), 'image ingest');
      this.workers.push(rpc);
      this.idle.push(rpc);
    }
  }

  process(file: File, maxPixels = DEFAULT_MAX_IMAGE_MEGAPIXELS * 1e6, thumbnailMaxSide = 256): Promise<IngestResponse> {
    return new Promise((resolve) => {
      this.queue.push({ file, maxPixels, thumbnailMaxSide, resolve });
      this.pump();
    });
  }

  private pump() {
    while (this.idle.length && this.queue.length) {
      const rpc = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.add(job);
      rpc
        .call('ingest', [job.file, job.thumbnailMaxSide, job.maxPixels])
        .catch((err: unknown): IngestResponse => ({ ok: false, error: `“${job.file.name}” could not be read: ${errorMessage(err)}` }))
        .then((r) => {
          if (!this.running.delete(job)) return; // terminated meanwhile: already answered
          job.resolve(r);
          this.idle.push(rpc);
          this.pump();
        });
    }
  }

  terminate() {
    this.workers.forEach((w) => w.dispose());
    for (const job of [...this.queue, ...this.running]) job.resolve({ ok: false, error: 'cancelled' });
    this.queue = [];
    this.running.clear();
  }
}
