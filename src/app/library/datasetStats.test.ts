import { describe, expect, it } from 'vitest';
import type { Path } from '../../core/path';
import { datasetStats, histogram, pathLength, type StatsSample } from './datasetStats';

const path = (pts: [number, number, 'open' | 'closed'][]): Path => ({ initialGripper: 'open', points: pts.map(([x, y, gripper]) => ({ x, y, gripper })) });
const s = (over: Partial<StatsSample>): StatsSample => ({ status: 'draft', source: 'image', instruction: '', path: null, ...over });

describe('dataset statistics', () => {
  it('counts by source, status and task, and measures the paths', () => {
    const stats = datasetStats([
      s({ instruction: 'pick the cube', status: 'done', path: path([[0, 0, 'open'], [0.3, 0.4, 'closed'], [0.3, 0.9, 'open']]) }),
      s({ instruction: ' pick the cube', source: 'episode', path: path([[0.5, 0.5, 'open']]) }),
      s({ instruction: 'open the drawer', status: 'reviewed', source: 'video', path: { initialGripper: 'open', points: [] } }),
      s({}),
    ], [{ live: true, success: true }, { live: true, success: false }, { live: true, success: true }, { live: true, success: null }, { live: false, success: false }]);
    expect(stats.samples).toBe(4);
    expect(stats.bySource).toEqual({ image: 2, video: 1, episode: 1, model: 0, import: 0 });
    expect(stats.byStatus).toEqual({ draft: 2, done: 1, reviewed: 1, rejected: 0 });
    expect(stats.tasks).toEqual({ distinct: 2, withoutInstruction: 1, top: [{ task: 'pick the cube', count: 2 }, { task: 'open the drawer', count: 1 }] });
    expect(stats.withPath).toBe(2); // an empty path is no path
    expect(stats.pointCount.bins.map((b) => [b.from, b.count])).toEqual([[1, 1], [2, 0], [3, 1]]);
    expect(stats.gripperEvents.bins.map((b) => [b.from, b.count])).toEqual([[0, 1], [1, 0], [2, 1]]);
    expect(stats.pathLength.bins.reduce((n, b) => n + b.count, 0)).toBe(2);
    expect(stats.liveRuns).toEqual({ runs: 4, success: 2, failure: 1, unknown: 1, successRate: 2 / 3 });
  });

  it('path length is in normalized image units', () => {
    expect(pathLength(path([[0, 0, 'open'], [0.3, 0.4, 'open'], [0.3, 0.9, 'open']]))).toBeCloseTo(1.0);
  });

  it('histograms: round bins that cover every value', () => {
    const h = histogram([0.05, 0.31, 1.0, 1.19]);
    expect(h.bins[0].from).toBe(0);
    expect(h.bins[1].from).toBeCloseTo(0.1);
    expect(h.bins.length).toBe(12);
    expect(h.bins.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(h.bins.at(-1)!.count).toBe(1);
    const wide = histogram(Array.from({ length: 100 }, (_, i) => i + 3), { integer: true });
    expect(wide.bins.map((b) => b.to - b.from)).toEqual(Array(11).fill(10));
    expect(wide.bins[0]).toEqual({ from: 0, to: 10, count: 7 });
    expect(histogram([], { integer: true }).bins).toEqual([]);
    expect(histogram([0, 0]).bins).toEqual([{ from: 0, to: 0.001, count: 2 }]);
  });

  it('no live runs: no success rate', () => {
    expect(datasetStats([], []).liveRuns.successRate).toBeNull();
  });
});
