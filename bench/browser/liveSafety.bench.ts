/**
 * Live safety figures (issue: nothing moves when it shouldn't), through the built app in Chromium:
 * - freeze/kill cycles of the simulator process mid-teleop (SIGSTOP + SIGCONT on even cycles,
 *   SIGKILL + restart on odd ones): the longest robot silence at which a motion command still went
 *   out, the arm's motion after a resume, and whether every recording was kept;
 * - a hostile rosbridge peer process flooding the console (malformed JSON, 5 MiB and 50 MB frames,
 *   png and fragment messages, a 3600 MP JPEG header): the longest main-thread task meanwhile, and
 *   the JS heap after it disconnects against the heap before it connected (both after a GC).
 */
import type { Page } from '@playwright/test';
import { startHostilePeer } from '../../src/testing/hostilePeerProcess';
import { startSim } from '../../src/testing/simProcess';
import { cpuTimes, percentile, report, stealPercent } from '../report';
import { baseUrl, launchChromium, newBenchContext, openLiveConsole } from './browser';

const SIM_PORT = Number(process.env.LIVE_BENCH_SIM_PORT ?? 9199);
const CYCLES = Number(process.env.LIVE_SAFETY_CYCLES ?? 20);
const FLOOD_S = Number(process.env.LIVE_SAFETY_FLOOD_S ?? 15);
const r1 = (v: number) => +v.toFixed(1);

const counters = (page: Page) => page.evaluate(() => ({ ...window.__pathStudioLive!.link!.counters }));
const ee = (page: Page) => page.evaluate(() => [...window.__pathStudioLive!.state.ee!]);
const status = (page: Page, testId: string, attr: string, value: string, timeout = 60_000) =>
  page.locator(`[data-testid=${testId}][${attr}=${value}]`).waitFor({ timeout });

async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await page.waitForTimeout(300);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

const browser = await launchChromium();
let sim = await startSim(SIM_PORT, 1);
try {
  const context = await newBenchContext(browser);
  const page = await openLiveConsole(context, `ws://localhost:${SIM_PORT}`);
  await page.getByTestId('camera-info').filter({ hasText: 'fps' }).waitFor({ timeout: 60_000 });

  const stopShownMs: number[] = [], movedMm: number[] = [];
  let freezes = 0, kills = 0;
  for (let i = 0; i < CYCLES; i++) {
    await page.getByTestId('start-teleop').click();
    await status(page, 'safety-status', 'data-state', 'running');
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const key = i % 4 < 2 ? 'KeyW' : 'KeyS';
    await page.keyboard.down(key);
    await page.waitForTimeout(600);
    if (i % 2 === 0) {
      freezes++;
      const frozenAt = Date.now();
      sim.signal('SIGSTOP');
      await status(page, 'safety-status', 'data-state', 'stopped', 10_000);
      stopShownMs.push(Date.now() - frozenAt);
      await page.waitForTimeout(600);
      const before = (await counters(page)).received;
      sim.signal('SIGCONT');
      while ((await counters(page)).received < before + 5) await page.waitForTimeout(50);
      const p1 = await ee(page);
      await page.waitForTimeout(1000);
      const p2 = await ee(page);
      movedMm.push(1000 * Math.hypot(p2[0] - p1[0], p2[1] - p1[1], p2[2] - p1[2]));
      await page.keyboard.up(key);
    } else {
      kills++;
      await sim.kill();
      await status(page, 'safety-status', 'data-state', 'stopped', 10_000);
      await page.keyboard.up(key);
      sim = await startSim(SIM_PORT, i);
      await status(page, 'link-status', 'data-state', 'connected');
      await page.getByTestId('camera-info').filter({ hasText: 'fps' }).waitFor({ timeout: 60_000 });
    }
  }
  // The console's panel lists the last six; the recordings themselves are read from IndexedDB.
  const stored = () => page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = await new Promise<{ data: { mode?: string; status?: string } }[]>((res) => { const r = db.transaction('episodes').objectStore('episodes').getAll(); r.onsuccess = () => res(r.result); });
    db.close();
    const teleop = all.filter((e) => e.data.mode === 'teleop');
    return { recorded: teleop.length, incomplete: teleop.filter((e) => e.data.status !== 'complete').length };
  });
  for (let t = 0; t < 150 && (await stored()).recorded < CYCLES; t++) await page.waitForTimeout(100);
  for (let t = 0; t < 150 && (await stored()).incomplete > 0; t++) await page.waitForTimeout(100);
  const { recorded, incomplete } = await stored();
  const c = await counters(page);
  report({ metric: 'live.safety.motionAfterLastMessage.max', value: r1(c.maxSilenceAtMotionMs), unit: 'ms', target: '≤ 250 ms', note: `longest robot silence at which a motion command still went out, over ${CYCLES} cycles (${freezes} SIGSTOP/SIGCONT, ${kills} SIGKILL/restart) mid-teleop; ${c.withheldMotion} motion commands withheld` });
  report({ metric: 'live.safety.armMotionAfterResume.max', value: +Math.max(...movedMm).toFixed(3), unit: 'mm', target: '≤ 1 mm', note: `the arm's motion in the second after each SIGCONT (key still held); all: ${movedMm.map((v) => v.toFixed(2)).join(', ')} mm` });
  report({ metric: 'live.safety.recordingsKept', value: recorded, unit: `of ${CYCLES}`, target: `${CYCLES}`, note: `teleop recordings in IndexedDB after the cycles; ${incomplete} not complete` });
  report({ metric: 'live.safety.freezeStopShown.median', value: Math.round(percentile(stopShownMs, 50)), unit: 'ms', note: `SIGSTOP → the console shows "Stopped" (silenceStopMs 1000 + detection); max ${Math.round(Math.max(...stopShownMs))} ms` });
  await page.close();
  await sim.kill('SIGTERM'); // the flood below has the machine to itself

  // A hostile peer floods a fresh console; nothing else runs in the page. Then again with a 50 MB
  // frame on each connection (the socket's worker needs seconds to take one in, so the link sees
  // silence, drops and reconnects, and gets another).
  // First the same peer with its hostile rounds off (valid joint states only): the page's own long
  // tasks on this machine, against which the flood's are read.
  for (const mode of ['quiet', 'flood', 'flood50MB'] as const) {
    const huge = mode === 'flood50MB';
    const peer = await startHostilePeer({ huge, intervalMs: 250, rounds: mode === 'quiet' ? 0 : undefined });
    try {
      const flooded = await context.newPage();
      await flooded.goto(`${baseUrl}/live`);
      await flooded.getByLabel('rosbridge URL').waitFor();
      await flooded.waitForTimeout(2000);
      const before = await heapAfterGc(flooded);
      await flooded.evaluate(() => {
        const w = window as unknown as { __longTasks: number[] };
        w.__longTasks = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longTasks.push(e.duration); }).observe({ type: 'longtask' });
      });
      const cpu0 = cpuTimes();
      await flooded.getByLabel('rosbridge URL').fill(peer.url);
      await flooded.getByRole('button', { name: 'Connect' }).click();
      await status(flooded, 'link-status', 'data-state', 'connected');
      await flooded.waitForTimeout(FLOOD_S * 1000);
      const during = await counters(flooded);
      const steal = stealPercent(cpu0);
      await flooded.getByRole('button', { name: 'Disconnect' }).click();
      await status(flooded, 'link-status', 'data-state', 'closed');
      await flooded.waitForTimeout(1000);
      const longTasks = await flooded.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
      const after = await heapAfterGc(flooded);
      const name = { quiet: 'live.quietPeer', flood: 'live.hostile', flood50MB: 'live.hostile50MB' }[mode];
      const what = {
        quiet: 'a well-behaved peer (joint states at 20 Hz; the baseline)',
        flood: 'a hostile peer process (4 rounds/s: malformed JSON and CBOR, a 5 MiB frame, a png bomb, 3 unfinished fragments, a 3600 MP JPEG header)',
        flood50MB: 'the same flood plus a 50 MB frame on each connection',
      }[mode];
      report({ metric: `${name}.longestTask`, value: r1(Math.max(0, ...longTasks)), unit: 'ms', target: mode === 'flood' ? '< 100 ms' : '', note: `main-thread tasks ≥ 50 ms during ${FLOOD_S} s of ${what}: ${longTasks.length} long tasks, total ${r1(longTasks.reduce((a, b) => a + b, 0))} ms; link counted ${during.malformed} malformed or refused, ${during.oversized} oversized, ${during.received} received; host steal ${r1(steal)} %` });
      report({ metric: `${name}.heapAfterDisconnect`, value: r1((after - before) / 1e6), unit: 'MB', target: '≈ 0 (baseline)', note: `JS heap after disconnect minus before connect, both after a GC: ${r1(before / 1e6)} → ${r1(after / 1e6)} MB` });
      await flooded.close();
    } finally {
      await peer.stop();
    }
  }
  await context.close();
} finally {
  await browser.close();
  await sim.kill('SIGTERM');
}
