import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { whenQuiet } from './whenQuiet';

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('document', new EventTarget());
  vi.stubGlobal('window', {}); // no requestIdleCallback: whenIdle falls back to a timer (a third of its timeout)
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

test('start-up work waits until nobody has scrolled or typed for the quiet time, then runs once', () => {
  const work = vi.fn();
  whenQuiet(work, 1500);
  vi.advanceTimersByTime(1000);
  document.dispatchEvent(new Event('scroll')); // someone scrolls the Library: the wait starts again
  vi.advanceTimersByTime(1400);
  document.dispatchEvent(new Event('keydown'));
  vi.advanceTimersByTime(1400);
  expect(work).not.toHaveBeenCalled();
  vi.advanceTimersByTime(100 + 500);
  expect(work).toHaveBeenCalledTimes(1);
  document.dispatchEvent(new Event('wheel'));
  vi.advanceTimersByTime(10_000);
  expect(work).toHaveBeenCalledTimes(1);
});
