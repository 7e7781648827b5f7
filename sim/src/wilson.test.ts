import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson.ts';

describe('wilsonInterval', () => {
  it('matches published values and stays inside [0, 1]', () => {
    // 8 of 10: 0.490–0.943 (Wilson 1927; e.g. Newcombe 1998, table I).
    const a = wilsonInterval(8, 10);
    expect(a.low).toBeCloseTo(0.4902, 3);
    expect(a.high).toBeCloseTo(0.9433, 3);
    const none = wilsonInterval(0, 48);
    expect(none.low).toBeCloseTo(0, 9);
    expect(none.high).toBeCloseTo(0.0741, 3);
    const all = wilsonInterval(48, 48);
    expect(all.high).toBeCloseTo(1, 9);
    expect(all.low).toBeCloseTo(0.9259, 3);
  });
});
