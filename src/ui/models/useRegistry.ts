import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { getRegistryState, listModels, restoreActiveModels, subscribeRegistry, type RegistryState } from '../../inference/registry';
import type { ModelRecord } from '../../app/records';

/** The registry's active models (external store) and the stored model list. */
export function useRegistry(): { state: RegistryState; models: ModelRecord[] | null; refresh: () => Promise<void> } {
  const state = useSyncExternalStore(subscribeRegistry, getRegistryState);
  const [models, setModels] = useState<ModelRecord[] | null>(null);
  const refresh = useCallback(async () => setModels(await listModels()), []);
  useEffect(() => {
    void restoreActiveModels().finally(() => void refresh());
    // Built-in policies are installed behind the planner: follow the registry.
    return subscribeRegistry(() => void refresh());
  }, [refresh]);
  return { state, models, refresh };
}
