import { describe, expect, it } from 'vitest';
import { distance, pointToSegmentDistance, polylineLength } from './geometry';

describe('geometry', () => {
  it('measures point-to-segment distance inside and beyond the segment', () => {
    const a = { x: 0, y: 0 };
    const b = { x: 1, y: 0 };
    expect(pointToSegmentDistance({ x: 0.5, y: 0.3 }, a, b)).toBeCloseTo(0.3);
    expect(pointToSegmentDistance({ x: 2, y: 0 }, a, b)).toBeCloseTo(1); // beyond b: distance to b
    expect(pointToSegmentDistance({ x: -0.3, y: 0.4 }, a, b)).toBeCloseTo(0.5);
    expect(pointToSegmentDistance({ x: 3, y: 4 }, a, a)).toBeCloseTo(5); // degenerate segment
  });

  it('measures distances and polyline length', () => {
    expect(distance({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(5);
    expect(polylineLength([{ x: 0, y: 0 }, { x: 3, y: 4 }, { x: 3, y: 5 }])).toBe(6);
    expect(polylineLength([])).toBe(0);
  });
});
