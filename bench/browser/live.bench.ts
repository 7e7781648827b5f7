/**
 * Live console figures against the real simulator: step latency (frame received → command sent)
 * of the hierarchical model at its control rate with the default models (WASM), dropped steps,
 * policy inference time, and the 3D view's frame rate while the camera streams and the arm moves.
 */
import { spawn } from 'node:child_process';
import { report } from '../report';
import { baseUrl, launchChromium, newBenchContext } from './browser';

const SIM_PORT = Number(process.env.LIVE_BENCH_SIM_PORT ?? 9197);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] : NaN;
};

const sim = spawn('npx', ['tsx', 'sim/src/main.ts', '--port', String(SIM_PORT), '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
await new Promise<void>((resolve, reject) => {
  let log = '';
  const timer = setTimeout(() => reject(new Error(`sim did not start:\n${log}`)), 60_000);
  const on = (d: Buffer) => { log += d; if (log.includes('rosbridge v2 on')) { clearTimeout(timer); resolve(); } };
  sim.stdout!.on('data', on);
  sim.stderr!.on('data', on);
});

const browser = await launchChromium();
try {
  const context = await newBenchContext(browser);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/live`);
  await page.getByLabel('rosbridge URL').fill(`ws://localhost:${SIM_PORT}`);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('[data-testid=link-status][data-state=connected]').waitFor({ timeout: 60_000 });
  await page.getByTestId('urdf-status').filter({ hasText: 'joints' }).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(2000);

  // The 3D view while the camera streams (15 Hz) and the arm is still.
  const idle = await page.evaluate(() => new Promise<number>((resolve) => { let n = 0; const t0 = performance.now(); const f = () => { n++; if (performance.now() - t0 < 3000) requestAnimationFrame(f); else resolve((n * 1000) / (performance.now() - t0)); }; requestAnimationFrame(f); }));
  report({ metric: 'live.viewer3d.fps.streaming', value: +idle.toFixed(1), unit: 'fps', target: '60 fps', note: 'animation frames/s with the camera streaming (software WebGL, shared CPU)' });

  // The model run without the 3D view: software WebGL competes with the loop for the 2 cores.
  await page.getByRole('button', { name: 'Hide' }).click();
  const models = await page.evaluate(() => window.__pathStudioEval!.models());
  const overlay = models.find((m) => m.role === 'policy' && m.conditioning === 'overlay');
  if (!overlay) throw new Error('no overlay policy among the default models');
  const r = await page.evaluate((policyId) => window.__pathStudioEval!.runEpisode({ seed: 4242, task: 'pick_place', split: 'train', policyId, usePlanner: true, maxSeconds: 20 }), overlay.id);
  report({ metric: 'live.step.latency.p50', value: +pct(r.stepLatencyMs, 50).toFixed(2), unit: 'ms', target: '≤ 20 ms', note: `${r.steps} steps at 10 Hz, ${r.backend}, frame received → command sent` });
  report({ metric: 'live.step.latency.p99', value: +pct(r.stepLatencyMs, 99).toFixed(2), unit: 'ms', target: '≤ 50 ms' });
  report({ metric: 'live.policy.inference.p50', value: +pct(r.policyMs, 50).toFixed(2), unit: 'ms', note: 'inference worker round trip incl. preprocessing' });
  report({ metric: 'live.frame.decode.p50', value: +pct(r.decodeMs, 50).toFixed(2), unit: 'ms', note: 'JPEG → RGBA (createImageBitmap + canvas)' });
  report({ metric: 'live.steps.dropped', value: r.droppedSteps, unit: 'steps', target: '0', note: `of ${r.steps}; frames dropped ${r.droppedFrames}` });
  report({ metric: 'live.command.rate', value: +(r.steps / r.seconds).toFixed(2), unit: 'Hz', target: '10 Hz' });
  report({ metric: 'live.planner.latency', value: +r.plannerMs.toFixed(1), unit: 'ms', note: 'first plan of the run (never blocks a step)' });
  await context.close();
} finally {
  await browser.close();
  try { process.kill(-sim.pid!, 'SIGTERM'); } catch { /* gone */ }
}
