/**
 * The page's side of policyInput.worker.ts: one worker for the Live console, requests matched by id.
 * The frame's bytes are copied once into a buffer that is transferred (the link keeps its own copy
 * for the camera view and the recorder).
 */
import type { Path } from '../../core/path';
import type { FloatTensor } from '../../inference/preprocess';
import type { ModelCard } from '../../inference/modelCard';
import type { CameraFrame } from '../../robot/types';
import type { PolicyInputReply, PolicyInputRequest } from './policyInput.worker';

export interface PreparedInput {
  tensor: FloatTensor;
  /** Time spent decoding and preprocessing inside the worker (ms). */
  decodeMs: number;
  prepMs: number;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (r: PreparedInput) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./policyInput.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<PolicyInputReply>) => {
    const r = e.data, p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    if (r.ok) p.resolve({ tensor: { dims: r.dims, data: r.data }, decodeMs: r.decodeMs, prepMs: r.prepMs });
    else p.reject(new Error(`Could not prepare the camera frame for the policy: ${r.error}`));
  };
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(`The frame preparation worker failed: ${e.message}`));
    pending.clear();
    worker = null;
  };
  return worker;
}

/** The policy's image tensor for `frame` (with `path` drawn as the card asks), computed in the worker. */
export function preparePolicyImage(frame: CameraFrame, path: Path | null, card: ModelCard): Promise<PreparedInput> {
  const id = nextId++;
  const bytes = frame.data.slice().buffer;
  const req: PolicyInputRequest = { id, bytes, format: frame.format, path, card };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage(req, [bytes]);
  });
}
