import { useRef } from 'react';

/** A ref that always holds the latest render's value: for callbacks set up once (a chart's hooks) that must read current props. */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
