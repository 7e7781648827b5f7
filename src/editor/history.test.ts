import { describe, expect, it } from 'vitest';
import { History } from './history';

describe('History', () => {
  it('undoes and redoes single steps, and a new step clears the redo stack', () => {
    const h = new History('a');
    h.push('b');
    h.push('c');
    expect(h.undo()).toBe('b');
    expect(h.redo()).toBe('c');
    h.undo();
    h.push('d');
    expect(h.canRedo).toBe(false);
    expect(h.undo()).toBe('b');
  });

  it('squashes a gesture into one step', () => {
    const h = new History('a');
    h.mark();
    h.push('b');
    h.push('c');
    expect(h.canUndo).toBe(false);
    h.squashToMark();
    expect(h.current).toBe('c');
    expect(h.undo()).toBe('a');
    expect(h.canUndo).toBe(false);
  });

  it('bails a gesture back to the mark with no step', () => {
    const h = new History('a');
    h.mark();
    h.push('b');
    h.bailToMark();
    expect(h.current).toBe('a');
    expect(h.canUndo).toBe(false);
  });

  it('records no step for a gesture or push that changed nothing', () => {
    const h = new History({ n: 1 }, (x, y) => x.n !== y.n);
    h.mark();
    h.squashToMark();
    h.push({ n: 1 });
    expect(h.canUndo).toBe(false);
  });

  it('refuses nested marks', () => {
    const h = new History(0);
    h.mark();
    expect(() => h.mark()).toThrow(/already in progress/);
  });

  it('keeps at most `limit` steps', () => {
    const h = new History(0, undefined, 3);
    for (let i = 1; i <= 5; i++) h.push(i);
    let steps = 0;
    while (h.undo() !== null) steps++;
    expect(steps).toBe(3);
    expect(h.current).toBe(2);
  });
});
