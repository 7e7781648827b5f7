import { describe, expect, it } from 'vitest';
import { aims, formatCell, summarize, table, taskTable } from './experimentSummary.ts';
import type { RolloutResult } from './rollout.ts';

const run = (split: 'train' | 'heldout', success: boolean, over: Partial<RolloutResult> = {}): RolloutResult => ({
  condition: 'hierarchical', split, task: 'press_button', seed: 1, instruction: 'press the red button', success, steps: 10, closes: [], ...over,
});
const many = (k: number, n: number, split: 'train' | 'heldout', over: Partial<RolloutResult> = {}) => Array.from({ length: n }, (_, i) => run(split, i < k, over));

describe('the off-domain experiment summary', () => {
  it('pools seeds per model, splits held-out scenes by axis and checks the aims', () => {
    const rows = summarize([
      { name: 'rollouts/planner-a-s0.json', results: [...many(20, 24, 'train'), ...many(6, 12, 'heldout', { heldoutAxis: 'camera' }), ...many(6, 12, 'heldout', { instruction: 'press the purple button', heldoutAxis: 'color' })] },
      { name: 'rollouts/planner-a-s1.json', results: [...many(18, 24, 'train'), ...many(12, 24, 'heldout', { heldoutAxis: 'lighting' })] },
      { name: 'rollouts/planner-b-s0.json', results: [...many(40, 48, 'train'), ...many(30, 48, 'heldout', { heldoutAxis: 'camera' })] },
      { name: 'rollouts/planner-c-s0.json', results: [...many(40, 48, 'train'), ...many(20, 48, 'heldout', { heldoutAxis: 'camera' })] },
      { name: 'rollouts/flat-lr2e-3-s0.json', results: [...many(10, 48, 'train', { condition: 'flat' }), ...many(5, 48, 'heldout', { condition: 'flat', heldoutAxis: 'camera' })] },
      { name: 'rollouts/flat-lr1e-3-s0.json', results: [...many(30, 48, 'train', { condition: 'flat' }), ...many(10, 48, 'heldout', { condition: 'flat', heldoutAxis: 'camera' })] },
    ]);
    const a = rows.find((r) => r.model === 'planner-a')!;
    expect(a.seeds).toBe(2);
    expect(a.cells).toMatchObject({
      'in distribution': { successes: 38, n: 48 }, 'held-out': { successes: 24, n: 48 },
      camera: { successes: 6, n: 12 }, lighting: { successes: 12, n: 24 }, colour: { successes: 6, n: 12 },
    });
    expect(formatCell(a.cells['in distribution'])).toBe('79 % [66–88] (38/48)');
    expect(table(rows)).toContain('| planner-a | 2 | 79 % [66–88] (38/48) |');
    expect(aims(rows)).toEqual([
      // planner-b 30/48 = 62.5 %, the best flat by in-distribution (30/48) 10/48 = 20.8 % held out.
      'planner-b − best flat (flat-lr1e-3, chosen by in-distribution success), held-out: 42 points (aim ≥ 20: met)',
      'planner-c − planner-a, held-out: -8 points (aim ≥ 0: missed by 8)',
      'best flat baseline in distribution: 63 % (aim ≥ 50: met)',
    ]);
  });

  it('splits success by task and tells a pick that went elsewhere from one that got there', () => {
    const pick = (success: boolean, offset: [number, number, number] | null, split: 'train' | 'heldout' = 'train') =>
      run(split, success, { task: 'pick_place', instruction: 'put the red cube in the blue bowl', closes: offset ? [{ step: 30, offset }, { step: 60, offset: [0, 0, 0] }] : [] });
    const text = taskTable([
      { name: 'rollouts/flat-s0.json', results: [pick(true, [0.01, 0, 0]), pick(false, [0.3, 0.4, 0.06]), pick(false, [0, 0.02, 0], 'heldout'), pick(false, null), run('train', true), run('heldout', false, { task: 'knock_down' })] },
      { name: 'rollouts/flat-s1.json', results: [pick(false, [0.2, 0, 0], 'heldout')] },
    ]);
    // First closes 1, 50, 2 and 20 cm away across the table (height left out): median 11 cm, 2 within 3 cm; the rollout that never closed is left out.
    expect(text.split('\n')[2]).toBe('| flat | 1/3 / 0/2 | 1/1 / 0/0 | 0/0 / 0/1 | 11.0 cm; 2 of 4 within 3 cm |');
  });
});
