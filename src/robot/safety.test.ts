import { describe, expect, it, vi } from 'vitest';
import { SafetyGate, clampTwist, clampToWorkspace, isZeroTwist } from './safety';
import { reconnectDelay } from './backoff';
import { ZERO_TWIST } from './types';

describe('clampTwist', () => {
  it('scales the linear part down to the limit keeping its direction', () => {
    const t = clampTwist({ linear: [3, 4, 0], angular: [0, 0, 0] }, { maxLinear: 0.5, maxAngular: 1 });
    expect(t.linear[0]).toBeCloseTo(0.3);
    expect(t.linear[1]).toBeCloseTo(0.4);
  });
  it('turns NaN and Infinity into zero', () => {
    const t = clampTwist({ linear: [NaN, Infinity, 0.1], angular: [NaN, 0, 0] }, { maxLinear: 1, maxAngular: 1 });
    expect(t.linear).toEqual([0, 0, 0.1]);
    expect(t.angular).toEqual([0, 0, 0]);
  });
  it('drops velocity that pushes out of the workspace, keeps the rest', () => {
    const ws = { min: [0, 0, 0.1] as [number, number, number], max: [1, 1, 1] as [number, number, number] };
    expect(clampToWorkspace({ linear: [0.1, 0.1, -0.1], angular: [0, 0, 0] }, [0.5, 0.5, 0.1], ws).linear).toEqual([0.1, 0.1, 0]);
    expect(clampToWorkspace({ linear: [0.1, 0, 0.1], angular: [0, 0, 0] }, [0.5, 0.5, 0.1], ws).linear).toEqual([0.1, 0, 0.1]);
  });
});

describe('SafetyGate', () => {
  const move = { linear: [0.1, 0, 0] as [number, number, number], angular: [0, 0, 0] as [number, number, number] };
  it('starts stopped and lets only zero through until started', () => {
    const g = new SafetyGate();
    expect(isZeroTwist(g.filter(move))).toBe(true);
    g.start();
    expect(g.filter(move).linear[0]).toBeCloseTo(0.1);
  });
  it('after any stop nothing moves until the operator starts again', () => {
    const g = new SafetyGate();
    g.start();
    expect(g.stop('estop', 'Space')).toBe(true);
    expect(isZeroTwist(g.filter(move))).toBe(true);
    expect(g.filterGripper(1)).toBeUndefined();
    g.start();
    expect(isZeroTwist(g.filter(move))).toBe(false);
  });
  it('an e-stop is not downgraded by a later plain stop', () => {
    const g = new SafetyGate();
    g.start();
    g.stop('estop', 'button');
    g.stop('stop', 'tab hidden');
    expect(g.snapshot.kind).toBe('estop');
    expect(g.snapshot.reason).toBe('button');
  });
  it('clamps while running', () => {
    const g = new SafetyGate({ maxLinear: 0.05, maxAngular: 0.1 });
    g.start();
    expect(Math.hypot(...g.filter({ linear: [1, 1, 1], angular: [0, 0, 0] }).linear)).toBeCloseTo(0.05);
    expect(g.filterGripper(3)).toBe(1);
  });
});

describe('reconnectDelay', () => {
  it('grows exponentially to a cap', () => {
    const opts = { baseMs: 100, maxMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 10].map((a) => reconnectDelay(a, opts))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('jitters within ± the fraction', () => {
    const opts = { baseMs: 1000, maxMs: 5000, jitter: 0.2 };
    expect(reconnectDelay(1, opts, () => 0)).toBe(800);
    expect(reconnectDelay(1, opts, () => 1)).toBe(1200);
  });
});

describe('SafetyGate listeners', () => {
  it('a listener that throws does not keep stop() from returning, nor the others from hearing', () => {
    const gate = new SafetyGate();
    gate.start();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const heard: string[] = [];
    gate.subscribe(() => { throw new Error('a broken view'); });
    gate.subscribe((s) => heard.push(s.state));
    expect(gate.stop('estop', 'Esc pressed')).toBe(true); // the caller publishes zero next
    expect(heard).toEqual(['stopped']);
    expect(gate.filter({ linear: [1, 0, 0], angular: [0, 0, 0] })).toEqual(ZERO_TWIST);
    error.mockRestore();
  });
});
