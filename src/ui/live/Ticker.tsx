import { useEffect, useRef, type HTMLAttributes } from 'react';

/**
 * Text that changes many times a second (message counters, recorded steps): polled and written to
 * the DOM directly, so it never re-renders the console — React work there competes with the
 * control loop for the main thread.
 */
export function Ticker({ read, intervalMs = 250, ...props }: { read: () => string; intervalMs?: number } & HTMLAttributes<HTMLSpanElement>) {
  const ref = useRef<HTMLSpanElement>(null);
  const readRef = useRef(read);
  readRef.current = read;
  useEffect(() => {
    const update = () => {
      const el = ref.current, text = readRef.current();
      if (el && el.textContent !== text) el.textContent = text;
    };
    update();
    const timer = setInterval(update, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return <span ref={ref} {...props} />;
}
