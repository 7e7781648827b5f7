/**
 * Start-up work that must not compete with a person using the first screen.
 *
 * `whenIdle` runs work once the page is idle (never delaying the first paint). `whenQuiet` also
 * waits until nobody has scrolled, pointed, typed or touched for `quietMs`: on a 2-core machine the
 * inference runtime's warm-up (a 14 MB WASM compile on background threads) made the Library's
 * scrolling right after start-up drop frames (longest frame 150–183 ms against 67–100 without it;
 * docs/BENCHMARKS.md, Foundation).
 */

/** Runs `work` once the page is idle, or after `timeout` ms at the latest. */
export function whenIdle(work: () => void, timeout: number): void {
  if ('requestIdleCallback' in window) requestIdleCallback(() => work(), { timeout });
  else setTimeout(work, timeout / 3);
}

const INPUT_EVENTS = ['scroll', 'wheel', 'pointerdown', 'pointermove', 'keydown', 'touchstart', 'touchmove'] as const;

/** Runs `work` when the page is idle and there has been no input for `quietMs` ms. */
export function whenQuiet(work: () => void, quietMs: number): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(done, quietMs);
  };
  const done = () => {
    // Scroll events do not bubble: listened to in the capture phase, for every scroller.
    for (const type of INPUT_EVENTS) document.removeEventListener(type, restart, { capture: true });
    whenIdle(work, quietMs);
  };
  for (const type of INPUT_EVENTS) document.addEventListener(type, restart, { capture: true, passive: true });
  restart();
}
