/**
 * Benchmarks of the pure path core: `npx tsx bench/node/core.bench.ts`.
 * Prints `BENCH {json}` lines through bench/report.ts.
 */
import { percentile, report, timeRuns } from '../report';
import { formatPath, parsePath } from '../../src/core/codec';
import { drawPathOverlay, renderPathOverlay } from '../../src/core/overlay';
import type { GripperState, Path } from '../../src/core/path';
import { createRgbaImage } from '../../src/core/raster';

/** Deterministic pseudo-random numbers, so every run parses and draws the same inputs. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomPath(next: () => number): Path {
  const count = 2 + Math.floor(next() * 7);
  let gripper: GripperState = 'open';
  const points = Array.from({ length: count }, () => {
    if (next() < 0.3) gripper = gripper === 'open' ? 'closed' : 'open';
    return { x: next(), y: next(), gripper };
  });
  return { initialGripper: 'open', points };
}

/** A mix of clean answers and the messy shapes real models produce. */
function answers(count: number): string[] {
  const next = rng(1);
  return Array.from({ length: count }, (_, i) => {
    const clean = formatPath(randomPath(next), { decimals: 2 + (i % 2) });
    switch (i % 5) {
      case 0:
        return clean;
      case 1:
        return `Sure, here is the trajectory:\n${clean}\nHope this helps.`;
      case 2:
        return clean.replace(/<\/?ans>/g, ''); // missing tags
      case 3:
        return clean.slice(0, Math.floor(clean.length * 0.8)); // truncated
      default:
        return clean.toLowerCase().replace(/, /g, ',');
    }
  });
}

function benchCodec(): void {
  const inputs = answers(10_000);
  let parsed = 0;
  const runs = timeRuns(() => {
    parsed = 0;
    for (const text of inputs) if (parsePath(text).ok) parsed++;
  }, 10);
  const ms = percentile(runs, 50);
  report({ metric: 'codec.parse.10k', value: round(ms), unit: 'ms', note: `median of 10 runs; ${parsed}/10000 parsed ok` });
  report({ metric: 'codec.parse.rate', value: Math.round(10_000 / (ms / 1000)), unit: 'answers/s' });
}

function benchOverlay(size: number): void {
  const path = randomPath(rng(size));
  const image = createRgbaImage(size, size, [90, 90, 90]);
  const target = { width: size, height: size, data: new Uint8ClampedArray(image.data) };
  const goal = size === 1024 ? '< 5 ms' : undefined;

  // Drawing only, into a reused buffer (what a live view or exporter loop does).
  const inPlace = timeRuns(() => drawPathOverlay(target, path), 300, 20);
  report({ metric: `overlay.draw.${size}.p50`, value: round(percentile(inPlace, 50)), unit: 'ms', target: goal, note: 'in place' });
  report({ metric: `overlay.draw.${size}.p95`, value: round(percentile(inPlace, 95)), unit: 'ms', target: goal, note: 'in place' });

  // A fresh frame each time: copy of the image (overlay) or a new black frame (concat).
  for (const mode of ['overlay', 'concat'] as const) {
    const fresh = timeRuns(() => renderPathOverlay(image, path, mode), 100, 10);
    report({ metric: `overlay.render.${mode}.${size}.p50`, value: round(percentile(fresh, 50)), unit: 'ms', target: goal, note: 'allocates the output frame' });
    report({ metric: `overlay.render.${mode}.${size}.p95`, value: round(percentile(fresh, 95)), unit: 'ms', target: goal, note: 'allocates the output frame' });
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000;

benchCodec();
benchOverlay(512);
benchOverlay(1024);
