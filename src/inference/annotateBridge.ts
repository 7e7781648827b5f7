/**
 * Feeds the active planner to a consumer that wants `{name, suggest}` objects (Annotate's
 * `setActivePlanner` hook), and starts loading the saved/default models when first connected.
 */
import type { Path } from '../core/path';
import { getRegistryState, restoreActiveModels, subscribeRegistry } from './registry';
import { suggestPath } from './suggest';

export interface PlannerHandle {
  name: string;
  suggest(input: { image: ImageBitmap; instruction: string }): Promise<Path>;
}

export function connectActivePlanner(setPlanner: (planner: PlannerHandle | null) => void): void {
  if (typeof window === 'undefined' || typeof Worker === 'undefined' || typeof indexedDB === 'undefined') return;
  const suggest: PlannerHandle['suggest'] = ({ image, instruction }) => suggestPath(image, instruction);
  let current: unknown = null;
  let restored = false;
  const sync = () => {
    const planner = getRegistryState().planner;
    // Until the saved/default planner has loaded, offer a handle that waits for it: buttons are
    // usable at once, and the first suggestion includes the model load.
    const key = planner ?? (restored ? null : 'pending');
    if (key === current) return;
    current = key;
    if (planner) setPlanner({ name: planner.kind === 'remote' ? `Remote: ${planner.config.model}` : planner.record.name, suggest });
    else setPlanner(restored ? null : { name: 'Default planner (loading)', suggest });
  };
  subscribeRegistry(sync);
  sync();
  void restoreActiveModels()
    .catch(() => undefined)
    .finally(() => {
      restored = true;
      sync();
    });
}
