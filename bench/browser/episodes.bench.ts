/**
 * Episode import benchmark in headless Chromium against the production build: a simulator
 * dataset of BENCH_EPISODES (default 200) episodes, picked as a folder and imported into samples
 * (calibration from metadata, one sample per episode), timed from the Import click to the result.
 * Memory: resident size of the whole Chromium process tree, sampled during the import; "flat"
 * means the growth between 20 % and 100 % of the episodes is small (frames are streamed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from '../report';
import { baseUrl, launchChromium, newBenchContext } from './browser';

const episodes = Number(process.env.BENCH_EPISODES ?? 200);

function simDataset(): string {
  // Generation is deterministic: reuse a dataset from an earlier run of the same size.
  const dir = join(tmpdir(), `ps-bench-sim-${episodes}-seed0`);
  if (!existsSync(join(dir, 'meta/info.json'))) {
    execFileSync('npx', ['tsx', 'sim/src/generate.ts', '--episodes', String(episodes), '--seed', '0', '--out', dir], { stdio: 'inherit' });
  }
  return dir;
}

/** Resident memory (MB) of a process and all its descendants. */
function treeRssMb(rootPid: number): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kb]) => [pid, kb]));
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total / 1024;
}

async function main() {
  const dir = simDataset();
  const info = JSON.parse(readFileSync(join(dir, 'meta/info.json'), 'utf8'));
  const browser = await launchChromium();
  const pid = (browser as unknown as { process?: () => { pid: number } | null }).process?.()?.pid
    ?? Number(execFileSync('pgrep', ['-n', '-f', 'chromium.*--remote-debugging-pipe'], { encoding: 'utf8' }).trim());
  try {
    const context = await newBenchContext(browser);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/import/episodes`);
    const tOpen = Date.now();
    await page.getByLabel('Dataset folder').setInputFiles(dir);
    await page.getByTestId('source-facts').waitFor({ timeout: 120_000 });
    const openSeconds = (Date.now() - tOpen) / 1000;
    await page.getByRole('button', { name: `Import ${episodes} episodes as samples` }).waitFor();

    const samples: { progress: number; mb: number }[] = [];
    const baseline = treeRssMb(pid);
    const t0 = Date.now();
    await page.getByRole('button', { name: `Import ${episodes} episodes as samples` }).click();
    const sampler = setInterval(async () => {
      const now = await page.getByRole('progressbar').first().getAttribute('aria-valuenow', { timeout: 200 }).catch(() => null);
      samples.push({ progress: Number(now ?? NaN) / episodes, mb: treeRssMb(pid) });
    }, 250);
    await page.getByTestId('import-result').waitFor({ timeout: 600_000 });
    const seconds = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    const peak = Math.max(...samples.map((s) => s.mb));
    samples.push({ progress: 1, mb: treeRssMb(pid) });
    const at = (p: number) => samples.find((s) => s.progress >= p)?.mb ?? NaN;
    report({ metric: 'episodes.import.sim', value: +seconds.toFixed(1), unit: 's', target: '< 120 (200 episodes, ~20k frames)', note: `${episodes} episodes, ${info.total_frames} frames, ${(episodes / seconds).toFixed(1)} episodes/s; opening the folder ${openSeconds.toFixed(1)} s; shared 2-core machine` });
    report({ metric: 'episodes.import.peakRss', value: +(peak - baseline).toFixed(0), unit: 'MB', note: `Chromium process tree above ${baseline.toFixed(0)} MB before the import` });
    report({ metric: 'episodes.import.rssGrowth20to100', value: +(at(1) - at(0.2)).toFixed(0), unit: 'MB', target: 'flat', note: `RSS at 20 % ${at(0.2).toFixed(0)} MB, at 100 % ${at(1).toFixed(0)} MB (includes the IndexedDB write cache)` });
    await context.close();
  } finally {
    await browser.close();
  }
}

await main();
