import { expect, test, type Page } from '@playwright/test';
import { createDataset, dropFiles, makeJpeg, settled } from './helpers';

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

test('an edit survives a reload fired right after it, and a tab closed right after it', async ({ page, context }) => {
  await openAnnotate(page, 'Crash safety', 1);
  const id = await waitForSample(page);
  await clickAt(page, 0.5, 0.5);
  await page.reload(); // no waiting for the save
  await waitForSample(page);
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.50, 0.50)]</ans>');

  await clickAt(page, 0.25, 0.75);
  const url = page.url();
  await page.close({ runBeforeUnload: false });
  const again = await context.newPage();
  await again.goto(url);
  await waitForSample(again);
  await expect(hamsterText(again)).toHaveValue('<ans>[(0.50, 0.50), (0.25, 0.75)]</ans>');
  expect((await storedSample(again, id)).path!.points).toHaveLength(2);
});

test('an edit whose save a reload cut short reaches the Library at the next start, without opening Annotate', async ({ page }) => {
  await createDataset(page, 'Journal at start');
  await dropFiles(page, '[data-testid=dataset-page]', [makeJpeg('frame-0.jpg', 1, 320, 240)]);
  await expect(page.getByTestId('count-all')).toHaveText('1');
  const library = page.url();
  await page.locator('a.btn', { hasText: 'Annotate' }).click();
  const id = await waitForSample(page);
  // What Annotate's autosave journals before its IndexedDB write: a reload that cuts the write short
  // leaves it there, and the record as it was (app/annotate/autosave.ts).
  await page.evaluate((id) => localStorage.setItem('path-studio.annotate.journal.v1', JSON.stringify({ [id]: { patch: { status: 'done', instruction: 'stack the cups' }, at: Date.now() } })), id);
  await page.goto(library);
  await expect(page.getByTestId('count-done')).toHaveText('1');
  await expect(page.getByTestId('sample-tile')).toContainText('stack the cups');
  expect(await page.evaluate(() => localStorage.getItem('path-studio.annotate.journal.v1'))).toBeNull();
  expect((await storedSample(page, id)).status).toBe('done');
});

test('review flow: mark done, approve, reject with a comment; the annotator sees the reason', async ({ page }) => {
  await openAnnotate(page, 'Review flow', 3);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const id = await waitForSample(page, ids[ids.length - 1]);
    ids.push(id);
    await clickAt(page, 0.3 + 0.1 * i, 0.5);
    await page.keyboard.press('Control+Enter'); // done, and on to the next unfinished
  }
  await expect(page.getByTestId('annotate-count-done')).toHaveText('3');
  await expect(page.getByTestId('annotate-count-draft')).toHaveText('0');
  // Moving on never touches the path just drawn.
  for (const [i, id] of ids.entries()) expect((await storedSample(page, id)).path!.points[0].x).toBeCloseTo(0.3 + 0.1 * i, 2);

  await page.keyboard.press('r'); // review mode
  await expect(page).toHaveURL(/mode=review/);
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', ids[2]);
  await page.keyboard.press('a'); // approve the third, then on to the next one to review (wraps to the first)
  await waitForSample(page, ids[2]);
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', ids[0]);
  await page.keyboard.press('x');
  await expect(page.getByTestId('reject-comment')).toBeFocused();
  await page.keyboard.type('gripper closes too late');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', ids[1]);
  await expect(page.getByTestId('annotate-count-reviewed')).toHaveText('1');
  await expect(page.getByTestId('annotate-count-rejected')).toHaveText('1');
  await expect(page.getByTestId('annotate-count-done')).toHaveText('1');

  // Back to annotating: the next unfinished sample is the rejected one, with the reviewer's reason.
  await page.keyboard.press('r');
  await expect(page).not.toHaveURL(/mode=review/);
  await page.keyboard.press('Shift+F');
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', ids[0]);
  await expect(page.getByTestId('review-reason')).toContainText('Rejected: gripper closes too late');
  await expect(page.getByTestId('sample-status')).toHaveText('rejected');
  const stored = await storedSample(page, ids[0]);
  expect(stored.status).toBe('rejected');
  expect(stored.review).toMatchObject({ verdict: 'rejected', comment: 'gripper closes too late' });
  expect((await storedSample(page, ids[2])).status).toBe('reviewed');

  // Fixed and marked done again, the reviewer still sees why it was rejected before.
  await page.keyboard.press('Control+Enter');
  await page.keyboard.press('r');
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', ids[0]);
  await expect(page.getByTestId('sample-status')).toHaveText('done');
  await expect(page.getByTestId('review-reason')).toContainText('gripper closes too late');
});

test('review mode opens on work to review, and a draft that was never submitted gets no verdict', async ({ page }) => {
  await openAnnotate(page, 'Review drafts', 2);
  const first = await waitForSample(page);
  await clickAt(page, 0.4, 0.5);
  await page.keyboard.press('Control+Enter'); // the first is done; on to the second, a draft
  const draft = await waitForSample(page, first);
  await page.keyboard.press('r');
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', first);
  await page.keyboard.press('f'); // back to the draft, by hand
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', draft);
  await expect(page.getByTestId('approve')).toBeDisabled();
  await expect(page.getByTestId('reject')).toBeDisabled();
  await page.keyboard.press('x');
  await page.keyboard.press('a');
  await expect(page.getByTestId('reject-comment')).toHaveCount(0);
  expect((await storedSample(page, draft)).status).toBe('draft');
  await expect(page.getByTestId('annotate-count-reviewed')).toHaveText('0');
});

test('freehand stroke, drag a point (Escape cancels), insert on a segment, live HAMSTER text both ways', async ({ page }) => {
  await openAnnotate(page, 'Gestures', 1);
  const id = await waitForSample(page);
  // Freehand: an L-shaped stroke becomes its three corners.
  const stroke: [number, number][] = [];
  for (let i = 0; i <= 10; i++) stroke.push([0.2, 0.2 + 0.06 * i]);
  for (let i = 1; i <= 10; i++) stroke.push([0.2 + 0.06 * i, 0.8]);
  let p = await screenAt(page, ...stroke[0]);
  await page.mouse.move(p.x, p.y);
  await page.mouse.down();
  for (const [x, y] of stroke.slice(1)) {
    p = await screenAt(page, x, y);
    await page.mouse.move(p.x, p.y, { steps: 2 });
  }
  await page.mouse.up();
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.20, 0.80), (0.80, 0.80)]</ans>');

  // Drag the corner, then press Escape before releasing: nothing changes.
  const corner = await screenAt(page, 0.2, 0.8);
  const target = await screenAt(page, 0.5, 0.5);
  await page.mouse.move(corner.x, corner.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 5 });
  await page.keyboard.press('Escape');
  await page.mouse.up();
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.20, 0.80), (0.80, 0.80)]</ans>');
  // The same drag released: one undo step.
  await page.mouse.move(corner.x, corner.y);
  await page.mouse.down();
  await page.mouse.move(target.x, target.y, { steps: 5 });
  await page.mouse.up();
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.50, 0.50), (0.80, 0.80)]</ans>');
  await page.keyboard.press('Control+z');
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.20, 0.80), (0.80, 0.80)]</ans>');
  await page.keyboard.press('Control+y');
  // Click in the middle of the last segment: a point is inserted there.
  await clickAt(page, 0.65, 0.65);
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.50, 0.50), (0.65, 0.65), (0.80, 0.80)]</ans>');

  // Typing text redraws the path; invalid text shows the parser's error and keeps the path.
  await page.keyboard.press('t');
  await expect(hamsterText(page)).toBeFocused();
  await hamsterText(page).fill('<ans>[(0.10, 0.10), <action>Close Gripper</action>, (0.90, 0.90)]</ans>');
  await expect(page.getByTestId('status-line')).toContainText('2 points');
  await hamsterText(page).fill('<ans>[(0.10, 0.10), (0.90 0.90)]</ans>');
  await expect(page.getByTestId('hamster-error')).toBeVisible();
  await expect(page.getByTestId('status-line')).toContainText('2 points');
  await page.keyboard.press('Escape'); // leaves the field; the text shows the path again
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.10, 0.10), <action>Close Gripper</action>, (0.90, 0.90)]</ans>');
  await expect(page.getByTestId('hamster-error')).toHaveCount(0);
  await expect.poll(async () => (await storedSample(page, id)).path?.points.map((q) => q.gripper)).toEqual(['closed', 'closed']);
});

test('instructions autocomplete, a second path on the same image, copy the previous path', async ({ page }) => {
  await openAnnotate(page, 'Instructions', 2);
  const first = await waitForSample(page);
  await page.keyboard.press('i');
  await expect(page.getByTestId('instruction')).toBeFocused();
  await page.keyboard.type('pick up the red block');
  await page.keyboard.press('Enter'); // back to the canvas
  await clickAt(page, 0.3, 0.3);
  await clickAt(page, 0.6, 0.4);

  await page.keyboard.press('n'); // another instruction + path on this image
  const second = await waitForSample(page, first);
  await expect(page.getByTestId('image-path-tab')).toHaveCount(2);
  await expect(page.getByTestId('instruction')).toBeFocused();
  await expect(page.locator('#instruction-suggestions option')).toHaveAttribute('value', 'pick up the red block');
  await page.keyboard.type('push the bowl');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('queue-position')).toHaveText('2 / 3');
  expect(await hamsterText(page).inputValue()).toBe('<ans>[]</ans>');

  await page.keyboard.press('c'); // copy the previous sample's path
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.30, 0.30), (0.60, 0.40)]</ans>');
  await expect.poll(async () => (await storedSample(page, second)).path?.points.length).toBe(2);
  // Away and back again: the copy can still be undone.
  await page.keyboard.press('d');
  await expect(page.getByTestId('queue-position')).toHaveText('1 / 3');
  await page.keyboard.press('f');
  await expect(page.getByTestId('queue-position')).toHaveText('2 / 3');
  await page.keyboard.press('Control+z');
  await expect(hamsterText(page)).toHaveValue('<ans>[]</ans>');
  await page.keyboard.press('Control+y');
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.30, 0.30), (0.60, 0.40)]</ans>');
  const stored = await storedSample(page, second);
  expect(stored.instruction).toBe('push the bowl');
  expect((await storedSample(page, first)).instruction).toBe('pick up the red block');
});

test.describe('shortcuts', () => {
  const position = (page: Page) => page.getByTestId('queue-position');
  const zoom = async (page: Page) => Number((await page.getByTestId('zoom').textContent())!.replace('%', ''));

  test('every default shortcut does its job', async ({ page }) => {
    await openAnnotate(page, 'Shortcuts', 3);
    const first = await waitForSample(page);
    await expect(position(page)).toHaveText('1 / 3');
    await page.keyboard.press('f');
    await expect(position(page)).toHaveText('2 / 3');
    await page.keyboard.press('d');
    await expect(position(page)).toHaveText('1 / 3');
    await waitForSample(page);

    for (const x of [0.2, 0.5, 0.8]) await clickAt(page, x, 0.5);
    await page.keyboard.press('[');
    await expect(page.getByTestId('status-line')).toContainText('point 2 selected');
    await page.keyboard.press('g');
    await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.50), (0.50, 0.50), <action>Close Gripper</action>, (0.80, 0.50)]</ans>');
    await page.keyboard.press('Delete');
    await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.50), (0.80, 0.50), <action>Close Gripper</action>]</ans>');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.50), (0.50, 0.50), (0.80, 0.50)]</ans>');
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+y');
    await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.50), (0.80, 0.50), <action>Close Gripper</action>]</ans>');
    await page.keyboard.press('Control+z');
    await page.keyboard.press(']');
    await expect(page.getByTestId('status-line')).toContainText('point 3 selected');
    await page.keyboard.press('Shift+ArrowUp');
    await expect(hamsterText(page)).not.toHaveValue(/\(0\.80, 0\.50\)/);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('status-line')).not.toContainText('selected');
    await page.keyboard.press('Shift+Delete');
    await expect(page.getByTestId('status-line')).toContainText('0 points');
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('status-line')).toContainText('3 points');

    // View.
    const fitted = await zoom(page);
    await page.keyboard.press('+');
    expect(await zoom(page)).toBeGreaterThan(fitted);
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    expect(await zoom(page)).toBeLessThan(fitted);
    await page.keyboard.press('1');
    await expect(page.getByTestId('zoom')).toHaveText('100%');
    await page.keyboard.press('0');
    expect(await zoom(page)).toBe(fitted);
    // O lays HAMSTER's own drawing of the path over the image (the image layer changes on the path).
    const onPath = await screenAt(page, 0.35, 0.5);
    const imagePixel = () =>
      page.evaluate(({ x, y }) => {
        const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=annotate-canvas-host] canvas')!;
        const box = canvas.getBoundingClientRect();
        const ratio = canvas.width / box.width;
        return [...canvas.getContext('2d')!.getImageData(Math.round((x - box.left) * ratio), Math.round((y - box.top) * ratio), 1, 1).data];
      }, onPath);
    // The zoom keys above redraw on the next frames: sample once two frames apart agree (under load
    // the first sample caught the canvas before its redraw, and "overlay off" never matched it).
    const withoutOverlay = await settled(page, imagePixel);
    await page.keyboard.press('o');
    await expect(page.getByTestId('cmd-editor.toggleOverlay')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(imagePixel).not.toEqual(withoutOverlay);
    await page.keyboard.press('o');
    await expect.poll(imagePixel).toEqual(withoutOverlay);
    await page.keyboard.press('o');
    await page.keyboard.press('s');
    await expect(page.getByTestId('cmd-editor.toggleSnapping')).toHaveAttribute('aria-pressed', 'true');

    // Help overlay from F1 and from ?.
    await page.keyboard.press('F1');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await expect(page.getByTestId('help-sample.next')).toContainText('F');
    await page.keyboard.press('f'); // the list is modal: nothing moves underneath
    await expect(position(page)).toHaveText('1 / 3');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help-overlay')).toHaveCount(0);
    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toHaveCount(0);

    // Fields: I and T focus them, Escape gives the keys back to the canvas.
    await page.keyboard.press('i');
    await expect(page.getByTestId('instruction')).toBeFocused();
    await page.keyboard.type('fd'); // plain letters type, they do not navigate
    await expect(page.getByTestId('instruction')).toHaveValue('fd');
    await page.keyboard.press('Escape');
    await page.keyboard.press('t');
    await expect(hamsterText(page)).toBeFocused();
    await page.keyboard.press('Escape');

    // Suggest path is disabled while no planner is active, and then says why (read in one go:
    // the Models section may activate a default planner at any moment).
    const suggest = await page.getByTestId('suggest-reason').evaluate((wrap) => ({ disabled: wrap.querySelector('button')!.disabled, title: wrap.getAttribute('title') ?? '' }));
    if (suggest.disabled) expect(suggest.title).toMatch(/No planner is active/);
    else expect(suggest.title).toMatch(/Shift\+S/);

    // N adds a path on this image; Ctrl+Enter marks done and moves on; Shift+F finds the next unfinished.
    await page.keyboard.press('n');
    await expect(page.getByTestId('image-path-tab')).toHaveCount(2);
    await expect(position(page)).toHaveText('2 / 4');
    await page.keyboard.press('Escape');
    await page.keyboard.press('d');
    await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', first);
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('annotate-count-done')).toHaveText('1');
    await expect(position(page)).toHaveText('2 / 4');
    await page.keyboard.press('Control+Enter');
    await expect(position(page)).toHaveText('3 / 4');
    await page.keyboard.press('Shift+F');
    await expect(position(page)).toHaveText('4 / 4');
    await page.keyboard.press('Shift+F');
    await expect(position(page)).toHaveText('3 / 4');
  });

  test('zoom to the cursor with the wheel, pan with space-drag and middle-drag', async ({ page }) => {
    await openAnnotate(page, 'View', 1);
    await clickAt(page, 0.5, 0.5);
    const before = await screenAt(page, 0.25, 0.25);
    await page.mouse.move(before.x, before.y);
    await page.mouse.wheel(0, -200);
    await expect.poll(async () => (await screenAt(page, 0.25, 0.25)).x).toBeCloseTo(before.x, 0);
    const after = await screenAt(page, 0.25, 0.25);
    expect(after.y).toBeCloseTo(before.y, 0);
    const zoomed = Number((await page.getByTestId('zoom').textContent())!.replace('%', ''));
    expect(zoomed).toBeGreaterThan(100);

    // Space + drag pans (even when the press lands on a point), and adds nothing.
    const centre = await screenAt(page, 0.5, 0.5);
    await page.keyboard.down('Space');
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + 60, centre.y + 30, { steps: 4 });
    await page.mouse.up();
    await page.keyboard.up('Space');
    await expect.poll(async () => (await screenAt(page, 0.5, 0.5)).x).toBeCloseTo(centre.x + 60, 0);
    // Middle button drag pans too.
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down({ button: 'middle' });
    await page.mouse.move(centre.x - 40, centre.y, { steps: 4 });
    await page.mouse.up({ button: 'middle' });
    await expect.poll(async () => (await screenAt(page, 0.5, 0.5)).x).toBeCloseTo(centre.x + 20, 0);
    await expect(hamsterText(page)).toHaveValue('<ans>[(0.50, 0.50)]</ans>');
  });
});

test('a run of images labelled with the mouse used only to draw', async ({ page }) => {
  const count = 5;
  await openAnnotate(page, 'Keyboard run', count);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(await waitForSample(page, ids[ids.length - 1]));
    await expect(page.getByTestId('queue-position')).toHaveText(`${i + 1} / ${count}`);
    await clickAt(page, 0.2, 0.3 + 0.05 * i);
    await clickAt(page, 0.7, 0.6);
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.keyboard.type(`pick object ${i}`);
    await page.keyboard.press('Control+Enter'); // straight from the field: done, next
    // The keyboard leaves the field: the next keys are commands, not the next sample's instruction.
    await expect(page.getByTestId('instruction')).not.toBeFocused();
  }
  await expect(page.getByTestId('annotate-count-done')).toHaveText(String(count));
  // Everything typed is offered again by the autocomplete.
  await expect(page.locator('#instruction-suggestions option')).toHaveCount(count);
  for (const [i, id] of ids.entries()) {
    const stored = await storedSample(page, id);
    expect(stored).toMatchObject({ status: 'done', instruction: `pick object ${i}` });
    expect(stored.path!.points.map((p) => p.gripper)).toEqual(['open', 'closed']);
  }
});

test('pen, touch and trackpad: pen and finger taps add points, a finger drags freehand, two fingers pinch, trackpad pinches and scrolls', async ({ page }) => {
  await openAnnotate(page, 'Pointer types', 1);
  const cdp = await page.context().newCDPSession(page);
  // Pen: pointer events with pointerType "pen".
  const pen = await screenAt(page, 0.2, 0.2);
  for (const type of ['mousePressed', 'mouseReleased'] as const) {
    await cdp.send('Input.dispatchMouseEvent', { type, x: pen.x, y: pen.y, button: 'left', clickCount: 1, pointerType: 'pen' });
  }
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20)]</ans>');

  // One finger: a tap adds a point.
  const tap = await screenAt(page, 0.8, 0.2);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: tap.x, y: tap.y, id: 1 }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.80, 0.20)]</ans>');
  // One finger dragging draws freehand.
  for (let i = 0; i <= 6; i++) {
    const p = await screenAt(page, 0.8 - 0.1 * i, 0.9);
    await cdp.send('Input.dispatchTouchEvent', { type: i === 0 ? 'touchStart' : 'touchMove', touchPoints: [{ x: p.x, y: p.y, id: 1 }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.80, 0.20), (0.80, 0.90), (0.20, 0.90)]</ans>');

  // Two fingers spreading apart zoom in about their midpoint, and draw nothing.
  const zoomBefore = Number((await page.getByTestId('zoom').textContent())!.replace('%', ''));
  const mid = await screenAt(page, 0.5, 0.6);
  const fingers = (spread: number) => [
    { x: mid.x - spread, y: mid.y, id: 1 },
    { x: mid.x + spread, y: mid.y, id: 2 },
  ];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(40) });
  for (const spread of [50, 60, 70, 80]) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(spread) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await expect.poll(async () => Number((await page.getByTestId('zoom').textContent())!.replace('%', ''))).toBeGreaterThan(zoomBefore * 1.5);
  await expect(hamsterText(page)).toHaveValue('<ans>[(0.20, 0.20), (0.80, 0.20), (0.80, 0.90), (0.20, 0.90)]</ans>');

  // Trackpad: a pinch arrives as ctrl+wheel (zoom), a two-finger scroll as a wheel with a horizontal part (pan).
  await page.keyboard.press('0');
  const fitted = Number((await page.getByTestId('zoom').textContent())!.replace('%', ''));
  const centre = await screenAt(page, 0.5, 0.5);
  await page.mouse.move(centre.x, centre.y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -30);
  await page.keyboard.up('Control');
  await expect.poll(async () => Number((await page.getByTestId('zoom').textContent())!.replace('%', ''))).toBeGreaterThan(fitted);
  const beforeScroll = await screenAt(page, 0.5, 0.5);
  await page.mouse.wheel(15, 10);
  await expect.poll(async () => (await screenAt(page, 0.5, 0.5)).x).toBeCloseTo(beforeScroll.x - 15, 0);
});
