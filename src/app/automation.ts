/**
 * The one door for automation. Browser tests, benchmarks and `npm run eval` drive the studio through
 * a few `window.__pathStudio*` objects (the Live session, the eval hooks, the video and inference
 * timers). They exist only when asked for: in a build made with `VITE_PATH_STUDIO_AUTOMATION=1`
 * (the browser tests', the benchmarks' and `npm run eval`'s builds) or on a page opened with
 * `?automation` in its address. `npm start`'s build exposes nothing otherwise.
 */
export function automationRequested(): boolean {
  if (import.meta.env?.VITE_PATH_STUDIO_AUTOMATION === '1') return true;
  return typeof location !== 'undefined' && new URLSearchParams(location.search).has('automation');
}

/** Puts `value` on `window[name]` when automation was asked for; returns what takes it away again. */
export function exposeForAutomation(name: `__pathStudio${string}`, value: unknown): () => void {
  if (!automationRequested()) return () => {};
  const w = window as unknown as Record<string, unknown>;
  w[name] = value;
  return () => {
    if (w[name] === value) delete w[name];
  };
}
