import { expect, test, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { createDataset, readOpfs, OPFS_SAVE_PICKER } from './helpers';

/**
 * Bad records never brick the studio: a crafted backup (its hashes recomputed, so only the record
 * types betray it) is refused whole with a message naming the record; a bad record already in the
 * database (written by another program, or before the studio checked its writes) breaks only the
 * section that shows it, whose error screen leads to the recovery page, which removes it.
 */

const SECTIONS = ['/library', '/annotate', '/import', '/models', '/export'];

async function backUp(page: Page): Promise<Buffer> {
  await page.goto('/export');
  await page.getByRole('button', { name: 'Back up project' }).click();
  await expect(page.getByTestId('backup-message')).toContainText('Backup written');
  const name = await page.evaluate(async () => {
    const names: string[] = [];
    for await (const k of (await navigator.storage.getDirectory() as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(k);
    return names.find((n) => n.startsWith('path-studio-backup-'))!;
  });
  return (await readOpfs(page, name))!;
}

/** Changes the first dataset record and recomputes every size and hash in the manifest, as an attacker would. */
function craft(zip: Buffer, change: (record: Record<string, unknown>) => void): Buffer {
  const files = unzipSync(new Uint8Array(zip));
  const path = Object.keys(files).find((p) => p.startsWith('tables/datasets/'))!;
  const lines = strFromU8(files[path]).trim().split('\n').map((l) => JSON.parse(l));
  change(lines[0]);
  files[path] = strToU8(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const manifest = JSON.parse(strFromU8(files['manifest.json']));
  const entry = manifest.entries.find((e: { path: string }) => e.path === path);
  entry.size = files[path].byteLength;
  entry.sha256 = createHash('sha256').update(files[path]).digest('hex');
  files['manifest.json'] = strToU8(JSON.stringify(manifest));
  return Buffer.from(zipSync(files));
}

async function expectEverySectionWorks(page: Page) {
  for (const section of SECTIONS) {
    await page.goto(section);
    await expect(page.locator('main.content')).not.toBeEmpty();
    await expect(page.getByTestId('section-error')).toHaveCount(0);
    await expect(page.getByText('Unexpected Application Error')).toHaveCount(0);
  }
}

test('a crafted backup (hashes recomputed, a dataset name that decodes to a date) is refused, naming the record; nothing changes', async ({ page, context }) => {
  await context.addInitScript(OPFS_SAVE_PICKER);
  await createDataset(page, 'Kept as it was');
  const zip = craft(await backUp(page), (r) => { r.name = { $date: 0 }; });
  await page.getByTestId('restore-input').setInputFiles({ name: 'crafted.zip', mimeType: 'application/zip', buffer: zip });
  await page.getByRole('button', { name: 'Replace everything with the backup' }).click();
  const message = page.getByTestId('backup-message');
  await expect(message).toContainText("The backup's datasets table has a record this studio cannot use");
  await expect(message).toContainText('name is a date');
  await expect(message).toContainText('Nothing was restored');
  await expectEverySectionWorks(page);
  await page.goto('/library');
  await expect(page.getByText('Kept as it was')).toBeVisible();
});

test('a bad record already stored breaks only its section, whose error screen leads to recovery, which removes it', async ({ page }) => {
  await createDataset(page, 'Good data');
  // Written past the studio's checks, as another program (or an older studio) could have.
  await page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    await new Promise<void>((res, rej) => {
      const tx = db.transaction('datasets', 'readwrite');
      tx.objectStore('datasets').put({ id: 'zz-bad', name: new Date(0), createdAt: 1, updatedAt: 1 });
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    db.close();
  });
  await page.goto('/library');
  const error = page.getByTestId('section-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('cannot display');
  // The rest of the studio still stands: the navigation works.
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();

  await error.getByRole('link', { name: 'Open the recovery page' }).click();
  await expect(page.getByTestId('recovery-bad')).toContainText('datasets zz-bad: name is a date');
  await page.getByRole('button', { name: 'Remove these 1 records' }).click();
  await expect(page.getByTestId('recovery-message')).toContainText('Removed 1 records');
  await expect(page.getByTestId('recovery-ok')).toBeVisible();
  await expectEverySectionWorks(page);
  await page.goto('/library');
  await expect(page.getByText('Good data')).toBeVisible();
});
