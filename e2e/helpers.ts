import { expect, type Page } from '@playwright/test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { unzipSync } from 'fflate';
import { pngBomb } from '../src/testing/pngBomb.mjs';

/**
 * The save picker answered with a file in the origin-private file system (headless Chromium shows
 * no dialog): the studio writes it through the same File System Access API, and the test reads it
 * back from there. For `context.addInitScript`.
 */
export const OPFS_SAVE_PICKER = `window.showSaveFilePicker = async (o) => (await navigator.storage.getDirectory()).getFileHandle(o.suggestedName, { create: true });`;

export interface TestFile {
  name: string;
  mime: string;
  data: Buffer;
}

/** A real PNG with content that depends on `seed` (so every file has its own hash). */
export function makePng(name: string, seed: number, width = 64, height = 48, noise = false): TestFile {
  const png = new PNG({ width, height });
  let state = seed * 2654435761;
  for (let i = 0; i < width * height; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const x = i % width, y = Math.floor(i / width);
    png.data[i * 4] = noise ? state & 255 : (x * 4 + seed * 37) & 255;
    png.data[i * 4 + 1] = noise ? (state >> 8) & 255 : (y * 5 + seed * 11) & 255;
    png.data[i * 4 + 2] = noise ? (state >> 16) & 255 : (seed * 53) & 255;
    png.data[i * 4 + 3] = 255;
  }
  return { name, mime: 'image/png', data: PNG.sync.write(png) };
}

/**
 * A decompression bomb (src/testing/pngBomb.mjs): a valid PNG of `side`×`side` black pixels — ~50 KB on disk
 * for 20000², 1.6 GB once a browser decodes it to RGBA.
 */
export function makePngBomb(name: string, side = 20000): TestFile {
  return { name, mime: 'image/png', data: pngBomb(side) };
}

export function makeJpeg(name: string, seed: number, width = 640, height = 480): TestFile {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x + seed * 13) & 255;
      data[i + 1] = (y + seed * 29) & 255;
      data[i + 2] = ((x ^ y) + seed) & 255;
      data[i + 3] = 255;
    }
  return { name, mime: 'image/jpeg', data: Buffer.from(jpeg.encode({ data, width, height }, 85).data) };
}

export const textFile = (name: string, text: string): TestFile => ({ name, mime: 'text/plain', data: Buffer.from(text) });

/** Drops files on an element the way a user's drag from the desktop does (a DataTransfer with Files). */
export async function dropFiles(page: Page, selector: string, files: TestFile[]) {
  const payload = files.map((f) => ({ name: f.name, mime: f.mime, b64: f.data.toString('base64') }));
  const dt = await page.evaluateHandle((items) => {
    const transfer = new DataTransfer();
    for (const it of items) {
      const bin = atob(it.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      transfer.items.add(new File([bytes], it.name, { type: it.mime }));
    }
    return transfer;
  }, payload);
  await page.dispatchEvent(selector, 'dragover', { dataTransfer: dt });
  await page.dispatchEvent(selector, 'drop', { dataTransfer: dt });
}

export async function createDataset(page: Page, name: string) {
  await page.goto('/library');
  await page.getByLabel('New dataset name').fill(name);
  await page.getByRole('button', { name: 'Create dataset' }).click();
  await expect(page.getByRole('heading', { name: new RegExp(name) })).toBeVisible();
  await expect(page.getByTestId('empty-dataset')).toBeVisible();
}

/** Reads the studio's IndexedDB directly, to check what was really stored. */
export async function dbCounts(page: Page): Promise<{ samples: number; assets: number; datasets: number }> {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const count = (store: string) => new Promise<number>((res, rej) => {
      const r = db.transaction(store).objectStore(store).count();
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const out = { samples: await count('samples'), assets: await count('assets'), datasets: await count('datasets') };
    db.close();
    return out;
  });
}

/** Reads a file an export wrote into OPFS (null when there is none). */
export async function readOpfs(page: Page, name: string): Promise<Buffer | null> {
  const b64 = await page.evaluate(async (n) => {
    const dir = await navigator.storage.getDirectory();
    try {
      const f = await (await dir.getFileHandle(n)).getFile();
      const bytes = new Uint8Array(await f.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    } catch {
      return null;
    }
  }, name);
  return b64 === null ? null : Buffer.from(b64, 'base64');
}

/** A zipped export folder (e.g. `X-lerobot.zip` holding `X-lerobot/…`) read from OPFS as a file tree. */
export async function readZippedFolder(page: Page, zipName: string): Promise<{ name: string; get: (p: string) => Blob | undefined; paths: () => string[] }> {
  const zip = await readOpfs(page, zipName);
  if (!zip) throw new Error(`${zipName} was not written`);
  const root = `${zipName.replace(/\.zip$/, '')}/`;
  const entries = unzipSync(new Uint8Array(zip));
  const files = new Map(Object.entries(entries).filter(([k]) => k.startsWith(root)).map(([k, v]) => [k.slice(root.length), new Blob([v as Uint8Array<ArrayBuffer>])]));
  return { name: 'export', get: (p: string) => files.get(p), paths: () => [...files.keys()] };
}

/**
 * `read()` once two reads two animation frames apart agree: for a value a redraw or a layout is
 * still changing (under load the first read can come before the page's next frame).
 */
export async function settled<T>(page: Page, read: () => Promise<T>): Promise<T> {
  for (let last = await read(); ;) {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const now = await read();
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
}

/**
 * `npm run docs:screenshots` (DOCS_SCREENSHOTS=1): saves what the test shows at this point as
 * docs/images/<name>.png, so the docs' pictures come from the flows the tests drive. Otherwise nothing.
 */
export async function docsScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.DOCS_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: `docs/images/${name}.png` });
}

/** Types the instruction and sketches a path on the live image, as an operator does before a run. */
export async function sketchPath(page: Page) {
  await page.getByLabel('Instruction').fill('put the red cube in the blue bowl');
  const canvas = page.getByTestId('camera-canvas');
  const box = (await canvas.boundingBox())!;
  const side = Math.min(box.width, box.height);
  const x0 = box.x + (box.width - side) / 2, y0 = box.y + (box.height - side) / 2;
  await page.mouse.move(x0 + side * 0.3, y0 + side * 0.4);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(x0 + side * (0.3 + 0.02 * i), y0 + side * (0.4 + (i < 10 ? -0.01 * i : 0.01 * (i - 10))));
  await page.mouse.up();
  await expect(page.getByTestId('path-status')).toContainText('Sketched path');
}
