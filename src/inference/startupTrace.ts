/**
 * Where the first suggestion's time goes: named marks in wall-clock milliseconds
 * (`performance.timeOrigin + performance.now()`, comparable between the page and the worker),
 * kept on `globalThis.__pathStudioStartup` for the first-suggestion benchmark
 * (bench/browser/firstSuggest.bench.ts). A few dozen entries per session; nothing else reads them.
 */

export interface StartupMark {
  name: string;
  /** Wall-clock ms (epoch), high resolution. */
  at: number;
}

const MAX_MARKS = 200;

export const wallClock = (): number => performance.timeOrigin + performance.now();

function marks(): StartupMark[] {
  const g = globalThis as unknown as { __pathStudioStartup?: StartupMark[] };
  g.__pathStudioStartup ??= [];
  return g.__pathStudioStartup;
}

/** Records `name` now (or at `at`, for marks taken in the worker). */
export function traceMark(name: string, at = wallClock()): void {
  const list = marks();
  if (list.length < MAX_MARKS) list.push({ name, at });
}
