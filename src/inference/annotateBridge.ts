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
  let current: unknown = undefined;
  const sync = () => {
    const planner = getRegistryState().planner;
    if (planner === current) return;
    current = planner;
    if (!planner) return setPlanner(null);
    const name = planner.kind === 'remote' ? `Remote: ${planner.config.model}` : planner.record.name;
    setPlanner({ name, suggest: ({ image, instruction }) => suggestPath(image, instruction) });
  };
  subscribeRegistry(sync);
  sync();
  void restoreActiveModels().catch(() => undefined);
}
