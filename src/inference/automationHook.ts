/**
 * A small automation surface on `window.__pathStudioInference`, exposed by the Models section,
 * so browser benchmarks can time the real runtime (worker + client) without driving the UI.
 */
import { inferenceClient } from './client';
import { getRegistryState, zeroFeeds } from './registry';

export interface InferenceAutomation {
  /** Times `n` calls of the active planner or policy on zero inputs; per-call round trips in ms. */
  time(role: 'planner' | 'policy', n: number): Promise<number[]>;
  /** p50 of session.run alone (timed in the worker) over the calls so far. */
  runP50(role: 'planner' | 'policy'): number | null;
  backend(role: 'planner' | 'policy'): string | null;
}

/** The inference automation surface; the Models section exposes it (src/app/automation.ts). */
export function inferenceAutomation(): InferenceAutomation {
  return {
    async time(role, n) {
      const active = getRegistryState()[role];
      if (!active || active.kind !== 'local') throw new Error(`no local ${role} is active`);
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const feeds = zeroFeeds(active.card);
        const t0 = performance.now();
        await inferenceClient().run(active.key, feeds);
        out.push(performance.now() - t0);
      }
      return out;
    },
    runP50(role) {
      const active = getRegistryState()[role];
      return active?.kind === 'local' ? (inferenceClient().runLatency(active.key)?.p50 ?? null) : null;
    },
    backend(role) {
      const active = getRegistryState()[role];
      return active?.kind === 'local' ? `${active.loaded.backend}: ${active.loaded.reason}` : null;
    },
  };
}
