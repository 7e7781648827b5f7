import { describe, expect, it, vi } from 'vitest';
import { SnapshotStore } from './snapshotStore';

class Counter extends SnapshotStore<{ n: number; label: string }> {
  constructor() {
    super({ n: 0, label: 'zero' });
  }
  bump() {
    this.set({ n: this.getSnapshot().n + 1 });
  }
}

describe('SnapshotStore', () => {
  it('replaces the snapshot on each change and keeps untouched fields', () => {
    const c = new Counter();
    const first = c.getSnapshot();
    c.bump();
    expect(c.getSnapshot()).not.toBe(first);
    expect(c.getSnapshot()).toEqual({ n: 1, label: 'zero' });
  });

  it('tells every listener, even after one throws, and stops after unsubscribe', () => {
    const c = new Counter();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen: number[] = [];
    c.subscribe(() => { throw new Error('broken view'); });
    const off = c.subscribe(() => seen.push(c.getSnapshot().n));
    c.bump();
    off();
    c.bump();
    expect(seen).toEqual([1]);
    expect(error).toHaveBeenCalledTimes(2);
    error.mockRestore();
  });
});
