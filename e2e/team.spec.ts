import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { fetchAs, startTeamServer, type TeamServerProcess } from '../src/testing/teamServerProcess';
import { tinyPlanner } from '../src/testing/testCards';
import { generateSimDataset, removeTemp } from './episodesFixtures';
import { createDataset, dropFiles, makeJpeg, makePng, type TestFile } from './helpers';

/**
 * Teams (docs/TEAMS.md): people in separate browser contexts (separate storage) and the embedded
 * team server as its own process. First: the lead shares a dataset with images, Bob joins it, their
 * edits cross, then the server is killed: Bob keeps editing (offline), and once the server is back
 * his edit reaches the lead — once. Second: roles enforced by the server, and a conflict resolved.
 */

const ADMIN = 'lead:lead-secret';
const BOB = 'bob:bob-secret:annotator';

interface StoredSample { id: string; datasetId: string; instruction: string; assetId: string }

/** This page's samples of a dataset and its assets' sizes, read from IndexedDB directly. */
async function stored(page: Page, datasetId: string): Promise<{ samples: StoredSample[]; assetSizes: Record<string, number> }> {
  return page.evaluate(async (id) => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = <T,>(store: string) => new Promise<T[]>((res, rej) => {
      const r = db.transaction(store).objectStore(store).getAll();
      r.onsuccess = () => res(r.result as T[]);
      r.onerror = () => rej(r.error);
    });
    const samples = (await all<StoredSample>('samples')).filter((s) => s.datasetId === id);
    const assets = await all<{ id: string; blob: Blob }>('assets');
    db.close();
    return { samples, assetSizes: Object.fromEntries(assets.map((a) => [a.id, a.blob.size])) };
  }, datasetId);
}

async function signIn(page: Page, server: TeamServerProcess, name: string, password: string) {
  await page.goto('/settings');
  const card = page.locator('.card[aria-label="Team"]');
  await card.getByTestId('team-server-url').fill(server.url);
  await card.getByRole('button', { name: 'Use this server' }).click();
  await card.getByLabel('Team user name').fill(name);
  await card.getByLabel('Team password').fill(password);
  await card.getByRole('button', { name: 'Sign in' }).click();
  await expect(card.getByTestId('team-user')).toContainText(`Signed in as ${name}`);
}

async function setInstruction(page: Page, datasetId: string, sampleId: string, text: string) {
  await page.goto(`/annotate/${datasetId}/${sampleId}`);
  await expect(page.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', sampleId);
  const field = page.getByTestId('instruction');
  await field.fill(text);
  await field.press('Enter');
}

async function join(page: Page, server: TeamServerProcess, name: string, password: string, dataset: string) {
  await signIn(page, server, name, password);
  const card = page.locator('.card[aria-label="Team"]');
  await card.getByRole('button', { name: `Join ${dataset}` }).click();
  await expect(card.getByTestId('team-message')).toContainText(`Joined “${dataset}”`);
}

async function storedSample(page: Page, datasetId: string, sampleId: string) {
  return (await stored(page, datasetId)).samples.find((s) => s.id === sampleId) as (StoredSample & { status?: string }) | undefined;
}

async function serverDocs(server: TeamServerProcess, db: string): Promise<{ id: string; doc: Record<string, unknown> }[]> {
  const res = await fetchAs(ADMIN)(`${server.url}${db}/_all_docs?include_docs=true&conflicts=true`);
  const body = await res.json() as { rows: { id: string; doc: Record<string, unknown> }[] };
  // The rules' design document is the server's, not the dataset's.
  return body.rows.filter((r) => !r.id.startsWith('_design/'));
}

let dataDir = '';
let server: TeamServerProcess | null = null;

test.afterEach(async () => {
  const info = test.info();
  if (info.status !== info.expectedStatus && server) console.log(`team server output:\n${server.output()}`);
  await server?.kill();
  server = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A team server for one test: its own process and data folder, the studio's origin allowed. */
async function freshServer(baseURL: string | undefined, users: string[] = [BOB]): Promise<TeamServerProcess> {
  dataDir = mkdtempSync(path.join(tmpdir(), 'path-studio-team-'));
  return startTeamServer({ dir: dataDir, admin: ADMIN, users, origins: [new URL(baseURL!).origin] });
}

/** The lead, on a dataset's page, signs in and shares it; its id once it is in step with the server. */
async function shareThisDataset(lead: Page, server: TeamServerProcess): Promise<string> {
  const datasetId = new URL(lead.url()).pathname.split('/').pop()!;
  await signIn(lead, server, 'lead', 'lead-secret');
  const card = lead.locator('.card[aria-label="Team"]');
  await card.getByLabel('Dataset to share').selectOption(datasetId);
  await card.getByRole('button', { name: 'Share' }).click();
  await expect(card.getByTestId('team-sync-state')).toHaveAttribute('data-state', 'idle', { timeout: 60_000 });
  return datasetId;
}

/** The lead makes a dataset of these images and shares it; its id once the server holds all of it. */
async function leadShares(lead: Page, server: TeamServerProcess, name: string, files: TestFile[]): Promise<string> {
  await createDataset(lead, name);
  await dropFiles(lead, '[data-testid=dataset-page]', files);
  await expect(lead.getByTestId('count-all')).toHaveText(String(files.length));
  const datasetId = await shareThisDataset(lead, server);
  // The dataset, a sample and an image per file.
  await expect.poll(async () => (await serverDocs(server, `pathstudio-ds-${datasetId}`)).length, { timeout: 30_000 }).toBe(1 + 2 * files.length);
  return datasetId;
}

test('team: share a dataset with images, join it, edits cross both ways, and an offline edit arrives once after the server restarts', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL!).origin;
  server = await freshServer(baseURL);

  const lead = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();

  // The lead makes a dataset with three images.
  await createDataset(lead, 'Shared kitchen');
  await dropFiles(lead, '[data-testid=dataset-page]', [makeJpeg('cup.jpg', 1, 160, 120), makePng('plate.png', 2), makePng('bowl.png', 3)]);
  await expect(lead.getByTestId('count-all')).toHaveText('3');
  const datasetId = new URL(lead.url()).pathname.split('/').pop()!;
  const leadBefore = await stored(lead, datasetId);
  expect(leadBefore.samples).toHaveLength(3);

  // …signs in as the server admin and shares it.
  await signIn(lead, server, 'lead', 'lead-secret');
  const leadCard = lead.locator('.card[aria-label="Team"]');
  await leadCard.getByLabel('Dataset to share').selectOption({ label: 'Shared kitchen (3 samples)' });
  await leadCard.getByRole('button', { name: 'Share' }).click();
  await expect(leadCard.getByTestId('team-message')).toContainText('Shared “Shared kitchen”');
  await expect(leadCard.getByTestId('team-sync-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  const db = `pathstudio-ds-${datasetId}`;
  await expect.poll(async () => (await serverDocs(server!, db)).length, { timeout: 30_000 }).toBe(1 + 3 + 3);
  const docs = await serverDocs(server, db);
  expect(docs.filter((r) => r.id.startsWith('asset:')).map((r) => r.id.slice(6)).sort()).toEqual(Object.keys(leadBefore.assetSizes).sort());
  expect(docs.every((r) => r.doc.changedBy === 'lead')).toBe(true);

  // Bob signs in with his own user, sees the dataset on the server, and joins it.
  await signIn(bob, server, 'bob', 'bob-secret');
  const bobCard = bob.locator('.card[aria-label="Team"]');
  await bobCard.getByRole('button', { name: 'Join Shared kitchen' }).click();
  await expect(bobCard.getByTestId('team-message')).toContainText('Joined “Shared kitchen”');
  // Metadata first: the images stay on the server until they are shown.
  await expect(bobCard.getByTestId('team-images-here')).toHaveText('0 of 3 images here');

  // The samples are in his Library, their thumbnails fetched from the server as they are shown.
  await bob.goto('/library');
  const card = bob.getByTestId('dataset-card').filter({ hasText: 'Shared kitchen' });
  await expect(card.getByTestId('team-sync-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });
  await card.getByRole('link', { name: 'Shared kitchen' }).click();
  await expect(bob.getByTestId('count-all')).toHaveText('3');
  const thumbs = bob.locator('[data-testid=sample-scroller] img');
  await expect(thumbs).toHaveCount(3);
  await expect.poll(() => thumbs.evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length)).toBe(3);
  const bobBefore = await stored(bob, datasetId);
  expect(bobBefore.samples.map((s) => s.id).sort()).toEqual(leadBefore.samples.map((s) => s.id).sort());
  expect(bobBefore.assetSizes).toEqual({});

  // Bob edits an instruction (opening the sample fetches its image); the lead sees it. His page is
  // busy from now on (idle callbacks wait 5 s), so the sample opens before team mode's start at
  // idle time: the image must come all the same.
  await bob.addInitScript(() => {
    window.requestIdleCallback = ((cb: IdleRequestCallback) => window.setTimeout(() => cb({ didTimeout: true, timeRemaining: () => 0 }), 5000)) as typeof window.requestIdleCallback;
  });
  const [first, second] = [...leadBefore.samples].sort((a, b) => a.id.localeCompare(b.id));
  await setInstruction(bob, datasetId, first.id, 'put the cup in the sink');
  await expect(bob.getByTestId('annotate-canvas')).toHaveAttribute('data-view', new RegExp(`"image":"${first.assetId}"`));
  expect((await stored(bob, datasetId)).assetSizes[first.assetId]).toBe(leadBefore.assetSizes[first.assetId]);
  await expect.poll(async () => (await stored(lead, datasetId)).samples.find((s) => s.id === first.id)?.instruction, { timeout: 30_000 }).toBe('put the cup in the sink');
  await lead.goto(`/annotate/${datasetId}/${first.id}`);
  await expect(lead.getByTestId('instruction')).toHaveValue('put the cup in the sink');
  // The lead keeps it open and Bob changes it again: the lead's screen shows it without reopening.
  await setInstruction(bob, datasetId, first.id, 'put the cup in the left sink');
  await expect(lead.getByTestId('instruction')).toHaveValue('put the cup in the left sink', { timeout: 30_000 });
  await expect(lead.getByTestId('changed-elsewhere')).toContainText('changed elsewhere');
  const edited = (await serverDocs(server, db)).find((r) => r.id === `sample:${first.id}`)!.doc;
  expect(edited.changedBy).toBe('bob');

  // Bob makes the dataset available offline: every image comes, unasked.
  await bob.goto('/settings');
  await bobCard.getByLabel('Available offline').check();
  await expect(bobCard.getByTestId('team-images-here')).toHaveText('3 of 3 images here', { timeout: 30_000 });
  expect((await stored(bob, datasetId)).assetSizes).toEqual(leadBefore.assetSizes);

  // The server dies. Bob keeps working: the edit stays in his browser and the Library says offline.
  const port = server.port;
  await server.kill();
  await setInstruction(bob, datasetId, second.id, 'wipe the plate while offline');
  await expect.poll(async () => (await stored(bob, datasetId)).samples.find((s) => s.id === second.id)?.instruction).toBe('wipe the plate while offline');
  await bob.goto('/library');
  await expect(bob.getByTestId('dataset-card').filter({ hasText: 'Shared kitchen' }).getByTestId('team-sync-state')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });

  // The server comes back (same port, same data): the edit reaches the lead, once.
  server = await startTeamServer({ dir: dataDir, port, admin: ADMIN, origins: [origin] });
  await expect.poll(async () => (await stored(lead, datasetId)).samples.find((s) => s.id === second.id)?.instruction, { timeout: 60_000 }).toBe('wipe the plate while offline');
  await expect(bob.getByTestId('dataset-card').filter({ hasText: 'Shared kitchen' }).getByTestId('team-sync-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });

  const after = await serverDocs(server, db);
  const samples = after.filter((r) => r.id.startsWith('sample:'));
  expect(samples).toHaveLength(3);
  expect(samples.filter((r) => r.doc._conflicts)).toEqual([]);
  expect(samples.find((r) => r.id === `sample:${second.id}`)!.doc).toMatchObject({ instruction: 'wipe the plate while offline', changedBy: 'bob' });
  for (const page of [lead, bob]) {
    const now = await stored(page, datasetId);
    expect(now.samples).toHaveLength(3);
    expect(Object.fromEntries(now.samples.map((s) => [s.id, s.instruction]))).toMatchObject({ [first.id]: 'put the cup in the left sink', [second.id]: 'wipe the plate while offline' });
  }
  await lead.context().close();
  await bob.context().close();
});

test('team roles and conflicts: an annotator labels offline, a reviewer approves, the server refuses the annotator\'s approval, and a conflict is resolved in the Library', async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const origin = new URL(baseURL!).origin;
  server = await freshServer(baseURL, ['ann:ann-secret:annotator', 'rev:rev-secret:reviewer']);
  const lead = await (await browser.newContext()).newPage();
  const ann = await (await browser.newContext()).newPage();
  const rev = await (await browser.newContext()).newPage();

  // The lead shares a dataset of two images; the annotator and the reviewer join it.
  const datasetId = await leadShares(lead, server, 'Roles kitchen', [makePng('a.png', 11), makePng('b.png', 12)]);
  const [a, b] = (await stored(lead, datasetId)).samples.map((x) => x.id).sort();
  const leadCard = lead.locator('.card[aria-label="Team"]');
  const db = `pathstudio-ds-${datasetId}`;
  // As if it had been shared before the rules existed: the lead is told, and installs them.
  const rules = `${server.url}${db}/_design/pathstudio`;
  const { _rev } = await (await fetchAs(ADMIN)(rules)).json() as { _rev: string };
  expect((await fetchAs(ADMIN)(`${rules}?rev=${_rev}`, { method: 'DELETE' })).status).toBe(200);
  await lead.reload();
  await expect(leadCard.getByTestId('team-rules')).toContainText('does not enforce roles', { timeout: 30_000 });
  await leadCard.getByRole('button', { name: 'Install the rules' }).click();
  await expect(leadCard.getByTestId('team-message')).toContainText('now enforces the team');
  await expect(leadCard.getByTestId('team-rules')).toHaveCount(0);
  await lead.context().close();
  await join(ann, server, 'ann', 'ann-secret', 'Roles kitchen');
  await join(rev, server, 'rev', 'rev-secret', 'Roles kitchen');
  await expect(ann.locator('.card[aria-label="Team"]').getByTestId('team-role')).toHaveText('annotator');
  await expect(rev.locator('.card[aria-label="Team"]').getByTestId('team-role')).toHaveText('reviewer');
  const annCard = ann.locator('.card[aria-label="Team"]');
  await expect(annCard.getByTestId('team-images-here')).toHaveText('0 of 2 images here', { timeout: 30_000 });

  // The reviewer gives both samples to the annotator, who sees them as her queue.
  await rev.goto(`/library/${datasetId}`);
  const assign = rev.getByRole('form', { name: 'Assign samples' });
  await assign.getByLabel('To position').fill('2');
  await assign.getByLabel('Annotator').fill('ann');
  await assign.getByRole('button', { name: 'Assign' }).click();
  await expect(rev.getByTestId('team-assignment')).toContainText('ann: samples 1–2, by rev');
  await ann.goto(`/library/${datasetId}`);
  await expect(ann.getByTestId('team-queue')).toContainText('samples 1–2', { timeout: 30_000 });
  await expect(ann.getByTestId('team-queue-todo')).toHaveText('2');
  await expect(ann.getByRole('form', { name: 'Assign samples' })).toHaveCount(0);
  // She will label on the train: her queue's images came ahead, unasked.
  await ann.goto('/settings');
  await expect(annCard.getByTestId('team-queue-images')).toContainText('your queue: 2 of 2 images here', { timeout: 30_000 });
  await expect(annCard.getByTestId('team-images-here')).toHaveText('2 of 2 images here');

  // The annotator labels both samples while the server is away, and reconnects.
  const port = server.port;
  await server.kill();
  for (const [id, text] of [[a, 'open the drawer'], [b, 'close the drawer']]) {
    await setInstruction(ann, datasetId, id, text);
    await ann.getByTestId('mark-done').click();
    await expect.poll(async () => (await storedSample(ann, datasetId, id))?.status).toBe('done');
  }
  server = await startTeamServer({ dir: dataDir, port, admin: ADMIN, origins: [origin] });
  await expect.poll(async () => (await storedSample(rev, datasetId, b))?.status, { timeout: 60_000 }).toBe('done');

  // The reviewer approves the first: the server takes it, signed by the reviewer.
  await rev.goto(`/annotate/${datasetId}/${a}?mode=review`);
  await expect(rev.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', a);
  // Presence: the annotator sees where the reviewer is.
  await ann.goto(`/library/${datasetId}`);
  await expect(ann.getByTestId('team-presence').locator('[data-user=rev]')).toHaveAttribute('data-sample-id', a, { timeout: 30_000 });
  await rev.getByTestId('approve').click();
  await expect.poll(async () => (await serverDocs(server!, db)).find((r) => r.id === `sample:${a}`)?.doc.status, { timeout: 30_000 }).toBe('reviewed');
  expect((await serverDocs(server, db)).find((r) => r.id === `sample:${a}`)!.doc).toMatchObject({ changedBy: 'rev', reviewedBy: 'rev', instruction: 'open the drawer' });
  await expect.poll(async () => (await storedSample(ann, datasetId, a))?.status, { timeout: 30_000 }).toBe('reviewed');

  // The annotator tries to approve the second: the server refuses, the studio says so and puts it back.
  await ann.goto(`/annotate/${datasetId}/${b}?mode=review`);
  await expect(ann.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', b);
  await ann.getByTestId('approve').click();
  await expect(ann.getByTestId('save-state')).toHaveText('Saved');
  // To the Library by its links, as she would (the refusal can come back before she gets there).
  await ann.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Library' }).click();
  await ann.getByTestId('dataset-card').getByRole('link', { name: 'Roles kitchen' }).click();
  const refused = ann.getByTestId('team-refused');
  await expect(refused).toContainText('Only a reviewer can approve', { timeout: 30_000 });
  await expect(refused).toHaveAttribute('data-sample-id', b);
  await expect(refused).toContainText('Your change was undone here');
  await expect(ann.locator('[data-testid=team-sample-mark][data-refused=true]')).toHaveCount(1);
  // A reload keeps the notice until she dismisses it: the edit is already undone, only this says why.
  await ann.reload();
  await expect(refused).toContainText('Only a reviewer can approve', { timeout: 30_000 });
  await expect(refused).toHaveAttribute('data-sample-id', b);
  await expect.poll(async () => (await storedSample(ann, datasetId, b))?.status, { timeout: 30_000 }).toBe('done');
  expect((await serverDocs(server, db)).find((r) => r.id === `sample:${b}`)!.doc.status).toBe('done');

  // Both edit the second sample while the server is away: a conflict, shown and resolved in the Library.
  await server.kill();
  await setInstruction(ann, datasetId, b, 'close the drawer slowly');
  await setInstruction(rev, datasetId, b, 'close the top drawer');
  await expect.poll(async () => (await storedSample(rev, datasetId, b))?.instruction).toBe('close the top drawer');
  await expect.poll(async () => (await storedSample(ann, datasetId, b))?.instruction).toBe('close the drawer slowly');
  server = await startTeamServer({ dir: dataDir, port, admin: ADMIN, origins: [origin] });
  await ann.goto(`/library/${datasetId}`);
  const conflict = ann.getByTestId('team-conflict');
  await expect(conflict).toHaveAttribute('data-sample-id', b, { timeout: 60_000 });
  await expect(ann.locator('[data-testid=team-sample-mark][data-conflict=true]')).toHaveCount(1);
  await conflict.getByRole('button', { name: /Resolve the conflict/ }).click();
  const panel = ann.getByTestId('conflict-panel');
  await expect(panel.getByTestId('conflict-version')).toHaveCount(2);
  await panel.getByRole('button', { name: "Keep rev's version" }).click();
  await expect(ann.getByTestId('team-conflict')).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(async () => {
    const doc = (await serverDocs(server!, db)).find((r) => r.id === `sample:${b}`)?.doc;
    return doc && !doc._conflicts ? doc.instruction : null;
  }, { timeout: 30_000 }).toBe('close the top drawer');
  for (const page of [ann, rev]) await expect.poll(async () => (await storedSample(page, datasetId, b))?.instruction, { timeout: 30_000 }).toBe('close the top drawer');
  await rev.goto(`/library/${datasetId}`);
  await expect(rev.getByTestId('team-conflict')).toHaveCount(0, { timeout: 30_000 });
  await ann.context().close();
  await rev.context().close();
});

test('team in two tabs of one browser: one tab runs the sync, the other shows it and goes through it, and takes over when it closes', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  server = await freshServer(baseURL);
  const lead = await (await browser.newContext()).newPage();
  const datasetId = await leadShares(lead, server, 'Two tabs', [makePng('a.png', 21), makePng('b.png', 22)]);
  const [first, second] = (await stored(lead, datasetId)).samples.sort((x, y) => x.id.localeCompare(y.id));
  const db = `pathstudio-ds-${datasetId}`;
  const onServer = async (id: string) => (await serverDocs(server!, db)).find((r) => r.id === `sample:${id}`)?.doc.instruction;

  // Bob joins in one tab and opens the first sample there; then he opens a second tab.
  const bob = await browser.newContext();
  const tab1 = await bob.newPage();
  await join(tab1, server, 'bob', 'bob-secret', 'Two tabs');
  await tab1.goto(`/annotate/${datasetId}/${first.id}`);
  await expect(tab1.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', first.id);
  const tab2 = await bob.newPage();
  await tab2.goto('/settings');
  const card2 = tab2.locator('.card[aria-label="Team"]');
  await expect(card2.getByTestId('team-other-tab')).toBeVisible();
  await expect(card2.getByTestId('team-user')).toContainText('Signed in as bob');
  await expect(card2.getByTestId('team-sync-state')).toHaveAttribute('data-state', 'idle', { timeout: 30_000 });

  // An edit in the second tab (its image fetched by the first) goes through the first tab's sync and shows there at once.
  await setInstruction(tab2, datasetId, first.id, 'edited in the second tab');
  await expect(tab2.getByTestId('annotate-canvas')).toHaveAttribute('data-view', new RegExp(`"image":"${first.assetId}"`));
  await expect(tab1.getByTestId('instruction')).toHaveValue('edited in the second tab', { timeout: 30_000 });
  await expect.poll(() => onServer(first.id), { timeout: 30_000 }).toBe('edited in the second tab');

  // The first tab closes: the second takes over, sends its edits and receives the lead's.
  await tab1.close();
  await tab2.goto(`/annotate/${datasetId}/${second.id}`);
  await expect(tab2.getByTestId('annotate-page')).toHaveAttribute('data-sample-id', second.id);
  const field = tab2.getByTestId('instruction');
  await field.fill('after the first tab closed');
  await field.press('Enter');
  await expect.poll(() => onServer(second.id), { timeout: 30_000 }).toBe('after the first tab closed');
  await setInstruction(lead, datasetId, first.id, 'from the lead');
  await expect.poll(async () => (await storedSample(tab2, datasetId, first.id))?.instruction, { timeout: 30_000 }).toBe('from the lead');
  await tab2.goto('/settings');
  await expect(card2.getByTestId('team-user')).toContainText('Signed in as bob');
  await expect(card2.getByTestId('team-other-tab')).toHaveCount(0);
  await lead.context().close();
  await bob.close();
});

test('team: a dataset of imported episodes is shared with its episodes, and a teammate replays one in the player', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const sim = generateSimDataset(2, 1);
  try {
    server = await freshServer(baseURL);

    // The lead imports episode 1 of a simulator dataset and shares the dataset.
    const lead = await (await browser.newContext()).newPage();
    await lead.goto('/import/episodes');
    await lead.getByLabel('Dataset folder').setInputFiles(sim);
    await lead.getByRole('button', { name: 'None' }).click();
    await lead.getByLabel('Import episode 1').check();
    await lead.getByLabel('Instruction for episode 1').fill('push the button');
    await lead.getByRole('button', { name: 'Import 1 episode as samples' }).click();
    await expect(lead.getByTestId('import-result')).toContainText('Imported 1 episodes as', { timeout: 60_000 });
    await lead.getByRole('link', { name: 'Open in Library' }).click();
    const datasetId = await shareThisDataset(lead, server);
    const db = `pathstudio-ds-${datasetId}`;
    await expect.poll(async () => (await serverDocs(server!, db)).filter((r) => r.id.startsWith('episode:')).length, { timeout: 30_000 }).toBe(1);
    const name = (await serverDocs(server, 'pathstudio-catalogue'))[0].doc.name as string;

    // Bob joins (images and videos stay on the server until shown) and opens the episode in the player.
    const bob = await (await browser.newContext()).newPage();
    await join(bob, server, 'bob', 'bob-secret', name);
    await bob.goto(`/library/${datasetId}`);
    await bob.getByTestId('dataset-episodes').locator('summary').click();
    await bob.getByRole('link', { name: 'Open sim-dataset episode 1 in the player' }).click();
    await expect(bob.getByRole('heading', { name: 'sim-dataset episode 1' })).toBeVisible();
    await expect(bob.getByTestId('player-frame')).toHaveText(/^Frame 0 \/ \d+$/);
    await expect(bob.getByTestId('player-canvas')).toHaveAttribute('data-image-step', '0', { timeout: 30_000 });
    await expect(bob.getByTestId('plot-state')).toHaveAttribute('data-cursor-frame', '0');
    await bob.keyboard.press('ArrowRight');
    await expect(bob.getByTestId('player-canvas')).toHaveAttribute('data-image-step', '1');
    await lead.context().close();
    await bob.context().close();
  } finally {
    removeTemp(sim);
  }
});

test('team models: the lead shares a planner from Models, and an annotator gets it and makes it active', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  server = await freshServer(baseURL);
  // A graph of the lab's own (not one of the built-ins every browser has).
  const lab = tinyPlanner(13, 'lab-planner');

  // The lead adds a planner of the lab's own and shares it.
  const lead = await (await browser.newContext()).newPage();
  await signIn(lead, server, 'lead', 'lead-secret');
  await lead.goto('/models');
  await dropFiles(lead, '[data-testid=model-drop]', [
    { name: 'lab.onnx', mime: 'application/octet-stream', data: Buffer.from(lab.onnx) },
    { name: 'card.json', mime: 'application/json', data: Buffer.from(JSON.stringify(lab.card)) },
  ]);
  await expect(lead.getByTestId('model-row').filter({ hasText: 'lab-planner' })).toBeVisible({ timeout: 30_000 });
  const leadModels = lead.locator('.card[aria-label="Team models"]');
  await leadModels.getByLabel('Model to share').selectOption({ label: 'lab-planner (planner)' });
  await leadModels.getByRole('button', { name: 'Share with the team' }).click();
  await expect(leadModels.getByTestId('team-models-message')).toContainText('Shared “lab-planner” with the team');
  await expect(leadModels.getByTestId('team-model-row').filter({ hasText: 'lab-planner' })).toContainText('here');

  // Bob sees it on the team server, gets it, and makes it his planner.
  const bob = await (await browser.newContext()).newPage();
  await signIn(bob, server, 'bob', 'bob-secret');
  await bob.goto('/models');
  const row = bob.locator('.card[aria-label="Team models"]').getByTestId('team-model-row').filter({ hasText: 'lab-planner' });
  await expect(row).toContainText('lead');
  // The built-ins are stored and loaded (the policy last), so nothing else is loading when he clicks.
  await expect(bob.getByTestId('active-planner')).toContainText('path-studio-planner', { timeout: 30_000 });
  await expect(bob.getByTestId('active-policy')).toContainText('path-studio-policy', { timeout: 30_000 });
  await row.getByRole('button', { name: 'Get lab-planner' }).click();
  await expect(row).toContainText('here');
  await bob.getByTestId('model-row').filter({ hasText: 'lab-planner' }).getByRole('button', { name: 'Make active' }).click();
  await expect(bob.getByTestId('active-planner')).toContainText('lab-planner', { timeout: 30_000 });
  await lead.context().close();
  await bob.context().close();
});

