import { useEffect, useRef, useState } from 'react';
import { getSamples } from '../../app/library/sampleQueries';
import type { SampleRecord } from '../../app/records';

/**
 * Loads only the sample records that are on screen (plus what was seen before), so a dataset
 * of 100k samples costs one id list and a few dozen record reads per scroll position.
 */
export function useSampleRecords(ids: readonly string[], first: number, last: number, version: number) {
  const cache = useRef(new Map<string, SampleRecord>());
  const [, setTick] = useState(0);

  useEffect(() => {
    cache.current.clear();
  }, [version]);

  useEffect(() => {
    const wanted = ids.slice(Math.max(0, first), Math.max(0, last + 1)).filter((id) => !cache.current.has(id));
    if (!wanted.length) return;
    let live = true;
    void getSamples(wanted).then((records) => {
      if (!live) return;
      records.forEach((r) => r && cache.current.set(r.id, r));
      setTick((n) => n + 1);
    });
    return () => {
      live = false;
    };
  }, [ids, first, last, version]);

  return (id: string) => cache.current.get(id);
}
