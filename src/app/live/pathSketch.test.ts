import { describe, expect, it } from 'vitest';
import { hitWaypoint, moveWaypoint, strokeToPath, toggleGripperAt } from './pathSketch';

describe('path sketching', () => {
  it('simplifies a stroke to a few waypoints', () => {
    const stroke = Array.from({ length: 50 }, (_, i) => ({ x: i / 49, y: i < 25 ? 0.2 : 0.2 + (i - 25) / 60 }));
    const p = strokeToPath(stroke)!;
    expect(p.points.length).toBeGreaterThanOrEqual(2);
    expect(p.points.length).toBeLessThanOrEqual(5);
    expect(p.points[0]).toMatchObject({ x: 0, y: 0.2, gripper: 'open' });
  });
  it('rejects a click (no stroke)', () => {
    expect(strokeToPath([{ x: 0.5, y: 0.5 }])).toBeNull();
  });
  it('toggles the gripper from a waypoint on, up to the next change', () => {
    const p = { initialGripper: 'open' as const, points: [0, 1, 2, 3].map((i) => ({ x: i / 4, y: 0.5, gripper: 'open' as const })) };
    const closed = toggleGripperAt(p, 1);
    expect(closed.points.map((q) => q.gripper)).toEqual(['open', 'closed', 'closed', 'closed']);
    const reopened = toggleGripperAt(closed, 3);
    expect(reopened.points.map((q) => q.gripper)).toEqual(['open', 'closed', 'closed', 'open']);
  });
  it('hits and moves waypoints, clamped to the image', () => {
    const p = strokeToPath([{ x: 0.1, y: 0.1 }, { x: 0.9, y: 0.9 }])!;
    expect(hitWaypoint(p, 0.11, 0.1, 0.03)).toBe(0);
    expect(hitWaypoint(p, 0.5, 0.1, 0.03)).toBe(-1);
    expect(moveWaypoint(p, 1, 1.4, 0.5).points[1]).toMatchObject({ x: 1, y: 0.5 });
  });
});
