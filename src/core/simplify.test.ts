import { describe, expect, it } from 'vitest';
import type { GripperState, Path } from './path';
import { simplifyPath } from './simplify';

const path = (points: [number, number, GripperState?][], initialGripper: GripperState = 'open'): Path => ({
  initialGripper,
  points: points.map(([x, y, g]) => ({ x, y, gripper: g ?? 'open' })),
});
const xy = (p: Path) => p.points.map((w) => [w.x, w.y]);

describe('simplifyPath', () => {
  it('drops points closer than epsilon to the simplified line and keeps the endpoints', () => {
    const noisy = path([[0, 0], [0.25, 0.01], [0.5, -0.01], [0.75, 0.02], [1, 0]]);
    expect(xy(simplifyPath(noisy))).toEqual([[0, 0], [1, 0]]);
  });

  it('keeps corners farther than epsilon', () => {
    const corner = path([[0.1, 0.1], [0.3, 0.11], [0.5, 0.1], [0.5, 0.3], [0.5, 0.5], [0.51, 0.7]]);
    expect(xy(simplifyPath(corner))).toEqual([[0.1, 0.1], [0.5, 0.1], [0.51, 0.7]]);
  });

  it('always keeps gripper changes, with their states', () => {
    const straight = path([[0, 0.5], [0.2, 0.5, 'closed'], [0.4, 0.5, 'closed'], [0.6, 0.5, 'open'], [0.8, 0.5], [1, 0.5]]);
    const simplified = simplifyPath(straight);
    expect(xy(simplified)).toEqual([[0, 0.5], [0.2, 0.5], [0.6, 0.5], [1, 0.5]]);
    expect(simplified.points.map((p) => p.gripper)).toEqual(['open', 'closed', 'open', 'open']);
  });

  it('keeps the turning point of an out-and-back path (segment distance, not line distance)', () => {
    const outAndBack = path([[0.1, 0.5], [0.9, 0.5], [0.2, 0.5]]);
    expect(xy(simplifyPath(outAndBack))).toEqual([[0.1, 0.5], [0.9, 0.5], [0.2, 0.5]]);
  });

  it('respects epsilon and leaves the input untouched', () => {
    const wiggle = path([[0, 0], [0.5, 0.03], [1, 0]]);
    expect(simplifyPath(wiggle, 0.01).points).toHaveLength(3);
    expect(simplifyPath(wiggle, 0.05).points).toHaveLength(2);
    expect(wiggle.points).toHaveLength(3);
    expect(simplifyPath(path([])).points).toEqual([]);
  });

  it('reduces a dense 500-point curve to a handful of points within epsilon', () => {
    const dense = path(Array.from({ length: 500 }, (_, i): [number, number] => [i / 499, 0.5 + 0.3 * Math.sin((i / 499) * Math.PI)]));
    const simplified = simplifyPath(dense);
    expect(simplified.points.length).toBeGreaterThanOrEqual(3);
    expect(simplified.points.length).toBeLessThanOrEqual(6);
  });
});
