/** Test helper: a Map-backed `localStorage` on globalThis (Node has none); returns the Map to inspect or clear. */
export function installMemoryLocalStorage(): Map<string, string> {
  const storage = new Map<string, string>();
  Object.assign(globalThis, {
    localStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, v),
      removeItem: (k: string) => void storage.delete(k),
    },
  });
  return storage;
}
