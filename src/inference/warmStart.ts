/**
 * Idle-time start of the inference runtime: once the first screen is up, the worker starts and
 * fetches and compiles onnxruntime's WASM (14 MB; about two thirds of a fresh profile's first
 * suggestion), so that Suggest path in Annotate or Models only has to load the planner itself.
 * Only the runtime: no model is fetched and nothing is written to IndexedDB until a section that
 * uses models opens (registry.restoreActiveModels).
 */
import { prepareRuntime } from './registry';

export function warmStart(): void {
  if (typeof Worker === 'undefined') return;
  void prepareRuntime();
}
