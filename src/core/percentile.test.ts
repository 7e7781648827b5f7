import { describe, expect, it } from 'vitest';
import { percentile } from './percentile';

describe('percentile (nearest rank)', () => {
  it('takes the smallest value with at least p % at or below it', () => {
    const xs = [5, 1, 4, 2, 3, 6, 8, 7, 10, 9];
    expect(percentile(xs, 50)).toBe(5); // the lower median for an even count
    expect(percentile(xs, 90)).toBe(9);
    expect(percentile(xs, 99)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(10);
  });
  it('is NaN without data and leaves the input unsorted', () => {
    expect(percentile([], 50)).toBeNaN();
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });
});
