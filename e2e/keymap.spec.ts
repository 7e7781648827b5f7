import { expect, test } from '@playwright/test';
import { createDataset, dropFiles, makeJpeg } from './helpers';

/**
 * The one keymap, as a person changes it: Settings → Keyboard refuses a key with two meanings
 * (naming both), saves another, and Annotate then answers to it — in its keys and its F1 list. The
 * Live console's F1 list starts with the e-stop, whose keys Settings does not let anyone change.
 */

test('a key chosen in Settings drives Annotate; a key with two meanings is refused', async ({ page }) => {
  await page.goto('/settings');
  const card = page.locator('[aria-label="Keyboard"]');
  await card.getByText('Annotate', { exact: true }).click();
  const next = card.getByLabel('Keys for Annotate: Next sample', { exact: true });
  await expect(next).toHaveValue('F');
  await next.fill('D');
  await card.getByRole('button', { name: 'Apply keys' }).click();
  await expect(card.getByRole('alert')).toHaveText('Annotate: D would do two things — “Next sample” and “Previous sample”. Choose another key for one of them.');
  await next.fill('J, PageDown');
  await card.getByRole('button', { name: 'Apply keys' }).click();
  await expect(card.getByTestId('keymap-message')).toHaveText('Keys saved. Every screen uses them now.');

  // The e-stop's keys are shown, locked.
  await card.getByText('Live', { exact: true }).click();
  await expect(card.getByLabel('Keys for Live: Emergency stop', { exact: true })).toHaveCount(0);
  await expect(card.getByRole('row', { name: /^Emergency stop Escape/ })).toBeVisible();

  await createDataset(page, 'Keys');
  await dropFiles(page, '[data-testid=dataset-page]', [0, 1, 2].map((i) => makeJpeg(`k-${i}.jpg`, i + 1, 320, 240)));
  await expect(page.getByTestId('count-all')).toHaveText('3');
  await page.locator('a.btn', { hasText: 'Annotate' }).click();
  const position = page.getByTestId('queue-position');
  await expect(position).toHaveText('1 / 3');
  await page.keyboard.press('f'); // no longer bound
  await page.keyboard.press('j');
  await expect(position).toHaveText('2 / 3');
  await page.keyboard.press('PageDown');
  await expect(position).toHaveText('3 / 3');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('help-sample.next')).toContainText('J');
  await expect(page.getByTestId('help-sample.next')).toContainText('PageDown');

  // Kept in this browser: a reload still answers to J.
  await page.keyboard.press('Escape');
  await page.keyboard.press('d');
  await page.reload();
  await expect(position).toHaveText('2 / 3');
  await page.keyboard.press('j');
  await expect(position).toHaveText('3 / 3');
});

test('F1 on the Live console lists the e-stop first', async ({ page }) => {
  await page.goto('/live');
  await page.getByRole('heading', { name: 'Live' }).waitFor();
  await page.keyboard.press('F1');
  const overlay = page.getByTestId('help-overlay');
  await expect(overlay).toBeVisible();
  await expect(overlay.locator('tr').first()).toHaveText(/^Emergency stop\s*Escape$/);
  await expect(overlay.getByTestId('help-live.teleop')).toContainText('W');
  await page.keyboard.press('F1');
  await expect(overlay).toHaveCount(0);
});
