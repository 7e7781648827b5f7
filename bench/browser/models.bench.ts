/**
 * Inference in headless Chromium against the production build: the default planner and policy
 * through the studio's runtime (worker + client, round trip per call, zero inputs), with 1 and 2
 * WASM threads (the page must be cross-origin isolated) and with the app's own thread rule, side
 * by side with onnxruntime-node on the same models — the browser/native ratio is the figure to
 * drive down. The cold start is bench/browser/firstSuggest.bench.ts.
 * Assumes the preview server of `npm run bench` (BENCH_BASE_URL).
 */
import { percentile, report } from '../report';
import { defaultPolicyDir } from '../../sim/src/policyDriver';
import { loadCard, nativeP50 } from '../node/models.bench';
import { baseUrl, launchChromium, newBenchContext } from './browser';

const RUNS = Number(process.env.MODELS_BENCH_RUNS ?? 100);
const TARGET = { planner: '≤ 30 ms p50 (WASM)', policy: '≤ 10 ms p50 (WASM)' };

interface Hook { time(role: string, n: number): Promise<number[]>; runP50(role: string): number | null; backend(role: string): string | null }

const POLICY = defaultPolicyDir(); // what Live runs in a fresh profile
const browser = await launchChromium();

/** Round-trip times of the active planner and policy in a fresh profile whose runtime uses `threads` WASM threads (unset: the app's rule). */
async function measure(threads: number | null) {
  const context = await newBenchContext(browser);
  if (threads) await context.addInitScript(`localStorage.setItem('path-studio.inferenceThreads', '${threads}')`);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/models`);
  await page.getByTestId('active-planner').getByText('path-studio-planner').waitFor({ timeout: 120_000 });
  await page.getByTestId('active-policy').getByText(loadCard(POLICY).name).waitFor({ timeout: 120_000 });
  const isolated = await page.evaluate(() => crossOriginIsolated);
  if (!isolated) throw new Error('the preview page is not cross-origin isolated (COOP/COEP headers missing): WASM threads are impossible');
  const out: Record<'planner' | 'policy', { times: number[]; inWorker: number | null; backend: string | null }> = { planner: { times: [], inWorker: null, backend: null }, policy: { times: [], inWorker: null, backend: null } };
  for (const role of ['planner', 'policy'] as const) {
    out[role] = await page.evaluate(async ({ role, RUNS }) => {
      const hook = (globalThis as unknown as { __pathStudioInference: Hook }).__pathStudioInference;
      await hook.time(role, 5);
      return { times: await hook.time(role, RUNS), inWorker: hook.runP50(role), backend: hook.backend(role) };
    }, { role, RUNS });
  }
  await context.close();
  return out;
}

try {
  // 1 and 2 WASM threads alternate (twice each) so that a change in the machine's load hits both.
  const byThreads = new Map<number, Record<'planner' | 'policy', number[]>>();
  const inWorker = new Map<string, number[]>(); // `${role}.${threads}` → session.run p50 per context
  let backend: Record<string, string | null> = {};
  for (const threads of [1, 2, 1, 2]) {
    const m = await measure(threads);
    const acc = byThreads.get(threads) ?? { planner: [], policy: [] };
    acc.planner.push(...m.planner.times);
    acc.policy.push(...m.policy.times);
    byThreads.set(threads, acc);
    for (const role of ['planner', 'policy'] as const) inWorker.set(`${role}.${threads}`, [...(inWorker.get(`${role}.${threads}`) ?? []), m[role].inWorker ?? NaN]);
    if (!m.planner.backend?.includes(`WASM, ${threads} thread`))
      throw new Error(`asked for ${threads} WASM thread(s), the runtime reports: ${m.planner.backend}`);
    backend = { planner: m.planner.backend, policy: m.policy.backend };
  }
  for (const role of ['planner', 'policy'] as const) {
    const model = role === 'planner' ? 'planner' : POLICY; // the defaults
    const native = { 1: await nativeP50(model, 1), 2: await nativeP50(model, 2) };
    for (const threads of [1, 2] as const) {
      const times = byThreads.get(threads)![role];
      const p50 = percentile(times, 50);
      report({ metric: `models.${model}.browser.${threads}t.p50`, value: +p50.toFixed(2), unit: 'ms', target: TARGET[role], note: `WASM ${threads} thread(s), cross-origin isolated; p95 ${percentile(times, 95).toFixed(2)} ms; ${times.length} runs, worker round trip` });
      const run = percentile(inWorker.get(`${role}.${threads}`)!, 50);
      report({ metric: `models.${model}.browserOverNative.${threads}t`, value: +(p50 / native[threads]).toFixed(2), unit: '×', note: `onnxruntime-node ${threads} thread(s) p50 ${native[threads].toFixed(2)} ms; session.run alone in the worker p50 ${run.toFixed(2)} ms (${(run / native[threads]).toFixed(1)}× native), the rest is messaging` });
    }
  }
  console.log(`backend as reported (last run): ${JSON.stringify(backend)}`);

  // The app's own rule, as a person gets it.
  const rule = await measure(null);
  report({ metric: 'models.planner.browser.p50', value: +percentile(rule.planner.times, 50).toFixed(2), unit: 'ms', target: TARGET.planner, note: `${rule.planner.backend}` });
  report({ metric: `models.${POLICY}.browser.p50`, value: +percentile(rule.policy.times, 50).toFixed(2), unit: 'ms', target: TARGET.policy, note: `${rule.policy.backend}` });
  report({ metric: 'models.webgpu', value: NaN, unit: '', note: 'no GPU on this machine: only SwiftShader (a fallback adapter), so the runtime picks WASM; WebGPU figures need a real GPU (e2e/models.spec.ts forces WebGPU on SwiftShader for correctness)' });
} finally {
  await browser.close();
}
