/** Persistent storage and quota readout (docs/ARCHITECTURE.md, Storage). Browser-only APIs, guarded for Node. */
export interface StorageReport {
  usageBytes: number | null;
  quotaBytes: number | null;
  persisted: boolean | null;
}

export async function readStorageReport(): Promise<StorageReport> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.estimate) return { usageBytes: null, quotaBytes: null, persisted: null };
  const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted?.() ?? Promise.resolve(null)]);
  return { usageBytes: estimate.usage ?? null, quotaBytes: estimate.quota ?? null, persisted };
}

/** Asks the browser not to evict our data. Headless Chromium answers false; callers must cope. */
export async function requestPersistentStorage(): Promise<boolean> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return false;
  try {
    return await storage.persist();
  } catch {
    return false;
  }
}

