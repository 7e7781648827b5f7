/**
 * Export benchmarks in headless Chromium against the production build:
 * - HAMSTER zip export of a 2 GB dataset (2,000 stored 1 MB images, one labelled sample each),
 *   driven through the Export page and written to disk through the File System Access API (an OPFS
 *   file stands in for the save picker): throughput in MB/s of stored image data, and JS heap
 *   growth over the export (CDP `Performance.getMetrics` → JSHeapUsedSize, sampled every 100 ms,
 *   minus the heap after a forced GC before the click);
 * - project backup of the same database: throughput and heap growth;
 * - in the same run, the export's I/O limits: the same Blobs read from IndexedDB alone (nothing
 *   else done with the bytes), and as many bytes as the zip holds written to the same kind of file
 *   alone (an OPFS file through `createWritable`, 4 MB blocks). `export.hamsterZip.ratioToIO` is the
 *   export's throughput over the slower of the two: 1 means the export runs at its I/O limit.
 * EXPORT_BENCH_IMAGES=200 gives a short run; EXPORT_BENCH_PROFILE=1 records a CPU profile of the
 * page (CDP Profiler) during the export and prints where its time went, and prints the CPU seconds
 * each Chromium process spent in each phase (from /proc: unlike wall time, this barely moves with
 * the load of a shared machine).
 */
import { chromium, type CDPSession, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
      // Each image's CRC-32, as ingest stores it (AssetRecord.crc32): the bytes are the head, then the base from head.length.
      const table = new Uint32Array(256).map((_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
      const crcOf = (parts: Uint8Array[]) => { let c = ~0; for (const p of parts) for (let i = 0; i < p.length; i++) c = table[(c ^ p[i]) & 0xff] ^ (c >>> 8); return ~c >>> 0; };
      const path = { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'open' }, { x: 0.5, y: 0.4, gripper: 'closed' }, { x: 0.8, y: 0.7, gripper: 'open' }] };
      await new Promise<void>((res, rej) => {
        const tx = db.transaction(['datasets', 'assets', 'samples'], 'readwrite');
        tx.objectStore('datasets').put({ id: 'bench', name: 'Export bench', createdAt: 1, updatedAt: 1 });
        for (let i = start; i < end; i++) {
          // A distinct header per image: distinct content; the rest is random bytes (incompressible).
          const head = new TextEncoder().encode(`image-${i}-`);
          const blob = new Blob([head, shared.slice(head.length)], { type: 'image/jpeg' });
          const id = `asset${String(i).padStart(6, '0')}`;
          tx.objectStore('assets').put({ id, blob, crc32: crcOf([head, base.subarray(head.length)]), mime: 'image/jpeg', size: blob.size, width: 1920, height: 1080, createdAt: 1 });
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

/** The same Blobs read from IndexedDB alone, as the export reads them (one record per `get`, the bytes into memory). */
async function readAlone(page: Page): Promise<{ seconds: number; bytes: number }> {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const ids: string[] = await new Promise((res, rej) => {
      const r = db.transaction('assets').objectStore('assets').getAllKeys();
      r.onsuccess = () => res(r.result as string[]);
      r.onerror = () => rej(r.error);
    });
    const get = (id: string): Promise<{ blob: Blob }> => new Promise((res, rej) => {
      const r = db.transaction('assets').objectStore('assets').get(id);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const t0 = performance.now();
    let bytes = 0;
    // Two reads in flight, as the export reads ahead.
    let next = get(ids[0]).then((a) => a.blob.arrayBuffer());
    for (let i = 0; i < ids.length; i++) {
      const current = next;
      if (i + 1 < ids.length) next = get(ids[i + 1]).then((a) => a.blob.arrayBuffer());
      bytes += (await current).byteLength;
    }
    const seconds = (performance.now() - t0) / 1000;
    db.close();
    return { seconds, bytes };
  });
}

/** `bytes` written alone to an OPFS file through `createWritable` in 4 MB blocks, then committed and removed. */
async function writeAlone(page: Page, bytes: number): Promise<number> {
  return page.evaluate(async (bytes) => {
    const BLOCK = 4 << 20;
    const block = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i += 65536) crypto.getRandomValues(block.subarray(i, i + 65536));
    const dir = await navigator.storage.getDirectory();
    const handle = await dir.getFileHandle('write-alone.bin', { create: true });
    const t0 = performance.now();
    const w = await handle.createWritable();
    for (let at = 0; at < bytes; at += BLOCK) await w.write(block.subarray(0, Math.min(BLOCK, bytes - at)));
    await w.close();
    const seconds = (performance.now() - t0) / 1000;
    await dir.removeEntry('write-alone.bin');
    return seconds;
  }, bytes);
}

async function opfsSize(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let total = 0;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for await (const h of (await navigator.storage.getDirectory() as any).values()) if (h.kind === 'file') total += (await h.getFile()).size;
    return total;
  });
}

/**
 * Checks the written archive: its central directory lists every image, and `sample` entries spread
 * over it hold bytes whose CRC-32 equals the one recorded (the images went to the file unread, so
 * this is where a wrong stored CRC would show). Returns the entries and those checked.
 */
async function checkWrittenZip(page: Page, sample: number): Promise<{ entries: number; checked: number; bad: string[] }> {
  return page.evaluate(async (sample) => {
    let file: File | null = null;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for await (const h of (await navigator.storage.getDirectory() as any).values()) if (h.kind === 'file') file = await h.getFile();
    if (!file) throw new Error('no file was written');
    const view = async (at: number, n: number) => new DataView(await file!.slice(at, at + n).arrayBuffer());
    const end = await view(file.size - 22, 22);
    if (end.getUint32(0, true) !== 0x06054b50) throw new Error('no end-of-central-directory record');
    const count = end.getUint16(10, true);
    const cd = await view(end.getUint32(16, true), end.getUint32(12, true));
    const entries: { name: string; crc: number; size: number; offset: number }[] = [];
    for (let at = 0; entries.length < count; ) {
      const nameLength = cd.getUint16(at + 28, true);
      const name = new TextDecoder().decode(new Uint8Array(cd.buffer, at + 46, nameLength));
      entries.push({ name, crc: cd.getUint32(at + 16, true), size: cd.getUint32(at + 24, true), offset: cd.getUint32(at + 42, true) });
      at += 46 + nameLength + cd.getUint16(at + 30, true) + cd.getUint16(at + 32, true);
    }
    const table = new Uint32Array(256).map((_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
    const bad: string[] = [];
    const step = Math.max(1, Math.floor(entries.length / sample));
    let checked = 0;
    for (let i = 0; i < entries.length; i += step) {
      const e = entries[i];
      const local = await view(e.offset, 30);
      const start = e.offset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
      const bytes = new Uint8Array(await file.slice(start, start + e.size).arrayBuffer());
      let c = ~0;
      for (let j = 0; j < bytes.length; j++) c = table[(c ^ bytes[j]) & 0xff] ^ (c >>> 8);
      if (~c >>> 0 !== e.crc) bad.push(e.name);
      checked++;
    }
    return { entries: entries.length, checked, bad };
  }, sample);
}

/** CPU seconds (user + system) so far of the browser's threads, by process type and thread name, from /proc (Linux). */
function chromiumCpu(profileDir: string): Record<string, number> {
  const out: Record<string, number> = {};
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out; // not Linux
  }
  for (const pid of pids) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(profileDir)) continue;
      const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
      const sub = /--utility-sub-type=[\w.]*?(\w+)\0/.exec(cmd)?.[1];
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const thread = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${sub ? `${type}:${sub}` : type}/${thread}`;
        out[key] = (out[key] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ 100)
      }
    } catch {
      // the process ended
    }
  }
  return out;
}

async function cpuOf<T>(profileDir: string, label: string, fn: () => Promise<T>): Promise<T> {
  if (!process.env.EXPORT_BENCH_PROFILE) return fn();
  const before = chromiumCpu(profileDir);
  const result = await fn();
  const after = chromiumCpu(profileDir);
  const spent = Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)] as const).filter(([, v]) => v >= 0.05).sort((a, b) => b[1] - a[1]);
  const total = spent.reduce((n, [, v]) => n + v, 0);
  console.log(`CPU seconds, ${label}: ${total.toFixed(2)} (${spent.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')})`);
  return result;
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }

/** Self time per function of a CDP CPU profile, largest first, as printable lines. */
function topSelfTime(profile: { nodes: ProfileNode[]; samples?: number[]; timeDeltas?: number[] }, n = 15): string[] {
  const byNode = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (deltas[i + 1] ?? 0)));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    total += us;
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() + ':' + (f.lineNumber + 1) : ''}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  return [...byFn].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, us]) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
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
    // Each phase starts with the disk idle: the previous phase's written pages flushed (`sync`),
    // so one phase's writeback does not slow the next (2 GB is past the kernel's dirty threshold).
    const settleDisk = () => execFileSync('sync');
    settleDisk();
    const read = await cpuOf(profile, 'read alone', () => readAlone(page));
    const profiling = !!process.env.EXPORT_BENCH_PROFILE;
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    settleDisk();
    const zip = await cpuOf(profile, 'HAMSTER zip export', () => measure(cdp,
      () => page.getByRole('button', { name: 'Export HAMSTER zip' }).click(),
      () => page.getByRole('region', { name: 'Export a dataset' }).getByRole('status').filter({ hasText: 'Exported' }).waitFor({ timeout: 600_000 })));
    if (profiling) {
      const { profile: cpuProfile } = await cdp.send('Profiler.stop');
      console.log(`page CPU profile of the export (self time):\n${topSelfTime(cpuProfile as never).join('\n')}`);
    }
    const zipBytes = await opfsSize(page);
    const written = await checkWrittenZip(page, 40);
    if (written.entries !== IMAGES + 2 || written.bad.length) throw new Error(`the written zip is wrong: ${written.entries} entries (expected ${IMAGES + 2}), bad CRC-32: ${written.bad.join(', ') || 'none'}`);
    console.log(`written zip: ${written.entries} entries, ${written.checked} spread over it checked against their CRC-32`);
    await removeOpfs(page);
    settleDisk();
    const writeSeconds = await cpuOf(profile, 'write alone', () => writeAlone(page, zipBytes));
    const readRate = read.bytes / 2 ** 20 / read.seconds;
    const writeRate = zipBytes / 2 ** 20 / writeSeconds;
    const zipRate = mb / zip.seconds;
    const limit = Math.min(readRate, writeRate);
    const load = (await import('node:os')).loadavg()[0].toFixed(1);
    report({ metric: 'export.hamsterZip.throughput', value: +zipRate.toFixed(0), unit: 'MB/s', target: '≥ 100', note: `${mb} MB of stored images (${IMAGES} samples) in ${zip.seconds.toFixed(1)} s, IndexedDB → zip → disk (OPFS), click to done; load average ${load}` });
    report({ metric: 'export.io.readAlone', value: +readRate.toFixed(0), unit: 'MB/s', note: `the same ${IMAGES} Blobs read from IndexedDB alone in ${read.seconds.toFixed(1)} s` });
    report({ metric: 'export.io.writeAlone', value: +writeRate.toFixed(0), unit: 'MB/s', note: `${(zipBytes / 2 ** 20).toFixed(0)} MB (the zip's size) written alone to an OPFS file in 4 MB blocks in ${writeSeconds.toFixed(1)} s` });
    report({ metric: 'export.hamsterZip.ratioToIO', value: +(zipRate / limit).toFixed(2), unit: '', target: '≥ 0.8', note: `export ${zipRate.toFixed(0)} MB/s ÷ the slower of read alone (${readRate.toFixed(0)}) and write alone (${writeRate.toFixed(0)} MB/s), same run` });
    report({ metric: 'export.hamsterZip.heapGrowth', value: +(zip.heapGrowth / 2 ** 20).toFixed(1), unit: 'MB', target: '< 300', note: `peak JSHeapUsedSize − after-GC baseline, exporting ${mb} MB` });

    settleDisk();
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
