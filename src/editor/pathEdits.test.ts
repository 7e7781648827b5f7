import { describe, expect, it } from 'vitest';
import type { Path } from '../core/path';
import { appendPoints, insertPoint, isGripperEvent, removePoint, toggleGripperEvent } from './pathEdits';

const states = (path: Path) => path.points.map((p) => p.gripper[0]).join('');
const line = (gripper: string, initial: 'open' | 'closed' = 'open'): Path => ({
  initialGripper: initial,
  points: [...gripper].map((g, i) => ({ x: i / 10, y: 0.5, gripper: g === 'c' ? 'closed' : 'open' })),
});

describe('path edits', () => {
  it('toggling flips the gripper from the point up to the next event', () => {
    const path = line('ooocco');
    expect(states(toggleGripperEvent(path, 1))).toBe('occcco'); // close earlier
    expect(states(toggleGripperEvent(path, 4))).toBe('ooocoo'); // open earlier
    expect(states(toggleGripperEvent(path, 3))).toBe('oooooo'); // no close, so no open either
    expect(states(toggleGripperEvent(toggleGripperEvent(line('oooo'), 2), 2))).toBe('oooo');
  });

  it('an event on the first point is relative to the initial state', () => {
    expect(states(toggleGripperEvent(line('ooo'), 0))).toBe('ccc');
    expect(isGripperEvent(line('ccc', 'closed'), 0)).toBe(false);
  });

  it('removing an event point hands the event to the next point', () => {
    const removed = removePoint(line('occo'), 1);
    expect(states(removed)).toBe('oco');
    expect(isGripperEvent(removed, 1)).toBe(true);
  });

  it('new points travel with the gripper state where they are added', () => {
    expect(states(insertPoint(line('oco'), 2, { x: 0, y: 0 }))).toBe('occo');
    expect(states(appendPoints(line('oc'), [{ x: 0, y: 0 }]))).toBe('occ');
    expect(states(appendPoints(line('', 'closed'), [{ x: 0, y: 0 }]))).toBe('c');
  });
});
