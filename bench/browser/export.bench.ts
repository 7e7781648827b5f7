/**
 * Export benchmarks in headless Chromium against the production build:
 * - HAMSTER zip export of a 2 GB dataset (2,000 stored 1 MB images, one labelled sample each),
 *   driven through the Export page and written to disk through the File System Access API (an OPFS
 *   file stands in for the save picker): throughput in MB/s of stored image data, and JS heap
 *   growth over the export (CDP `Performance.getMetrics` → JSHeapUsedSize, sampled every 100 ms,
 *   minus the heap after a forced GC before the click);
 * - project backup of the same database: throughput and heap growth.
 * EXPORT_BENCH_IMAGES=200 gives a short run.
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, chromiumPath } from '../../playwright.config';
import { report } from '../report';
import { baseUrl } from './browser';

const IMAGES = Number(process.env.EXPORT_BENCH_IMAGES ?? 2000);
const IMAGE_BYTES = 1 << 20;
const SEED_BATCH = 100;

/** Seeds the database straight through IndexedDB, SEED_BATCH images per call (bounded memory in the page). */
async function seed(page: Page, cdp: CDPSession): Promise<void> {
  for (let start = 0; start < IMAGES; start += SEED_BATCH) {
    await page.evaluate(async ({ start, end, size }) => {
      const open = indexedDB.open('path-studio');
      const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
      const base = new Uint8Array(size);
      for (let i = 0; i < size; i += 65536) crypto.getRandomValues(base.subarray(i, i + 65536));
      // Images share one Blob part (the browser keeps one copy in memory); IndexedDB still stores
      // each image as its own file.
      const shared = new Blob([base]);
      const path = { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'open' }, { x: 0.5, y: 0.4, gripper: 'closed' }, { x: 0.8, y: 0.7, gripper: 'open' }] };
      await new Promise<void>((res, rej) => {
        const tx = db.transaction(['datasets', 'assets', 'samples'], 'readwrite');
        tx.objectStore('datasets').put({ id: 'bench', name: 'Export bench', createdAt: 1, updatedAt: 1 });
        for (let i = start; i < end; i++) {
          // A distinct header per image: distinct content; the rest is random bytes (incompressible).
          const head = new TextEncoder().encode(`image-${i}-`);
          const blob = new Blob([head, shared.slice(head.length)], { type: 'image/jpeg' });
          const id = `asset${String(i).padStart(6, '0')}`;
          tx.objectStore('assets').put({ id, blob, mime: 'image/jpeg', size: blob.size, width: 1920, height: 1080, createdAt: 1 });
          tx.objectStore('samples').put({ id: `s${String(i).padStart(6, '0')}`, datasetId: 'bench', assetId: id, order: i, instruction: `pick the object number ${i}`, path, status: 'done', source: 'image', provenance: { fileName: `img${i}.jpg` }, createdAt: 1, updatedAt: 1 });
        }
        tx.oncomplete = () => res();
        tx.onerror = () => rej(tx.error);
      });
      db.close();
    }, { start, end: Math.min(IMAGES, start + SEED_BATCH), size: IMAGE_BYTES });
    // Let the page drop its Blob objects: the browser holds their bytes until they are collected.
    await cdp.send('HeapProfiler.collectGarbage');
    if (process.env.EXPORT_BENCH_VERBOSE) console.log(`seeded ${Math.min(IMAGES, start + SEED_BATCH)}`);
  }
}

async function heapUsed(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value;
}

/** Clicks `button`, waits for `done`, sampling the heap; returns seconds and the heap growth in bytes. */
async function measure(cdp: CDPSession, click: () => Promise<void>, done: () => Promise<void>): Promise<{ seconds: number; heapGrowth: number }> {
  await cdp.send('HeapProfiler.collectGarbage');
  const baseline = await heapUsed(cdp);
  let peak = baseline;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await heapUsed(cdp).catch(() => peak));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const t0 = Date.now();
  await click();
  await done();
  const seconds = (Date.now() - t0) / 1000;
  sampling = false;
  await sampler;
  return { seconds, heapGrowth: peak - baseline };
}

async function removeOpfs(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const dir = await navigator.storage.getDirectory();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for await (const name of (dir as any).keys()) await dir.removeEntry(name);
  });
}

async function main() {
  // A persistent profile: IndexedDB and the written file live on disk, as for a user (an
  // incognito-like context keeps both in memory).
  const profile = mkdtempSync(join(tmpdir(), 'ps-export-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, args: chromiumArgs, headless: true });
  try {
    await context.addInitScript('globalThis.__name = (f) => f;');
    await context.addInitScript(`window.showSaveFilePicker = async (o) => (await navigator.storage.getDirectory()).getFileHandle(o.suggestedName, { create: true });`);
    const page = await context.newPage();
    page.on('crash', () => console.error('the page crashed'));
    page.on('console', (m) => { if (m.type() === 'error') console.error(`page: ${m.text()}`); });
    await page.goto(`${baseUrl}/export`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const s0 = Date.now();
    await seed(page, cdp);
    console.log(`seeded ${IMAGES} images (${(IMAGES * IMAGE_BYTES) / 2 ** 20} MB) in ${((Date.now() - s0) / 1000).toFixed(1)} s`);
    const mb = (IMAGES * IMAGE_BYTES) / 2 ** 20;

    await page.goto(`${baseUrl}/export?dataset=bench`);
    await page.getByTestId('summary-train').filter({ hasText: String(IMAGES) }).waitFor({ timeout: 120_000 });
    const zip = await measure(cdp,
      () => page.getByRole('button', { name: 'Export HAMSTER zip' }).click(),
      () => page.getByRole('region', { name: 'Export a dataset' }).getByRole('status').filter({ hasText: 'Exported' }).waitFor({ timeout: 600_000 }));
    report({ metric: 'export.hamsterZip.throughput', value: +(mb / zip.seconds).toFixed(0), unit: 'MB/s', target: '≥ 100', note: `${mb} MB of stored images (${IMAGES} samples) in ${zip.seconds.toFixed(1)} s, IndexedDB → zip → disk (OPFS), click to done` });
    report({ metric: 'export.hamsterZip.heapGrowth', value: +(zip.heapGrowth / 2 ** 20).toFixed(1), unit: 'MB', target: '< 300', note: `peak JSHeapUsedSize − after-GC baseline, exporting ${mb} MB` });
    await removeOpfs(page);

    const backup = await measure(cdp,
      () => page.getByRole('button', { name: 'Back up project' }).click(),
      () => page.getByTestId('backup-message').filter({ hasText: 'Backup written' }).waitFor({ timeout: 600_000 }));
    report({ metric: 'export.backup.throughput', value: +(mb / backup.seconds).toFixed(0), unit: 'MB/s', note: `whole database (${mb} MB of blobs + records, SHA-256 of every entry) in ${backup.seconds.toFixed(1)} s` });
    report({ metric: 'export.backup.heapGrowth', value: +(backup.heapGrowth / 2 ** 20).toFixed(1), unit: 'MB', target: '< 300', note: 'peak JSHeapUsedSize − after-GC baseline' });
    await removeOpfs(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
