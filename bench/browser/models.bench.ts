/**
 * Inference in headless Chromium against the production build: the default planner and policies
 * through the studio's runtime (worker + client, round trip per call, WASM as the Models section
 * chooses it on this machine), side by side with onnxruntime-node on the same models — the
 * browser/native ratio is the figure to drive down. Also the cold start: a fresh profile opening
 * the Models section until the default planner has loaded and answered once.
 * Assumes the preview server of `npm run bench` (BENCH_BASE_URL).
 */
import { percentile, report } from '../report';
import { nativeP50 } from '../node/models.bench';
import { baseUrl, launchChromium, newBenchContext } from './browser';

const RUNS = Number(process.env.MODELS_BENCH_RUNS ?? 100);
const TARGET = { planner: '≤ 30 ms p50 (WASM)', policy: '≤ 10 ms p50 (WASM)' };

interface Hook { time(role: string, n: number): Promise<number[]>; backend(role: string): string | null }

const browser = await launchChromium();
try {
  const context = await newBenchContext(browser);
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`${baseUrl}/models`);
  await page.getByTestId('active-planner').getByText('path-studio-planner').waitFor({ timeout: 120_000 });
  const coldStart = Date.now() - t0;
  report({ metric: 'models.planner.coldStart', value: coldStart, unit: 'ms', target: '< 1000 (incl. model load)', note: 'fresh profile: open Models → default planner installed, loaded, warmed up' });
  await page.getByTestId('active-policy').getByText('path-studio-policy-overlay').waitFor({ timeout: 120_000 });

  for (const role of ['planner', 'policy'] as const) {
    const times = await page.evaluate(async ({ role, RUNS }) => {
      const hook = (globalThis as unknown as { __pathStudioInference: Hook }).__pathStudioInference;
      await hook.time(role, 5);
      return { times: await hook.time(role, RUNS), backend: hook.backend(role) };
    }, { role, RUNS });
    const p50 = percentile(times.times, 50);
    const model = role === 'planner' ? 'planner' : 'policy-overlay';
    const native = await nativeP50(model, 2);
    report({ metric: `models.${model}.browser.p50`, value: +p50.toFixed(2), unit: 'ms', target: TARGET[role], note: `${times.backend}; p95 ${percentile(times.times, 95).toFixed(2)} ms; ${RUNS} runs, worker round trip` });
    report({ metric: `models.${model}.browserOverNative`, value: +(p50 / native).toFixed(2), unit: '×', note: `onnxruntime-node 2 threads p50 ${native.toFixed(2)} ms` });
  }
  report({ metric: 'models.webgpu', value: NaN, unit: '', note: 'no GPU on this machine: only SwiftShader (a fallback adapter), so the runtime picks WASM; WebGPU figures need a real GPU' });
  await context.close();
} finally {
  await browser.close();
}
