/**
 * The shipped models' index, public/models/index.json: which built-in models exist and which one
 * a fresh profile activates per role (`default`). Pure, so the registry (browser) and the Node
 * tools that run "the default policy" (rollouts, benchmarks) read the same rule.
 */
import type { ModelRole } from './modelCard';

export interface BuiltinIndexEntry { id: string; dir: string; role: ModelRole; default?: boolean }

export interface BuiltinIndex { models: BuiltinIndexEntry[] }

/** The entry a fresh profile activates for `role`, if any. */
export function defaultEntry(index: BuiltinIndex, role: ModelRole): BuiltinIndexEntry | undefined {
  return index.models.find((e) => e.role === role && e.default);
}
