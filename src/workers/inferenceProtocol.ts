/** Typed messages between the page (InferenceClient) and the inference worker (onnxruntime-web). */
import type { Path } from '../core/path';
import type { ModelCard } from '../inference/modelCard';
import type { StartupMark } from '../inference/startupTrace';

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

export type InferenceRequest =
  /** Start the runtime `prefer` will use (WASM fetch + compile) before a model arrives; `threads` applies if WASM has not started yet. */
  | { id: number; type: 'prepare'; prefer: BackendPreference; threads?: number }
  | { id: number; type: 'load'; key: string; bytes: ArrayBuffer; prefer: BackendPreference; warmup?: Record<string, WireTensor> }
  | { id: number; type: 'run'; key: string; feeds: Record<string, WireTensor>; frame?: FrameFeed }
  | { id: number; type: 'cancel'; target: number }
  | { id: number; type: 'unload'; key: string };

export type InferenceResponse =
  | { id: number; ok: true; type: 'prepare'; marks: StartupMark[] }
  | { id: number; ok: true; type: 'load'; model: LoadedModel }
  /** `decodeMs`/`prepMs`: the frame feed's decode and preprocessing, when there was one. */
  | { id: number; ok: true; type: 'run'; outputs: Record<string, WireTensor>; runMs: number; decodeMs?: number; prepMs?: number }
  | { id: number; ok: true; type: 'unload' | 'cancel' }
  | { id: number; ok: false; error: string; cancelled?: boolean };
