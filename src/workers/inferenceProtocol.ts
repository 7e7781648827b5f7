/** Typed messages between the page (InferenceClient) and the inference worker (onnxruntime-web). */
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

export type InferenceRequest =
  /** Start the runtime `prefer` will use (WASM fetch + compile) before a model arrives; `threads` applies if WASM has not started yet. */
  | { id: number; type: 'prepare'; prefer: BackendPreference; threads?: number }
  | { id: number; type: 'load'; key: string; bytes: ArrayBuffer; prefer: BackendPreference; warmup?: Record<string, WireTensor> }
  | { id: number; type: 'run'; key: string; feeds: Record<string, WireTensor> }
  | { id: number; type: 'cancel'; target: number }
  | { id: number; type: 'unload'; key: string };

export type InferenceResponse =
  | { id: number; ok: true; type: 'prepare'; marks: StartupMark[] }
  | { id: number; ok: true; type: 'load'; model: LoadedModel }
  | { id: number; ok: true; type: 'run'; outputs: Record<string, WireTensor>; runMs: number }
  | { id: number; ok: true; type: 'unload' | 'cancel' }
  | { id: number; ok: false; error: string; cancelled?: boolean };
