import { describe, expect, it } from 'vitest';
import { pathMetrics } from './metrics';
import type { Path } from './path';

const line = (points: [number, number][]): Path => ({ initialGripper: 'open', points: points.map(([x, y]) => ({ x, y, gripper: 'open' })) });

describe('pathMetrics', () => {
  it('is zero for identical paths, whatever their waypoint count', () => {
    const m = pathMetrics(line([[0, 0], [1, 0]]), line([[0, 0], [0.3, 0], [0.6, 0], [1, 0]]));
    expect(m!.meanPointDistance).toBeCloseTo(0, 12);
    expect(m!.endpointError).toBe(0);
  });

  it('measures a parallel offset and endpoint error', () => {
    const m = pathMetrics(line([[0, 0.1], [1, 0.1]]), line([[0, 0], [1, 0]]))!;
    expect(m.meanPointDistance).toBeCloseTo(0.1);
    expect(m.startError).toBeCloseTo(0.1);
    expect(m.endpointError).toBeCloseTo(0.1);
  });

  it('compares positions along the path, not just the shape', () => {
    const m = pathMetrics(line([[0, 0], [0.5, 0]]), line([[0, 0], [1, 0]]), { samples: 11 })!;
    expect(m.startError).toBe(0);
    expect(m.endpointError).toBeCloseTo(0.5);
    expect(m.meanPointDistance).toBeCloseTo(0.25); // mean of 0.05 * i for i = 0..10
  });

  it('scales to pixels and refuses empty paths', () => {
    const m = pathMetrics(line([[0, 0], [1, 0]]), line([[0, 0.5], [1, 0.5]]), { scale: { x: 640, y: 480 } })!;
    expect(m.meanPointDistance).toBeCloseTo(240);
    expect(pathMetrics(line([]), line([[0, 0]]))).toBeNull();
  });
});
