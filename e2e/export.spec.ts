import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { createDataset, dropFiles, makePng, readOpfs } from './helpers';

/**
 * Export section, driven like a person: HAMSTER zip export (summary, options, streamed to disk),
 * re-import of that zip, project backup and restore into a fresh profile, refusal of damaged
 * backups, cancel and disk-full. `showSaveFilePicker` rejects in headless Chromium, so each page
 * gets one that hands out a file in the origin-private file system (OPFS); the test reads the
 * written file back from there.
 */

const OPFS_PICKER = `
  window.showSaveFilePicker = async (o) => {
    const dir = await navigator.storage.getDirectory();
    const handle = await dir.getFileHandle(o.suggestedName, { create: true });
    const mode = localStorage.getItem('test-picker-mode') || 'plain';
    if (mode === 'plain') return handle;
    // Wrappers that let the test slow the writes down (to cancel) or fail them (disk full; the
    // exporter writes 4 MB blocks, so the small test zip is one write).
    return {
      name: handle.name, kind: 'file', remove: () => handle.remove(),
      async createWritable() {
        const real = await handle.createWritable();
        return {
          async write(c) {
            if (mode === 'full') throw new DOMException('The disk is full', 'QuotaExceededError');
            if (mode === 'slow') await new Promise((r) => setTimeout(r, 3000));
            return real.write(c);
          },
          close: () => real.close(),
          abort: () => real.abort(),
        };
      },
    };
  };
`;

test.beforeEach(async ({ context }) => {
  await context.addInitScript(OPFS_PICKER);
});

async function opfsNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const names: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for await (const k of (await navigator.storage.getDirectory() as any).keys()) names.push(k);
    return names;
  });
}

/** Every record of every store; Blobs as SHA-256 + type (what "identical database" means). */
async function dumpDb(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
    const norm = async (v: unknown): Promise<unknown> => {
      if (v instanceof Blob) return { blob: hex(await crypto.subtle.digest('SHA-256', await v.arrayBuffer())), type: v.type };
      if (ArrayBuffer.isView(v)) return { [v.constructor.name]: Array.from(v as unknown as ArrayLike<number>, String) };
      if (Array.isArray(v)) return Promise.all(v.map(norm));
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = { own: await norm(x) };
        return out;
      }
      return v === undefined ? '<undefined>' : v;
    };
    const out: Record<string, unknown[]> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      const rows: unknown[] = await new Promise((res, rej) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      out[name] = await Promise.all(rows.map(norm));
    }
    db.close();
    return out;
  });
}

/** Entries in `zip` and the first whose CRC-32 or size is wrong (None), as Python's zipfile reads it. */
function pythonTestZip(zip: ArrayBuffer | Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-export-'));
  try {
    writeFileSync(join(dir, 'a.zip'), new Uint8Array(zip));
    return execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(len(z.namelist()), z.testzip())', join(dir, 'a.zip')]).toString().trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PICK = { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'open' }, { x: 0.4, y: 0.5, gripper: 'closed' }, { x: 0.8, y: 0.3, gripper: 'open' }] };

/** A dataset of 4 images labelled as an annotator would leave them (paths written straight into the DB). */
async function labelledDataset(page: Page, name: string): Promise<string> {
  await createDataset(page, name);
  await dropFiles(page, '[data-testid=dataset-page]', [0, 1, 2, 3].map((i) => makePng(`img${i}.png`, i + 1, 96, 64)));
  await expect(page.getByTestId('count-all')).toHaveText('4');
  const datasetId = page.url().split('/library/')[1];
  await page.evaluate(async ({ id, pick }) => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const all: { id: string; datasetId: string; order: number; provenance: { fileName: string } }[] = await new Promise((res) => {
      const r = db.transaction('samples').objectStore('samples').getAll();
      r.onsuccess = () => res(r.result);
    });
    const mine = all.filter((s) => s.datasetId === id).sort((a, b) => a.order - b.order);
    const labels = [
      { instruction: 'pick up the red block', path: pick, status: 'reviewed' },
      { instruction: 'push the block to the left', path: { initialGripper: 'open', points: [{ x: 0.9, y: 0.5, gripper: 'open' }, { x: 0.2, y: 0.5, gripper: 'open' }] }, status: 'done' },
      { instruction: 'open the drawer', path: null, status: 'done' },
      { instruction: 'not finished', path: pick, status: 'draft' },
    ];
    const tx = db.transaction('samples', 'readwrite');
    mine.forEach((s, i) => tx.objectStore('samples').put({ ...s, ...labels[i] }));
    await new Promise((res) => { tx.oncomplete = res; });
    // An episode and a model too, so the backup covers every table.
    const tx2 = db.transaction(['episodes', 'models'], 'readwrite');
    tx2.objectStore('episodes').put({ id: 'ep1', datasetId: id, task: 'pick', createdAt: 1, data: { state: new Float32Array([0.5, -1, 2]), success: true, note: undefined } });
    tx2.objectStore('models').put({ id: 'm1', name: 'planner', role: 'planner', onnx: new Blob([new Uint8Array([8, 1, 2, 3])], { type: 'application/octet-stream' }), card: { name: 'planner' }, createdAt: 2 });
    await new Promise((res) => { tx2.oncomplete = res; });
    db.close();
  }, { id: datasetId, pick: PICK });
  return datasetId;
}

test('HAMSTER zip: summary, options, streamed to disk, then re-imported as a dataset', async ({ page }) => {
  await labelledDataset(page, 'Kitchen');
  await page.goto('/export');
  await page.getByLabel('Dataset to export').selectOption({ label: 'Kitchen (4 samples)' });
  const summary = page.getByTestId('export-summary');
  await expect(summary.getByTestId('summary-status-done')).toHaveText('2');
  await expect(summary.getByTestId('summary-status-reviewed')).toHaveText('1');
  await expect(summary.getByTestId('summary-train')).toHaveText('2');
  await expect(summary.getByTestId('summary-skipped')).toHaveText('1');
  await expect(summary.getByText('img2.png has no path')).toBeVisible();
  await page.getByText(/look(s)? wrong/).click();
  await expect(summary.getByText('img1.png: the gripper never opens or closes')).toBeVisible();

  // Only reviewed samples → 1; then back to done + reviewed with a 50 % image split and 3 decimals.
  await page.getByRole('group', { name: 'Statuses to export' }).getByLabel('done').uncheck();
  await expect(summary.getByTestId('summary-train')).toHaveText('1');
  await page.getByRole('group', { name: 'Statuses to export' }).getByLabel('done').check();
  await page.getByLabel('Validation share (%)').fill('50');
  await expect(summary.getByTestId('summary-val')).toHaveText('1');
  await page.getByLabel('Decimals').fill('3');

  await page.getByRole('button', { name: 'Export HAMSTER zip' }).click();
  await expect(page.getByRole('region', { name: 'Export a dataset' }).getByRole('status')).toContainText('Exported 2 samples');
  const zip = await readOpfs(page, 'Kitchen-hamster-sft.zip');
  expect(zip).not.toBeNull();
  const files = unzipSync(new Uint8Array(zip!));
  // Python's zipfile checks every entry's CRC-32 (fflate does not): the images went to the file as
  // stored Blobs with the CRC kept since ingest, never read by the page.
  expect(pythonTestZip(zip!)).toBe('5 None');
  const train = JSON.parse(strFromU8(files['data.json']));
  const val = JSON.parse(strFromU8(files['val.json']));
  expect(train).toHaveLength(1);
  expect(val).toHaveLength(1);
  const records = [...train, ...val];
  const pick = records.find((r) => r.conversations[0].value.includes('pick up the red block'));
  expect(pick.conversations[0].value.startsWith('<image>\nIn the image, please execute the command described in <quest>pick up the red block</quest>.')).toBe(true);
  expect(pick.conversations[1]).toEqual({ from: 'gpt', value: '<ans>[(0.100, 0.200), (0.400, 0.500), <action>Close Gripper</action>, (0.800, 0.300), <action>Open Gripper</action>]</ans>' });
  for (const r of records) expect(files[r.image]?.length).toBeGreaterThan(0);
  expect(train[0].image).not.toBe(val[0].image);
  const info = JSON.parse(strFromU8(files['export_info.json']));
  expect(info.skipped).toEqual([expect.objectContaining({ file: 'img2.png', reason: 'has no path' })]);

  // Round trip through the studio's own importer.
  await page.getByTestId('hamster-zip-input').setInputFiles({ name: 'kitchen-export.zip', mimeType: 'application/zip', buffer: zip! });
  await expect(page.getByTestId('hamster-import-report')).toContainText('Imported 2 samples');
  const reimported = await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const get = <T,>(store: string) => new Promise<T[]>((res) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => res(r.result); });
    const datasets = await get<{ id: string; name: string }>('datasets');
    const target = datasets.find((d) => d.name === 'kitchen-export')!;
    const samples = (await get<{ datasetId: string; instruction: string; path: unknown; assetId: string }>('samples')).filter((s) => s.datasetId === target.id);
    db.close();
    return samples.map((s) => ({ instruction: s.instruction, path: s.path, assetId: s.assetId }));
  });
  const original = await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const samples: { instruction: string; assetId: string }[] = await new Promise((res) => { const r = db.transaction('samples').objectStore('samples').getAll(); r.onsuccess = () => res(r.result); });
    db.close();
    return samples;
  });
  expect(reimported.map((s) => s.instruction).sort()).toEqual(['pick up the red block', 'push the block to the left']);
  expect(reimported.find((s) => s.instruction.startsWith('pick'))!.path).toEqual(PICK);
  // Same image bytes → same content-hash asset as the original.
  for (const s of reimported) expect(original.find((o) => o.instruction === s.instruction && o.assetId === s.assetId)).toBeTruthy();
});

test('backup restores an identical database in a fresh profile; damaged backups are refused untouched', async ({ page, browser }) => {
  await labelledDataset(page, 'Backed up');
  const before = await dumpDb(page);
  await page.goto('/export');
  await page.getByRole('button', { name: 'Back up project' }).click();
  await expect(page.getByTestId('backup-message')).toContainText('Backup written');
  const name = (await opfsNames(page)).find((n) => n.startsWith('path-studio-backup-'))!;
  const backup = (await readOpfs(page, name))!;
  const entries = Object.keys(unzipSync(new Uint8Array(backup)));
  expect(entries).toContain('manifest.json');
  expect(entries.some((e) => e.startsWith('tables/samples/'))).toBe(true);

  const fresh = await browser.newContext();
  try {
    const p2 = await fresh.newPage();
    await p2.goto('/export');
    await expect(p2.getByTestId('no-datasets')).toBeVisible();
    const restore = async (buffer: Buffer, fileName: string) => {
      await p2.getByTestId('restore-input').setInputFiles({ name: fileName, mimeType: 'application/zip', buffer });
      await p2.getByRole('button', { name: 'Replace everything with the backup' }).click();
    };

    // Tampered: one byte of an image changed → refused, naming the entry; nothing written.
    const tampered = Buffer.from(backup);
    const png = tampered.indexOf(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    tampered[png + 40] ^= 0xff;
    await restore(tampered, 'tampered.zip');
    await expect(p2.getByTestId('backup-message')).toContainText(/Entry "blobs\/[0-9a-f]{64}" does not match its hash/);
    // Truncated: cut in the middle → refused, naming the entry that is cut short.
    await restore(backup.subarray(0, Math.floor(backup.length * 0.6)), 'cut.zip');
    await expect(p2.getByTestId('backup-message')).toContainText(/truncated: entry ".+" is cut short/);
    expect((await dumpDb(p2)).datasets).toEqual([]);

    await restore(backup, name);
    await expect(p2.getByTestId('backup-message')).toContainText('Restored 1 datasets, 4 samples, 1 episodes, 1 models');
    expect(await dumpDb(p2)).toEqual(before);
    await p2.goto('/library');
    await expect(p2.getByText('Backed up')).toBeVisible();
  } finally {
    await fresh.close();
  }
});

test('cancel keeps no file; a full disk stops with a clear message; without the picker the zip downloads', async ({ page }) => {
  await labelledDataset(page, 'Faults');
  await page.goto('/export');
  await page.getByLabel('Dataset to export').selectOption({ label: 'Faults (4 samples)' });
  await expect(page.getByTestId('summary-train')).toHaveText('2');

  await page.evaluate(() => localStorage.setItem('test-picker-mode', 'slow'));
  await page.getByRole('button', { name: 'Export HAMSTER zip' }).click();
  const progress = page.getByRole('progressbar', { name: /Exporting Faults.*progress/ });
  await expect(progress).toBeVisible();
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Export cancelled; no file was kept.')).toBeVisible();
  expect(await opfsNames(page)).not.toContain('Faults-hamster-sft.zip');

  await page.evaluate(() => localStorage.setItem('test-picker-mode', 'full'));
  await page.getByRole('button', { name: 'Export HAMSTER zip' }).click();
  await expect(page.getByText(/The disk is full: writing "Faults-hamster-sft.zip" stopped/)).toBeVisible();
  expect(await opfsNames(page)).not.toContain('Faults-hamster-sft.zip');

  // Browsers without the File System Access API get a download of the finished zip.
  await page.evaluate(() => { delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker; });
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export HAMSTER zip' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Faults-hamster-sft.zip');
  const files = unzipSync(new Uint8Array(await (await import('node:fs/promises')).readFile((await file.path())!)));
  expect(JSON.parse(strFromU8(files['data.json']))).toHaveLength(2);
});

test('the export filter: only "done" samples from one source, counted before and written', async ({ page }) => {
  const datasetId = await labelledDataset(page, 'Filtered');
  // Two of the labelled samples came from a video (as video import makes them), the rest from images.
  await page.evaluate(async (id) => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const all: { id: string; datasetId: string; order: number; source: string; status: string }[] = await new Promise((res) => {
      const r = db.transaction('samples').objectStore('samples').getAll();
      r.onsuccess = () => res(r.result);
    });
    const mine = all.filter((s) => s.datasetId === id).sort((a, b) => a.order - b.order);
    const tx = db.transaction('samples', 'readwrite');
    // img0: reviewed, img1: done, img2: done without a path, img3: draft → img0 and img1 from a video.
    for (const s of mine.slice(0, 2)) tx.objectStore('samples').put({ ...s, source: 'video' });
    await new Promise((res) => { tx.oncomplete = res; });
    db.close();
  }, datasetId);
  await page.goto('/export');
  await page.getByLabel('Dataset to export').selectOption({ label: 'Filtered (4 samples)' });
  const summary = page.getByTestId('export-summary');
  await expect(summary.getByTestId('summary-train')).toHaveText('2'); // done + reviewed, any source

  await page.getByRole('group', { name: 'Statuses to export' }).getByLabel('reviewed').uncheck();
  await expect(summary.getByTestId('summary-train')).toHaveText('1');
  await page.getByRole('group', { name: 'Sources to export' }).getByLabel('video').uncheck();
  await expect(page.getByTestId('nothing-to-export')).toBeVisible(); // the only usable done sample is from the video
  await page.getByRole('group', { name: 'Sources to export' }).getByLabel('video').check();
  await page.getByRole('group', { name: 'Sources to export' }).getByLabel('image').uncheck();
  await expect(summary.getByTestId('summary-train')).toHaveText('1');

  await page.getByRole('button', { name: 'Export HAMSTER zip' }).click();
  await expect(page.getByRole('region', { name: 'Export a dataset' }).getByRole('status')).toContainText('Exported 1 samples');
  const files = unzipSync(new Uint8Array((await readOpfs(page, 'Filtered-hamster-sft.zip'))!));
  const records = JSON.parse(strFromU8(files['data.json']));
  expect(records).toHaveLength(1);
  expect(records[0].conversations[0].value).toContain('push the block to the left');
  const { options } = JSON.parse(strFromU8(files['export_info.json']));
  expect(options.statuses).toEqual(['done']);
  expect(options.sources.sort()).toEqual(['episode', 'import', 'model', 'video']);
});
