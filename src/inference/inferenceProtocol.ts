/** The calls between the page (InferenceClient) and the inference worker (onnxruntime-web). */
import type { Path } from '../core/path';
import type { ModelCard } from './modelCard';
import type { StartupMark } from './startupTrace';
import type { Method } from '../core/workerRpc';

export type BackendPreference = 'auto' | 'wasm' | 'webgpu';
export type Backend = 'webgpu' | 'wasm';

export interface WireTensor {
  dims: number[];
  /** Transferred, not copied. */
  data: Float32Array;
}

export interface GraphValue {
  name: string;
  type?: string;
  shape?: (number | string | null)[];
}

export interface LoadedModel {
  backend: Backend;
  /** Why this backend was chosen, for the UI ("WebGPU adapter is a software fallback …"). */
  reason: string;
  threads: number;
  inputs: GraphValue[];
  outputs: GraphValue[];
  loadMs: number;
  warmupMs: number | null;
  /** Worker-side startup marks since the last load (for the first-suggestion benchmark). */
  marks: StartupMark[];
}

/**
 * An encoded camera frame that the worker turns into the image input `input` itself (decode,
 * resize, path overlay/concat, normalisation as `card` says): the control loop's frame reaches the
 * model in one hop, not via a second worker and back through the page.
 */
export interface FrameFeed {
  input: string;
  /** Transferred, not copied. */
  bytes: ArrayBuffer;
  /** CompressedImage format ("jpeg", "png"…). */
  format: string;
  path: Path | null;
  card: ModelCard;
}

/** What a run answers: the outputs, session.run's time and, for a frame feed, its decode and preprocessing times. */
export interface RunResult {
  outputs: Record<string, WireTensor>;
  runMs: number;
  decodeMs?: number;
  prepMs?: number;
}

/** The inference worker's calls (src/core/workerRpc.ts). Runs are served one at a time, in order. */
export type InferenceProtocol = {
  /** Start the runtime `prefer` will use (WASM fetch + compile) before a model arrives; `threads` applies if WASM has not started yet. Answers the startup marks. */
  prepare: Method<[prefer: BackendPreference, threads: number | undefined], StartupMark[]>;
  /** `bytes` and the warm-up tensors are transferred. */
  load: Method<[key: string, bytes: ArrayBuffer, prefer: BackendPreference, warmup: Record<string, WireTensor> | undefined], LoadedModel>;
  /** Cancelled before it starts: skipped; after: its result is dropped (WASM cannot be interrupted). */
  run: Method<[key: string, feeds: Record<string, WireTensor>, frame: FrameFeed | undefined], RunResult>;
  unload: Method<[key: string], void>;
};
