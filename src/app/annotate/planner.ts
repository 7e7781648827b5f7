import type { Path } from '../../core/path';
import { connectActivePlanner } from '../../inference/annotateBridge';

/**
 * The model-assist hook: whatever planner the Models section makes active (a later issue)
 * registers here, and Annotate's "Suggest path" asks it. Until then there is none and the
 * button says why it is disabled.
 */
export interface PathPlanner {
  name: string;
  suggest(input: { image: ImageBitmap; instruction: string }): Promise<Path>;
}

let active: PathPlanner | null = null;
const listeners = new Set<() => void>();

export function getActivePlanner(): PathPlanner | null {
  return active;
}

export function setActivePlanner(planner: PathPlanner | null): void {
  active = planner;
  for (const l of listeners) l();
}

export function subscribePlanner(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const NO_PLANNER_REASON = 'No planner is active. Load a planner model in Models to get path suggestions.';

// The Models section's active planner (src/inference) feeds this hook; the default planner loads on first use.
connectActivePlanner(setActivePlanner);
