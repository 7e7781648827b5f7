import { expect, test, type Page } from '@playwright/test';
import { createDataset, dropFiles, makeJpeg } from './helpers';

/**
 * Annotate editor, driven like a person: pointer events on the canvas, keys on the page.
 * Checks read what IndexedDB really holds, and the HAMSTER text the UI shows.
 */

interface StoredSample {
  id: string;
  instruction: string;
  status: string;
  path: { initialGripper: string; points: { x: number; y: number; gripper: string }[] } | null;
  review?: { verdict: string; comment: string };
}

async function openAnnotate(page: Page, name: string, images: number): Promise<void> {
  await createDataset(page, name);
  await dropFiles(page, '[data-testid=dataset-page]', Array.from({ length: images }, (_, i) => makeJpeg(`frame-${i}.jpg`, i + 1, 320, 240)));
  await expect(page.getByTestId('count-all')).toHaveText(String(images));
  await page.locator('a.btn', { hasText: 'Annotate' }).click();
  await waitForSample(page);
}

/** Waits until a sample is open and its image is on the canvas; returns the sample id. */
async function waitForSample(page: Page, notId?: string): Promise<string> {
  const root = page.getByTestId('annotate-page');
  await expect.poll(async () => {
    const id = await root.getAttribute('data-sample-id');
    return id && id !== notId ? id : null;
  }).not.toBeNull();
  await expect.poll(async () => JSON.parse((await page.getByTestId('annotate-canvas').getAttribute('data-view')) ?? '{}').image ?? null).not.toBeNull();
  return (await root.getAttribute('data-sample-id'))!;
}

/** Screen position of a normalized image point under the current view. */
async function screenAt(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const canvas = page.getByTestId('annotate-canvas');
  const box = (await canvas.boundingBox())!;
  const view = JSON.parse((await canvas.getAttribute('data-view'))!);
  return { x: box.x + view.offsetX + x * view.imageWidth * view.scale, y: box.y + view.offsetY + y * view.imageHeight * view.scale };
}

async function clickAt(page: Page, x: number, y: number): Promise<void> {
  const p = await screenAt(page, x, y);
  await page.mouse.click(p.x, p.y);
}

async function storedSample(page: Page, id: string): Promise<StoredSample> {
  return page.evaluate(async (sampleId) => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => {
      open.onsuccess = () => res(open.result);
      open.onerror = () => rej(open.error);
    });
    const record = await new Promise<StoredSample>((res, rej) => {
      const r = db.transaction('samples').objectStore('samples').get(sampleId);
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    db.close();
    return record;
  }, id);
}

const hamsterText = (page: Page) => page.getByTestId('hamster-text');

test('draw 4 points with a gripper close and open, undo twice, redo once, reload: path and text stored', async ({ page }) => {
  await openAnnotate(page, 'Draw and reload', 2);
  const id = await waitForSample(page);
  for (const [x, y] of [[0.2, 0.2], [0.4, 0.6], [0.6, 0.6], [0.8, 0.3]]) await clickAt(page, x, y);
  await clickAt(page, 0.4, 0.6); // select point 2
  await page.keyboard.press('g');
  await clickAt(page, 0.8, 0.3); // select point 4
  await page.keyboard.press('g');
  await expect(hamsterText(page)).toHaveValue(
    '<ans>[(0.20, 0.20), (0.40, 0.60), <action>Close Gripper</action>, (0.60, 0.60), (0.80, 0.30), <action>Open Gripper</action>]</ans>',
  );
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.40, 0.60), (0.60, 0.60), (0.80, 0.30)]</ans>');
  await page.keyboard.press('Control+Shift+z');
  const expected = '<ans>[(0.20, 0.20), (0.40, 0.60), <action>Close Gripper</action>, (0.60, 0.60), (0.80, 0.30)]</ans>';
  await expect(hamsterText(page)).toHaveValue(expected);

  await page.reload();
  await waitForSample(page);
  await expect(hamsterText(page)).toHaveValue(expected);
  const stored = await storedSample(page, id);
  expect(stored.path!.points.map((p) => p.gripper)).toEqual(['open', 'closed', 'closed', 'closed']);
  stored.path!.points.forEach((p, i) => {
    expect(p.x).toBeCloseTo([0.2, 0.4, 0.6, 0.8][i], 2);
    expect(p.y).toBeCloseTo([0.2, 0.6, 0.6, 0.3][i], 2);
  });
});
