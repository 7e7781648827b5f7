/**
 * Default models under onnxruntime-node (native CPU), the side-by-side reference for the browser
 * figures in bench/browser/models.bench.ts, plus the studio's preprocessing cost per call.
 *   npx tsx bench/node/models.bench.ts
 */
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import { percentile, report, timeRuns } from '../report';
import { parseModelCard, type ModelCard } from '../../src/inference/modelCard';
import { plannerImageTensor, policyImageTensor, textTensor } from '../../src/inference/preprocess';

export const MODELS = ['planner', 'policy-overlay', 'policy-concat', 'policy-flat'] as const;
const RUNS = Number(process.env.MODELS_BENCH_RUNS ?? 200);

export function loadCard(dir: string): ModelCard {
  const parsed = parseModelCard(JSON.parse(readFileSync(`public/models/${dir}/card.json`, 'utf8')));
  if (!parsed.ok) throw new Error(`public/models/${dir}/card.json: ${parsed.error}`);
  return parsed.card;
}

/** p50 per call of `dir` under onnxruntime-node with `threads` intra-op threads. */
export async function nativeP50(dir: string, threads: number, runs = RUNS): Promise<number> {
  const card = loadCard(dir);
  const session = await ortNode.InferenceSession.create(`public/models/${dir}/model.onnx`, { intraOpNumThreads: threads, executionProviders: ['cpu'] });
  const feeds: Record<string, ortNode.Tensor> = {};
  for (const i of card.inputs) {
    const dims = i.shape.map((d) => d ?? 1);
    feeds[i.name] = new ortNode.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
  }
  for (let i = 0; i < 10; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return percentile(times, 50);
}

async function main() {
  for (const dir of MODELS) {
    for (const threads of [1, 2]) {
      const p50 = await nativeP50(dir, threads);
      report({ metric: `models.${dir}.native.${threads}t.p50`, value: +p50.toFixed(2), unit: 'ms', note: `onnxruntime-node CPU, ${threads} thread(s), ${RUNS} runs` });
    }
  }
  // Preprocessing (pure TS, the same code the browser runs) from a 256² camera frame.
  const frame = { width: 256, height: 256, data: new Uint8ClampedArray(256 * 256 * 4).map((_, i) => (i * 31) & 255) };
  const planner = loadCard('planner');
  const path = { initialGripper: 'open' as const, points: [{ x: 0.5, y: 0.25, gripper: 'open' as const }, { x: 0.7, y: 0.5, gripper: 'closed' as const }, { x: 0.4, y: 0.4, gripper: 'open' as const }] };
  report({ metric: 'models.preprocess.planner.p50', value: +percentile(timeRuns(() => { plannerImageTensor(frame, planner); textTensor('put the red cube on the white plate', planner); }, 200), 50).toFixed(3), unit: 'ms', note: 'resize + normalize + hashed-bow-v1, 256² frame' });
  for (const dir of ['policy-overlay', 'policy-concat'] as const) {
    const card = loadCard(dir);
    report({ metric: `models.preprocess.${dir}.p50`, value: +percentile(timeRuns(() => policyImageTensor(frame, path, card), 200), 50).toFixed(3), unit: 'ms', note: 'resize + HAMSTER path drawing + normalize, 256² frame' });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
