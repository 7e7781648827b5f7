import { expect, test, type Page } from '@playwright/test';
import { createDataset, dbCounts, docsScreenshot, dropFiles, makeJpeg, makePng, makePngBomb, textFile } from './helpers';

test('create a dataset, drop 20 images, see thumbnails, reload: still there', async ({ page }) => {
  await createDataset(page, 'Tabletop picks');
  const files = Array.from({ length: 20 }, (_, i) => (i % 2 ? makePng(`img-${i}.png`, i) : makeJpeg(`img-${i}.jpg`, i, 160, 120)));
  await dropFiles(page, '[data-testid=dataset-page]', files);
  await expect(page.getByTestId('count-all')).toHaveText('20');
  await expect(page.getByTestId('count-draft')).toHaveText('20');
  const thumbs = page.getByTestId('thumbnail');
  await expect(thumbs).toHaveCount(20);
  // Thumbnails are real decoded images, not broken links.
  await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length)).toBe(20);

  await page.reload();
  await expect(page.getByTestId('count-all')).toHaveText('20');
  await expect(page.getByTestId('thumbnail')).toHaveCount(20);
  expect(await dbCounts(page)).toMatchObject({ samples: 20, assets: 20 });

  // List view shows the file names.
  await page.getByRole('button', { name: 'List' }).click();
  await expect(page.getByTestId('sample-row').first()).toContainText('img-0.jpg');
  await expect(page).toHaveURL(/view=list/);
});

test('a non-image and a 0-byte file get a clear per-file error; the rest is imported', async ({ page }) => {
  await createDataset(page, 'Mixed drop');
  const files = [
    makePng('good-1.png', 1),
    textFile('notes.txt', 'these are my notes, not an image'),
    { name: 'empty.png', mime: 'image/png', data: Buffer.alloc(0) },
    makeJpeg('good-2.jpg', 2, 80, 60),
    { name: 'truncated.jpg', mime: 'image/jpeg', data: makeJpeg('t.jpg', 3, 200, 150).data.subarray(0, 300) },
    makePng('good-3.png', 3),
  ];
  await dropFiles(page, '[data-testid=dataset-page]', files);
  await expect(page.getByTestId('count-all')).toHaveText('3');
  const problems = page.getByTestId('import-problem');
  await expect(problems).toHaveCount(3);
  await expect(problems.filter({ hasText: '“notes.txt” is not a PNG, JPEG or WebP image' })).toHaveCount(1);
  await expect(problems.filter({ hasText: '“empty.png” is empty (0 bytes)' })).toHaveCount(1);
  await expect(problems.filter({ hasText: '“truncated.jpg” could not be decoded' })).toHaveCount(1);
  expect(await dbCounts(page)).toMatchObject({ samples: 3, assets: 3 });
});

test('a decompression bomb (a 50 KB PNG of 20000×20000 pixels) is refused from its header, at once; the limit is set in Settings', async ({ page }) => {
  const bomb = makePngBomb('bomb.png');
  expect(bomb.data.length).toBeLessThan(100_000);
  await createDataset(page, 'Bombs');
  await dropFiles(page, '[data-testid=dataset-page]', [bomb, makePng('good.png', 1)]);
  await expect(page.getByTestId('count-all')).toHaveText('1');
  await expect(page.getByTestId('import-problem')).toHaveText(/“bomb\.png” is 20000×20000 pixels \(400 MP\), more than the 50 MP the studio decodes\. Scale it down first, or raise the limit in Settings → Images/);
  expect(await dbCounts(page)).toMatchObject({ samples: 1, assets: 1 });

  await page.goto('/settings');
  await page.getByLabel('Largest image (megapixels)').fill('1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Images up to 1 MP' })).toBeVisible();
  await page.goto('/library');
  await page.getByText('Bombs').click();
  await dropFiles(page, '[data-testid=dataset-page]', [makePng('large.png', 2, 1200, 1000)]);
  await expect(page.getByTestId('import-problem')).toHaveText(/“large\.png” is 1200×1000 pixels \(1\.2 MP\), more than the 1 MP/);
  await expect(page.getByTestId('count-all')).toHaveText('1');
});

test('the same image dropped twice is detected as a duplicate', async ({ page }) => {
  await createDataset(page, 'Dupes');
  const img = makePng('a.png', 7);
  await dropFiles(page, '[data-testid=dataset-page]', [img, makePng('b.png', 8)]);
  await expect(page.getByTestId('count-all')).toHaveText('2');
  await dropFiles(page, '[data-testid=dataset-page]', [{ ...img, name: 'a-copy.png' }]);
  await expect(page.getByTestId('import-report')).toContainText('“a-copy.png” is already in this dataset');
  await expect(page.getByTestId('count-all')).toHaveText('2');
});

test('images can be added with the file picker, filtered and searched', async ({ page }) => {
  await createDataset(page, 'Picker');
  await page.getByTestId('file-input').setInputFiles([makePng('p1.png', 11), makePng('p2.png', 12)].map((f) => ({ name: f.name, mimeType: f.mime, buffer: f.data })));
  await expect(page.getByTestId('count-all')).toHaveText('2');
  await page.getByRole('button', { name: /^done/ }).click();
  await expect(page).toHaveURL(/status=done/);
  await expect(page.getByText('No samples match these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('sample-tile')).toHaveCount(2);
  await page.getByLabel('Search instructions').fill('zebra');
  await expect(page.getByTestId('shown-count')).toHaveText('0 shown');
});

test('rename and delete a dataset, then undo the delete', async ({ page }) => {
  await createDataset(page, 'Old name');
  await page.goto('/library');
  const card = page.getByTestId('dataset-card').filter({ hasText: 'Old name' });
  await card.getByRole('button', { name: 'Rename' }).click();
  await page.getByLabel('Dataset name', { exact: true }).fill('New name');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('link', { name: 'New name' })).toBeVisible();

  await page.getByTestId('dataset-card').filter({ hasText: 'New name' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Delete “New name”?');
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('link', { name: 'New name' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByRole('link', { name: 'New name' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('link', { name: 'New name' })).toBeVisible();
});

test('a full disk gives a clear message and stores nothing of the import', async ({ page, baseURL }) => {
  const cdp = await page.context().newCDPSession(page);
  // Before the page first touches storage (docs/ARCHITECTURE.md, Tests).
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 400 * 1024 });
  await createDataset(page, 'Tiny disk');
  const big = Array.from({ length: 6 }, (_, i) => makePng(`noise-${i}.png`, 100 + i, 256, 256, true));
  await dropFiles(page, '[data-testid=dataset-page]', big);
  await expect(page.getByRole('alert').filter({ hasText: 'no more storage space' })).toBeVisible();
  await expect(page.getByTestId('count-all')).toHaveText('0');
  expect(await dbCounts(page)).toMatchObject({ samples: 0, assets: 0, datasets: 1 });
});

test('every section is deep-linkable and Settings shows storage usage', async ({ page }) => {
  const sections = [['/import', 'Import'], ['/import/episodes', 'Import'], ['/annotate', 'Annotate'], ['/live', 'Live'], ['/models', 'Models'], ['/export', 'Export'], ['/settings', 'Settings']];
  for (const [path, label] of sections) {
    await page.goto(path);
    await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label })).toHaveAttribute('aria-current', 'page');
    await expect(page.locator('main').getByRole('heading').first()).toBeVisible();
    await expect(page.getByText('Page not found')).toHaveCount(0);
  }
  await page.goto('/settings');
  await expect(page.getByTestId('storage-quota')).not.toHaveText('…');
  await expect(page.getByTestId('storage-usage')).toHaveText(/\d/);
  await page.goto('/nowhere');
  await expect(page.getByText('Page not found')).toBeVisible();
});

test('select samples (box, Ctrl+click, Shift+click, Ctrl+A), set their status, move them, delete them; each undone from its message', { tag: '@docs' }, async ({ page }) => {
  await createDataset(page, 'Elsewhere');
  await createDataset(page, 'Curate');
  await dropFiles(page, '[data-testid=dataset-page]', Array.from({ length: 6 }, (_, i) => makePng(`c-${i}.png`, i + 1)));
  await expect(page.getByTestId('count-all')).toHaveText('6');
  const tile = (i: number) => page.getByTestId('sample-tile').nth(i);
  const count = page.getByTestId('selected-count');

  // The box selects without opening; Shift+click adds the range; Ctrl+click toggles one.
  await tile(0).hover();
  await page.getByRole('checkbox', { name: 'Select c-0.png' }).click();
  await expect(count).toHaveText('1 selected');
  await tile(3).click({ modifiers: ['Shift'] });
  await expect(count).toHaveText('4 selected');
  await tile(1).click({ modifiers: ['Control'] });
  await expect(count).toHaveText('3 selected');
  await expect(page).toHaveURL(/\/library\//); // nothing was opened
  await docsScreenshot(page, 'library-selection');

  // Status for the three, then undo.
  await page.getByLabel('Set the status of the selected samples').selectOption('reviewed');
  await expect(page.getByTestId('count-reviewed')).toHaveText('3');
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByTestId('count-draft')).toHaveText('6');

  // Move them to the other dataset, then undo.
  await page.getByLabel('Move the selected samples to').selectOption({ label: 'Elsewhere' });
  await expect(page.getByTestId('count-all')).toHaveText('3');
  await expect(page.getByText('Moved 3 samples to “Elsewhere”.')).toBeVisible();
  await expect(count).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByTestId('count-all')).toHaveText('6');

  // Ctrl+A and Delete, then undo: nothing is lost.
  // A click on empty space below the tiles, away from the last menu used.
  const box = (await page.getByTestId('sample-scroller').boundingBox())!;
  await page.mouse.click(box.x + box.width - 10, box.y + box.height - 10);
  await page.keyboard.press('Control+a');
  await expect(count).toHaveText('6 selected');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('empty-dataset')).toBeVisible();
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByTestId('count-all')).toHaveText('6');
  expect(await dbCounts(page)).toMatchObject({ samples: 6, assets: 6 });

  // Long after its message is gone, a delete is still undone while the dataset is open (Ctrl+Z).
  await tile(5).hover();
  await page.getByRole('checkbox', { name: 'Select c-5.png' }).click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('count-all')).toHaveText('5');
  await page.getByRole('status').filter({ hasText: 'Deleted 1 sample.' }).getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('page-undo')).toHaveText('Undo: Deleted 1 sample');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('count-all')).toHaveText('6');
  await expect(page.getByTestId('page-undo')).toHaveCount(0); // the earlier changes were undone from their messages
  await page.keyboard.press('Escape');
  await expect(count).toHaveCount(0);
});

test('thumbnails show the path drawn on them, over the image exactly', async ({ page }) => {
  await createDataset(page, 'Paths');
  await dropFiles(page, '[data-testid=dataset-page]', [makeJpeg('wide.jpg', 1, 320, 120), makePng('plain.png', 2)]);
  await expect(page.getByTestId('count-all')).toHaveText('2');
  await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const all: { provenance: { fileName: string } }[] = await new Promise((res) => { const r = db.transaction('samples').objectStore('samples').getAll(); r.onsuccess = () => res(r.result); });
    const wide = all.find((s) => s.provenance.fileName === 'wide.jpg')!;
    const tx = db.transaction('samples', 'readwrite');
    tx.objectStore('samples').put({ ...wide, path: { initialGripper: 'open', points: [{ x: 0.1, y: 0.2, gripper: 'open' }, { x: 0.5, y: 0.5, gripper: 'closed' }, { x: 0.9, y: 0.8, gripper: 'open' }] } });
    await new Promise((res) => { tx.oncomplete = res; });
    db.close();
  });
  await page.reload();
  const overlay = page.getByTestId('thumbnail-path');
  await expect(overlay).toHaveCount(1);
  await expect(overlay.locator('polyline')).toHaveAttribute('points', '0.1,0.2 0.5,0.5 0.9,0.8');
  await expect(overlay.locator('circle')).toHaveCount(3); // start, close, open
  // Both boxes read in one go once the image has decoded: read one after the other, the image's
  // load could land between them and move the frame (it did once: 85 px, half the image's width).
  const thumbnail = page.getByRole('link', { name: 'wide.jpg' }).getByTestId('thumbnail');
  await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  const offBy = await thumbnail.evaluate((img) => {
    const a = img.getBoundingClientRect();
    const b = img.parentElement!.querySelector('[data-testid=thumbnail-path]')!.getBoundingClientRect();
    return Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y), Math.abs(a.width - b.width), Math.abs(a.height - b.height));
  });
  expect(offBy).toBeLessThan(1);
});

/** Changes stored samples the way other screens would have (Annotate, a review), by file name; `copyAs` stores a later copy. */
async function editSamples(page: Page, edits: { fileName: string; patch?: Record<string, unknown>; copyAs?: string }[]) {
  await page.evaluate(async (list) => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const all: { id: string; order: number; createdAt: number; provenance: { fileName: string } }[] = await new Promise((res) => { const r = db.transaction('samples').objectStore('samples').getAll(); r.onsuccess = () => res(r.result); });
    const tx = db.transaction('samples', 'readwrite');
    let order = Math.max(...all.map((s) => s.order));
    for (const e of list) {
      const s = all.find((x) => x.provenance.fileName === e.fileName)!;
      const patched = { ...s, ...e.patch };
      tx.objectStore('samples').put(e.copyAs ? { ...patched, id: e.copyAs, order: ++order, createdAt: s.createdAt + 1000 } : patched);
    }
    await new Promise((res) => { tx.oncomplete = res; });
    db.close();
  }, edits);
  await page.reload();
}

const pathOf = (points: number, closeAt = -1) => ({ initialGripper: 'open', points: Array.from({ length: points }, (_, i) => ({ x: 0.1 + i * 0.1, y: 0.5, gripper: i >= closeAt && closeAt >= 0 ? 'closed' : 'open' })) });

test('the list sorts by a column, reverses on a second click, and keeps the sort in the address over a reload', { tag: '@docs' }, async ({ page }) => {
  await createDataset(page, 'Sorting');
  await dropFiles(page, '[data-testid=dataset-page]', [makePng('s-0.png', 1), makePng('s-1.png', 2), makePng('s-2.png', 3)]);
  await expect(page.getByTestId('count-all')).toHaveText('3');
  await editSamples(page, [
    { fileName: 's-0.png', patch: { instruction: 'b stack the cups', path: pathOf(3), updatedAt: 2000 } },
    { fileName: 's-1.png', patch: { instruction: 'a open the drawer', path: null, updatedAt: 3000 } },
    { fileName: 's-2.png', patch: { instruction: 'c pick the cube', path: pathOf(5), updatedAt: 1000 } },
  ]);
  await page.getByRole('button', { name: 'List' }).click();
  const rows = page.getByTestId('row-instruction');
  await expect(rows).toHaveText(['b stack the cups', 'a open the drawer', 'c pick the cube']); // queue order

  await page.getByRole('button', { name: 'Instruction', exact: true }).click();
  await expect(page).toHaveURL(/sort=instruction&dir=asc/);
  await expect(rows).toHaveText(['a open the drawer', 'b stack the cups', 'c pick the cube']);
  await expect(page.getByRole('columnheader', { name: 'Instruction' })).toHaveAttribute('aria-sort', 'ascending');
  await page.getByRole('button', { name: 'Instruction', exact: true }).click();
  await expect(page).toHaveURL(/sort=instruction&dir=desc/);
  await expect(rows).toHaveText(['c pick the cube', 'b stack the cups', 'a open the drawer']);

  await page.getByRole('button', { name: 'Length', exact: true }).click(); // by points, no path last
  await expect(rows).toHaveText(['b stack the cups', 'c pick the cube', 'a open the drawer']);
  await page.getByRole('button', { name: 'Length', exact: true }).click();
  await expect(rows).toHaveText(['c pick the cube', 'b stack the cups', 'a open the drawer']);
  await page.getByRole('button', { name: 'Updated', exact: true }).click(); // newest first
  await expect(page).toHaveURL(/sort=updated&dir=desc/);
  await expect(rows.first()).toHaveText('a open the drawer');
  await page.getByRole('button', { name: 'Updated', exact: true }).click();
  await expect(rows).toHaveText(['c pick the cube', 'b stack the cups', 'a open the drawer']);

  await page.reload();
  await expect(page).toHaveURL(/view=list.*sort=updated&dir=asc|sort=updated&dir=asc.*view=list/);
  await expect(rows).toHaveText(['c pick the cube', 'b stack the cups', 'a open the drawer']);
  await expect(page.getByRole('columnheader', { name: 'Updated' })).toHaveAttribute('aria-sort', 'ascending');
  await docsScreenshot(page, 'library-list-sorted');
  await page.getByTestId('sorted-by').click(); // back to the queue order
  await expect(rows).toHaveText(['b stack the cups', 'a open the drawer', 'c pick the cube']);
});

test('the statistics panel counts the dataset, finds a duplicate, selects it for Delete, and the delete is undone', { tag: '@docs' }, async ({ page }) => {
  await createDataset(page, 'Stats');
  await dropFiles(page, '[data-testid=dataset-page]', [makePng('t-0.png', 1), makePng('t-1.png', 2), makePng('t-2.png', 3)]);
  await expect(page.getByTestId('count-all')).toHaveText('3');
  await editSamples(page, [
    { fileName: 't-0.png', patch: { instruction: 'pick the cube', status: 'done', path: pathOf(3, 1) } },
    { fileName: 't-1.png', patch: { instruction: 'pick the cube', status: 'reviewed', path: pathOf(4) } },
    { fileName: 't-2.png', patch: { instruction: 'open the drawer' } },
    { fileName: 't-0.png', patch: { instruction: 'pick the cube', path: pathOf(3, 1) }, copyAs: 'copy-of-t-0' }, // same image, same path: a duplicate
  ]);
  await expect(page.getByTestId('count-all')).toHaveText('4');

  await page.getByTestId('dataset-stats').locator('summary').click();
  const stats = page.getByTestId('dataset-stats');
  await expect(stats.getByTestId('stats-status-row')).toHaveText([/draft\s*2/, /done\s*1/, /reviewed\s*1/, /rejected\s*0/]);
  await expect(stats.getByTestId('stats-source-row')).toHaveText([/image\s*4/]);
  await expect(stats.getByTestId('stats-tasks-row')).toHaveText([/pick the cube\s*3/, /open the drawer\s*1/]);
  await expect(stats.getByTestId('chart-point-count')).toHaveAttribute('aria-label', 'Points per path: 3: 2, 4: 1');
  await expect(stats.getByTestId('chart-gripper-events')).toHaveAttribute('aria-label', 'Gripper events per path: 0: 1, 1: 2');
  await expect(stats.locator('canvas')).toHaveCount(3);
  await expect(stats.getByTestId('stats-live-runs')).toContainText('No live runs');

  await expect(stats.getByTestId('duplicates')).toContainText('1 duplicate');
  await stats.getByRole('button', { name: 'Select the extra copies' }).click();
  await expect(page.getByTestId('selected-count')).toHaveText('1 selected');
  await docsScreenshot(page, 'library-stats');
  await page.getByRole('toolbar', { name: 'Selected samples' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('count-all')).toHaveText('3');
  await expect(stats.getByTestId('duplicates')).toHaveText('No duplicates.');
  await expect(stats.getByTestId('stats-status-row').first()).toHaveText(/draft\s*1/);
  expect(await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const ids: string[] = await new Promise((res) => { const r = db.transaction('samples').objectStore('samples').getAllKeys(); r.onsuccess = () => res(r.result as string[]); });
    db.close();
    return ids.includes('copy-of-t-0');
  })).toBe(false); // the copy went, the original stayed

  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByTestId('count-all')).toHaveText('4');
  await expect(stats.getByTestId('duplicates')).toContainText('1 duplicate');
  await expect(stats.getByTestId('stats-status-row').first()).toHaveText(/draft\s*2/);
});
