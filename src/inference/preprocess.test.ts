import { describe, expect, it } from 'vitest';
import { encodeText, encodeTextRgb } from '../core/textEncoding';
import { parseModelCard, type ModelCard } from './modelCard';
import { plannerCard } from '../testing/testCards';
import { plannerImageTensor, plannerOutputToPath, policyImageTensor, resizeBilinearRgb, textTensor } from './preprocess';
import { LatencyStats } from './latencyStats';

const card = (parseModelCard(plannerCard()) as { ok: true; card: ModelCard }).card;
function image(w: number, h: number, f: (x: number, y: number) => [number, number, number]) {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([...f(x, y), 255], (y * w + x) * 4);
  return { width: w, height: h, data };
}

describe('preprocessing', () => {
  it('resizes bilinearly with half-pixel centres (identity, and 2x2 means when halving)', () => {
    const img = image(8, 8, (x, y) => [x * 10, y * 10, 7]);
    expect(Array.from(resizeBilinearRgb(img, 8, 8)).filter((_, i) => i % 3 === 0).slice(0, 8)).toEqual([0, 10, 20, 30, 40, 50, 60, 70]);
    const half = resizeBilinearRgb(img, 4, 4);
    expect(half[0]).toBeCloseTo(5); // mean of x = 0 and 10
    expect(half[1]).toBeCloseTo(5);
    expect(half[2]).toBeCloseTo(7);
  });

  it('normalizes into a planar [1,3,H,W] tensor', () => {
    const t = plannerImageTensor(image(64, 64, () => [255, 0, 128]), card);
    expect(t.dims).toEqual([1, 3, 64, 64]);
    expect(t.data[0]).toBeCloseTo((1 - 0.5) / 0.25);
    expect(t.data[64 * 64]).toBeCloseTo(-2);
    expect(t.data[2 * 64 * 64]).toBeCloseTo((128 / 255 - 0.5) / 0.25);
  });

  it('encodes the instruction with hashed-bow-v1 at the card dimension', () => {
    expect(Array.from(textTensor('Pick up the red block', card).data)).toEqual(Array.from(encodeText('Pick up the red block', 256)));
  });

  it('encodes the instruction with the card\'s encoding', () => {
    const rgbCard = { ...card, text: { input: 'text', encoding: 'hashed-bow-rgb-v1' as const, dim: 64 } };
    const t = textTensor('press the purple button', rgbCard);
    expect(t.dims).toEqual([1, 64]);
    expect(Array.from(t.data)).toEqual(Array.from(encodeTextRgb('press the purple button', 64)));
  });

  it('draws the path for overlay and concat policies', () => {
    const path = { initialGripper: 'open' as const, points: [{ x: 0.2, y: 0.2, gripper: 'open' as const }, { x: 0.8, y: 0.8, gripper: 'closed' as const }] };
    const grey = image(32, 32, () => [100, 100, 100]);
    const policy = (cond: 'overlay' | 'concat' | 'none', c: number) => ({ ...card, role: 'policy' as const, conditioning: cond, image: { ...card.image, mean: Array(c).fill(0), std: Array(c).fill(1) } });
    const overlay = policyImageTensor(grey, path, policy('overlay', 3));
    expect(overlay.dims).toEqual([1, 3, 64, 64]);
    expect(new Set(overlay.data).size).toBeGreaterThan(2);
    const concat = policyImageTensor(grey, path, policy('concat', 6));
    expect(concat.dims).toEqual([1, 6, 64, 64]);
    const extra = concat.data.subarray(3 * 64 * 64);
    expect(extra.some((v) => v > 0)).toBe(true);
    expect(extra.filter((v) => v > 0).length).toBeLessThan(64 * 64);
    const flat = policyImageTensor(grey, path, policy('none', 3));
    expect(new Set(flat.data).size).toBe(1);
  });

  it('turns planner outputs into a thresholded, simplified path', () => {
    const k = 8;
    const points = new Float32Array(2 * k), gripper = new Float32Array(k);
    for (let i = 0; i < k; i++) {
      points[2 * i] = 0.1 + 0.1 * i;
      points[2 * i + 1] = 1.05; // a little overshoot: clamped
      gripper[i] = i >= 4 ? 0.9 : 0.1;
    }
    const path = plannerOutputToPath(points, gripper, card);
    expect(path.points.map((p) => p.gripper)).toEqual(['open', 'closed', 'closed']);
    expect(path.points.every((p) => p.y === 1)).toBe(true);
    expect(() => plannerOutputToPath(new Float32Array(3), new Float32Array(2), card)).toThrow(/mismatch/);
    // Far outside the image, or not a number: refused, never clamped into a plausible corner.
    expect(() => plannerOutputToPath(new Float32Array([0.5, 1.2]), new Float32Array(1), card)).toThrow(/point 0 y = 1\.200, outside the image/);
    expect(() => plannerOutputToPath(new Float32Array([NaN, 0.5]), new Float32Array(1), card)).toThrow(/point 0 x = NaN: not a number/);
  });
});

describe('LatencyStats', () => {
  it('reports p50/p95 over a rolling window', () => {
    const s = new LatencyStats(100);
    expect(s.summary()).toBeNull();
    for (let i = 1; i <= 200; i++) s.add(i);
    const sum = s.summary()!;
    expect(sum.count).toBe(200);
    // 101…200 kept; nearest rank, the same rule as every other figure (src/core/percentile.ts).
    expect(sum.p50).toBe(150);
    expect(sum.p95).toBe(195);
    expect(sum.last).toBe(200);
  });
});
