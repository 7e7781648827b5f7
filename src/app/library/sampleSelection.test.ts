import { describe, expect, it } from 'vitest';
import { SampleSelection } from './sampleSelection';

const order = ['a', 'b', 'c', 'd', 'e'];
const selected = (s: SampleSelection) => [...s.getSnapshot().ids].sort();

describe('sample selection', () => {
  it('toggles one, adds a range from the last one clicked, selects all shown and clears', () => {
    const s = new SampleSelection();
    let changes = 0;
    s.subscribe(() => changes++);
    s.click('b', order);
    s.click('d', order, { range: true });
    expect(selected(s)).toEqual(['b', 'c', 'd']);
    s.click('c', order);
    expect(selected(s)).toEqual(['b', 'd']);
    s.click('a', order, { range: true }); // from c (the last clicked) to a
    expect(selected(s)).toEqual(['a', 'b', 'c', 'd']);
    s.selectAll(order);
    expect(s.getSnapshot().count).toBe(5);
    s.clear();
    expect(s.getSnapshot().count).toBe(0);
    expect(changes).toBe(6);
  });

  it('keeps only samples still listed', () => {
    const s = new SampleSelection();
    s.selectAll(order);
    s.retain(['a', 'e', 'z']);
    expect(selected(s)).toEqual(['a', 'e']);
  });
});
