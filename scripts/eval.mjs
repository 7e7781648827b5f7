// `npm run eval -- --episodes N`: closed-loop evaluation of the default models against the sim.
// Starts the simulator and the built studio, drives the Live console in headless Chromium through
// its evaluation hooks (the same session, models and safety path an operator uses), runs seeded
// episodes per task on the training distribution and on the held-out split, and prints success
// rates for the hierarchical model (planner + path-conditioned policy) vs the flat baseline, per
// held-out axis, plus step-latency percentiles.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';

const ALL_TASKS = ['pick_place', 'press_button', 'knock_down']; // sim/src/scene/tasks.ts TASK_KINDS
// The policy each condition runs: hierarchical = planner + the policy a fresh profile's Live console
// activates (public/models/index.json marks it `default`); overlay = HAMSTER's drawn-path variant;
// flat = no path. By the card's conditioning; `null`: the default.
const CONDITIONING = { hierarchical: null, overlay: 'overlay', flat: 'none' };
const { values: a } = parseArgs({
  options: {
    episodes: { type: 'string', default: '5' },
    tasks: { type: 'string', default: ALL_TASKS.join(',') },
    splits: { type: 'string', default: 'train,heldout' },
    conditions: { type: 'string', default: 'hierarchical,flat' }, // or any of CONDITIONING
    'max-seconds': { type: 'string', default: '30' },
    // Scenes the default models never saw: training/reproduce_defaults.sh generates seeds 0…, 100000…,
    // 200000… (train) and 900000… (held-out); the previous base (100000) replayed training scenes.
    'seed-base': { type: 'string', default: '700000' },
    'sim-port': { type: 'string', default: '9198' },
    'web-port': { type: 'string', default: '4189' },
    'no-build': { type: 'boolean', default: false },
    'with-3d': { type: 'boolean', default: false },
    out: { type: 'string', default: 'test-results/eval.json' },
  },
});
const N = Number(a.episodes), tasks = a.tasks.split(','), splits = a.splits.split(','), conditions = a.conditions.split(',');
for (const t of tasks) if (!ALL_TASKS.includes(t)) throw new Error(`unknown task ${t}; use ${ALL_TASKS.join(', ')}`);
for (const c of conditions) if (!(c in CONDITIONING)) throw new Error(`unknown condition ${c}; use ${Object.keys(CONDITIONING).join(', ')}`);
const simPort = Number(a['sim-port']), webPort = Number(a['web-port']);
const outDir = `.e2e-dist/eval-${webPort}`;
const children = [];

function start(name, cmd, args, readyText) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${log}`)), 120_000);
    const onData = (d) => {
      log += d;
      if (log.includes(readyText)) { clearTimeout(timer); resolve(child); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}):\n${log}`)); });
  });
}

function cleanup() {
  for (const c of children) {
    try { process.kill(-c.pid, 'SIGTERM'); } catch { /* gone */ }
  }
}
process.on('SIGINT', () => { cleanup(); process.exit(130); });

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
/** Which held-out axes an instruction uses (docs/SIM.md: colours purple/brown, shape block, phrasings). */
function heldoutAxes(instruction) {
  const axes = [];
  if (/\b(purple|brown)\b/.test(instruction)) axes.push('colour');
  if (/\bblock\b/.test(instruction)) axes.push('shape');
  if (/^(grab|hit|tip over)\b/.test(instruction)) axes.push('phrasing');
  return axes;
}

try {
  if (!a['no-build']) {
    console.log('building the studio…');
    // The eval drives the Live console through its automation objects (src/app/automation.ts).
    const b = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { stdio: 'inherit', env: { ...process.env, VITE_PATH_STUDIO_AUTOMATION: '1' } });
    if (b.status !== 0) throw new Error('build failed');
  }
  await start('sim', 'npx', ['tsx', 'sim/src/main.ts', '--port', String(simPort), '--host', '127.0.0.1'], 'rosbridge v2 on');
  await start('studio', 'npx', ['vite', 'preview', '--outDir', outDir, '--port', String(webPort), '--strictPort'], 'http');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // No 3D view during the evaluation: software WebGL would take CPU from the control loop.
  if (!a['with-3d']) await page.addInitScript(() => localStorage.setItem('path-studio.live.3d', 'off'));
  page.on('pageerror', (e) => console.error('[page]', e.message));
  await page.goto(`http://localhost:${webPort}/live`);
  await page.getByLabel('rosbridge URL').fill(`ws://localhost:${simPort}`);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByTestId('link-status').and(page.locator('[data-state=connected]')).waitFor({ timeout: 60_000 });
  const models = await page.evaluate(() => window.__pathStudioEval.models());
  const policyFor = (cond) => models.find((m) => m.role === 'policy' && (CONDITIONING[cond] === null ? m.active : m.conditioning === CONDITIONING[cond]));
  const results = [];
  for (const cond of conditions) {
    const policy = policyFor(cond);
    if (!policy) throw new Error(`no ${cond} policy among the stored models: ${models.map((m) => m.name).join(', ')} (the default models live in public/models/)`);
    for (const split of splits) for (const task of tasks) for (let i = 0; i < N; i++) {
      // Seeds by the task's place in the full list, so a run of some tasks replays the same scenes.
      const seed = Number(a['seed-base']) + (split === 'heldout' ? 50_000 : 0) + ALL_TASKS.indexOf(task) * 1000 + i;
      const r = await page.evaluate((req) => window.__pathStudioEval.runEpisode(req), { seed, task, split, policyId: policy.id, usePlanner: cond !== 'flat', maxSeconds: Number(a['max-seconds']) });
      const row = { condition: cond, policy: policy.name, split, task, seed, axes: split === 'heldout' ? heldoutAxes(r.instruction) : [], ...r };
      results.push(row);
      console.log(`${cond.padEnd(12)} ${split.padEnd(7)} ${task.padEnd(12)} seed ${seed}  ${r.success ? 'SUCCESS' : 'fail   '}  ${r.steps} steps ${r.seconds.toFixed(1)} s  p50 ${pct(r.stepLatencyMs, 50).toFixed(1)} ms  "${r.instruction}"`);
    }
  }
  await browser.close();

  // ---- report ----
  const rate = (rows) => (rows.length ? `${((100 * rows.filter((r) => r.success).length) / rows.length).toFixed(0)}% (${rows.filter((r) => r.success).length}/${rows.length})` : '—');
  console.log('\nSuccess rates');
  console.log(['', ...conditions].map((c) => c.padEnd(28)).join(''));
  const groups = [['in distribution', (r) => r.split === 'train'], ['held-out (all)', (r) => r.split === 'heldout']];
  for (const t of tasks) groups.push([`  train ${t}`, (r) => r.split === 'train' && r.task === t]);
  for (const t of tasks) groups.push([`  held-out ${t}`, (r) => r.split === 'heldout' && r.task === t]);
  for (const axis of ['colour', 'shape', 'phrasing']) groups.push([`  held-out axis ${axis}`, (r) => r.split === 'heldout' && r.axes.includes(axis)]);
  for (const [label, f] of groups) console.log([label, ...conditions.map((c) => rate(results.filter((r) => r.condition === c && f(r))))].map((x) => x.padEnd(28)).join(''));
  const lat = results.flatMap((r) => r.stepLatencyMs), pol = results.flatMap((r) => r.policyMs), dec = results.flatMap((r) => r.decodeMs);
  console.log(`\nStep latency (frame received → command sent) over ${lat.length} steps: p50 ${pct(lat, 50).toFixed(1)} ms, p90 ${pct(lat, 90).toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`);
  console.log(`Policy inference: p50 ${pct(pol, 50).toFixed(1)} ms, p99 ${pct(pol, 99).toFixed(1)} ms (backend ${[...new Set(results.map((r) => r.backend))].join('/')})`);
  console.log(`Frame decode (JPEG → RGBA): p50 ${pct(dec, 50).toFixed(1)} ms, p99 ${pct(dec, 99).toFixed(1)} ms`);
  console.log(`Dropped control steps: ${results.reduce((s, r) => s + r.droppedSteps, 0)} of ${results.reduce((s, r) => s + r.steps + r.droppedSteps, 0)}; dropped frames: ${results.reduce((s, r) => s + r.droppedFrames, 0)}; steps sent from the last chunk while the camera was late: ${results.reduce((s, r) => s + (r.chunkSteps ?? 0), 0)}`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync(a.out, JSON.stringify({ args: a, results }, null, 1));
  console.log(`Per-episode results: ${a.out}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  cleanup();
}
