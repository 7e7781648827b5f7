import { describe, expect, it } from 'vitest';
import { distance } from './geometry';
import type { Path } from './path';
import { resamplePath, resamplePolyline } from './resample';

describe('resamplePolyline', () => {
  it('spaces points equally by arc length and keeps both ends', () => {
    const out = resamplePolyline([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 2 }], 7);
    expect(out).toHaveLength(7);
    expect(out[0]).toEqual({ x: 0, y: 0 });
    expect(out[6]).toEqual({ x: 1, y: 2 });
    for (let i = 1; i < 7; i++) expect(distance(out[i - 1], out[i]) + 1e-12).toBeGreaterThanOrEqual(0.5);
    expect(out[2]).toEqual({ x: 1, y: 0 }); // the corner falls exactly on sample 2 (arc length 1 of 3)
    expect(out[3].x).toBeCloseTo(1);
    expect(out[3].y).toBeCloseTo(0.5);
  });

  it('handles empty, single-point, zero-length and duplicate-point inputs', () => {
    expect(resamplePolyline([], 5)).toEqual([]);
    expect(resamplePolyline([{ x: 0.3, y: 0.4 }], 3)).toEqual([{ x: 0.3, y: 0.4 }, { x: 0.3, y: 0.4 }, { x: 0.3, y: 0.4 }]);
    const dup = resamplePolyline([{ x: 0, y: 0 }, { x: 0, y: 0 }, { x: 1, y: 0 }], 3);
    expect(dup.map((p) => p.x)).toEqual([0, 0.5, 1]);
    expect(resamplePolyline([{ x: 0, y: 0 }, { x: 1, y: 1 }], 1)).toEqual([{ x: 0, y: 0 }]);
  });
});

describe('resamplePath', () => {
  it('gives each sample the gripper state in force where it lies', () => {
    const path: Path = {
      initialGripper: 'open',
      points: [
        { x: 0, y: 0, gripper: 'open' },
        { x: 0.5, y: 0, gripper: 'closed' },
        { x: 1, y: 0, gripper: 'open' },
      ],
    };
    const out = resamplePath(path, 5);
    expect(out.points.map((p) => p.x)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(out.points.map((p) => p.gripper)).toEqual(['open', 'open', 'closed', 'closed', 'open']);
    expect(out.initialGripper).toBe('open');
  });
});
