import { describe, expect, it } from 'vitest';
import type { Path } from '../../core/path';
import { extraCopies, findDuplicates, pathsMatch, type DuplicateCandidate } from './duplicates';

const path = (points: [number, number, 'open' | 'closed'][], initialGripper: 'open' | 'closed' = 'open'): Path => ({ initialGripper, points: points.map(([x, y, gripper]) => ({ x, y, gripper })) });
const pick = path([[0.1, 0.2, 'open'], [0.5, 0.5, 'closed'], [0.9, 0.8, 'open']]);
let order = 0;
const sample = (id: string, over: Partial<DuplicateCandidate> = {}): DuplicateCandidate => ({ id, assetId: 'img', instruction: 'pick', path: pick, createdAt: 10, order: order++, ...over });

describe('duplicate samples', () => {
  it('paths match within 1e-3 and with the same gripper states, not beyond', () => {
    expect(pathsMatch(pick, path([[0.1009, 0.1991, 'open'], [0.5, 0.5, 'closed'], [0.9, 0.8, 'open']]))).toBe(true);
    expect(pathsMatch(pick, path([[0.102, 0.2, 'open'], [0.5, 0.5, 'closed'], [0.9, 0.8, 'open']]))).toBe(false);
    expect(pathsMatch(pick, path([[0.1, 0.2, 'open'], [0.5, 0.5, 'open'], [0.9, 0.8, 'open']]))).toBe(false); // no close event
    expect(pathsMatch(pick, path([[0.1, 0.2, 'open'], [0.5, 0.5, 'closed']]))).toBe(false);
    expect(pathsMatch(path([[0.1, 0.2, 'closed']], 'closed'), path([[0.1, 0.2, 'closed']], 'open'))).toBe(false);
  });

  it('groups copies of one image, keeps the oldest and offers the rest', () => {
    const groups = findDuplicates([
      sample('copy', { createdAt: 30, instruction: 'another wording' }), // same image and path: a copy whatever the words
      sample('original', { createdAt: 5 }),
      sample('near', { createdAt: 20, path: path([[0.1005, 0.2, 'open'], [0.5, 0.5, 'closed'], [0.9, 0.8, 'open']]) }),
      sample('other image', { assetId: 'img2', createdAt: 1 }),
      sample('other path', { path: path([[0.3, 0.3, 'open']]) }),
      sample('blank 1', { path: null, instruction: 'wipe ', createdAt: 3 }),
      sample('blank 2', { path: null, instruction: 'wipe', createdAt: 4 }),
      sample('blank other', { path: null, instruction: 'stack', createdAt: 4 }),
    ]);
    expect(groups).toEqual([{ keep: 'blank 1', extras: ['blank 2'] }, { keep: 'original', extras: ['near', 'copy'] }]);
    expect(extraCopies(groups)).toEqual(['blank 2', 'near', 'copy']);
  });

  it('same creation time: the first in the queue is kept', () => {
    expect(findDuplicates([sample('b', { order: 2 }), sample('a', { order: 1 })])).toEqual([{ keep: 'a', extras: ['b'] }]);
  });

  it('a sample with a path and one without are not copies', () => {
    expect(findDuplicates([sample('a'), sample('b', { path: null })])).toEqual([]);
  });
});
