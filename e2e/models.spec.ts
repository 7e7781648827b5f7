import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { tinyPlanner } from '../src/testing/testCards';
import { startHamsterServer, type HamsterServerProcess } from '../src/testing/hamsterServerProcess';
import { createDataset, dropFiles, makeJpeg, type TestFile } from './helpers';

/**
 * Models section and model-assisted labelling, driven like a person against the built app with the
 * shipped default models (public/models). Checks read IndexedDB where it matters.
 */

const modelFile = (dir: string, name: string): Buffer => readFileSync(new URL(`../public/models/${dir}/${name}`, import.meta.url));
const onnx = (name: string, data: Buffer): TestFile => ({ name, mime: 'application/octet-stream', data });
const json = (name: string, value: unknown): TestFile => ({ name, mime: 'application/json', data: Buffer.from(JSON.stringify(value)) });
const simFrame = (): TestFile => ({ name: 'sim-frame.jpg', mime: 'image/jpeg', data: readFileSync(new URL('../public/models/samples/sim-pick-place.jpg', import.meta.url)) });

interface StoredSample { id: string; path: { points: unknown[] } | null; prelabeled?: boolean; instruction: string }

async function storedSamples(page: Page): Promise<StoredSample[]> {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const all = await new Promise<StoredSample[]>((res, rej) => { const r = db.transaction('samples').objectStore('samples').getAll(); r.onsuccess = () => res(r.result as StoredSample[]); r.onerror = () => rej(r.error); });
    db.close();
    return all;
  });
}

async function modelCount(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res, rej) => { open.onsuccess = () => res(open.result); open.onerror = () => rej(open.error); });
    const n = await new Promise<number>((res) => { const r = db.transaction('models').objectStore('models').count(); r.onsuccess = () => res(r.result); });
    db.close();
    return n;
  });
}

test('a fresh profile gets the default planner and policy, and the planner suggests a path on a sim image', async ({ page }) => {
  await page.goto('/models');
  await expect(page.getByTestId('active-planner')).toContainText('path-studio-planner', { timeout: 30_000 });
  await expect(page.getByTestId('backend-planner')).toHaveText('wasm');
  // COOP/COEP make the page cross-origin isolated, so WASM threads are possible; the count follows the rule.
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('backend-reason-planner')).toContainText(/WASM, \d threads? \(half of \d+ cores; cross-origin isolated\)/);
  await expect(page.getByTestId('active-policy')).toContainText('path-studio-policy-concat', { timeout: 30_000 });
  await expect(page.getByTestId('model-row')).toHaveCount(4);

  await page.getByRole('button', { name: 'Simulator sample' }).click();
  await expect(page.getByLabel('Instruction')).toHaveValue(/cylinder/);
  await page.getByRole('button', { name: 'Suggest path' }).click();
  await expect(page.getByTestId('try-result')).toContainText(/\d waypoints in \d+ ms: <ans>\[\(/);
  await expect(page.getByTestId('try-result')).toContainText('Close Gripper');
});

test('the model list stays put while the built-in models load, so a click lands on the row it aimed at', async ({ page }) => {
  await page.goto('/models');
  await expect(page.getByTestId('model-list')).toBeVisible({ timeout: 30_000 });
  // Every frame, where the list's top edge is, until the policy (installed last) is active and nothing loads.
  await page.evaluate(() => {
    const tops = new Set<number>();
    (window as unknown as { listTops: Set<number> }).listTops = tops;
    const sample = () => {
      const list = document.querySelector('[data-testid=model-list]');
      if (list) tops.add(Math.round(list.getBoundingClientRect().top));
      requestAnimationFrame(sample);
    };
    sample();
  });
  await expect(page.getByTestId('active-policy')).toContainText('path-studio-policy-concat', { timeout: 30_000 });
  await expect(page.getByText(/^Loading /)).toHaveCount(0);
  expect(await page.evaluate(() => [...(window as unknown as { listTops: Set<number> }).listTops])).toHaveLength(1);
});

test('bad models are refused with a message and the active planner stays', async ({ page }) => {
  await page.goto('/models');
  await expect(page.getByTestId('active-planner')).toContainText('path-studio-planner', { timeout: 30_000 });
  await expect(page.getByTestId('active-policy')).toContainText('path-studio-policy-concat', { timeout: 30_000 }); // all built-ins stored
  const card = JSON.parse(modelFile('planner', 'card.json').toString());
  const graph = modelFile('planner', 'model.onnx');

  // A card whose text input does not match the graph: the message names the input.
  const wrong = { ...card, name: 'wrong-card', inputs: card.inputs.map((i: { name: string; shape: number[] }) => (i.name === 'text' ? { ...i, shape: [1, 128] } : i)), text: { ...card.text, dim: 128 } };
  await dropFiles(page, '[data-testid=model-drop]', [onnx('planner.onnx', graph), json('card.json', wrong)]);
  await expect(page.getByTestId('add-model-error')).toContainText(/planner.onnx: the model card does not match the model — input "text" is \[1, 256\] in the model but \[1, 128\] in the card/);

  // A corrupt ONNX file.
  await dropFiles(page, '[data-testid=model-drop]', [onnx('broken.onnx', Buffer.from('this is not a protobuf at all')), json('card.json', card)]);
  await expect(page.getByTestId('add-model-error')).toContainText(/broken.onnx: cannot load the model/);

  // A download cut short: the first half of a real model.
  await dropFiles(page, '[data-testid=model-drop]', [onnx('half.onnx', graph.subarray(0, graph.length >> 1)), json('card.json', card)]);
  await expect(page.getByTestId('add-model-error')).toContainText(/half.onnx: cannot load the model — not a valid ONNX model/);

  // A card that is not JSON, and an incomplete drop.
  await dropFiles(page, '[data-testid=model-drop]', [onnx('planner.onnx', graph), { name: 'card.json', mime: 'application/json', data: Buffer.from('{ nope') }]);
  await expect(page.getByTestId('add-model-error')).toContainText(/card.json: not valid JSON/);
  await dropFiles(page, '[data-testid=model-drop]', [onnx('planner.onnx', graph)]);
  await expect(page.getByTestId('add-model-error')).toContainText(/exactly one .onnx file and its model card/);

  expect(await modelCount(page)).toBe(4);
  await expect(page.getByTestId('active-planner')).toContainText('path-studio-planner');

  // A good pair is added and can be made active.
  await dropFiles(page, '[data-testid=model-drop]', [onnx('planner.onnx', graph), json('card.json', { ...card, name: 'my-planner' })]);
  await expect(page.getByTestId('model-row').filter({ hasText: 'my-planner' })).toBeVisible();
  expect(await modelCount(page)).toBe(5);
  await page.getByTestId('model-row').filter({ hasText: 'my-planner' }).getByRole('button', { name: 'Make active' }).click();
  await expect(page.getByTestId('active-planner')).toContainText('my-planner');
});

test('a model with an operator set the runtime lacks is refused, and the active planner stays', async ({ page }) => {
  await page.goto('/models');
  await expect(page.getByTestId('active-planner')).toContainText('path-studio-planner', { timeout: 30_000 });
  await expect(page.getByTestId('active-policy')).toContainText('path-studio-policy-concat', { timeout: 30_000 }); // all built-ins stored
  // The same tiny graph twice (built in src/inference/testCards.ts): stamped opset 99, then 13.
  const future = tinyPlanner(99, 'future-planner');
  await dropFiles(page, '[data-testid=model-drop]', [onnx('future.onnx', Buffer.from(future.onnx)), json('future.json', future.card)]);
  await expect(page.getByTestId('add-model-error')).toContainText(/future.onnx: cannot load the model — the model needs operator set \(opset\) 99 of ai.onnx, which this runtime \(onnxruntime-web [\d.]+\) does not support: it runs opsets up to \d+/);
  expect(await modelCount(page)).toBe(4);
  await expect(page.getByTestId('active-planner')).toContainText('path-studio-planner');

  // Control: with a supported opset the very same graph and card are accepted and plan.
  const today = tinyPlanner(13, 'today-planner');
  await dropFiles(page, '[data-testid=model-drop]', [onnx('today.onnx', Buffer.from(today.onnx)), json('today.json', today.card)]);
  await expect(page.getByTestId('model-row').filter({ hasText: 'today-planner' })).toBeVisible();
  await page.getByTestId('model-row').filter({ hasText: 'today-planner' }).getByRole('button', { name: 'Make active' }).click();
  await expect(page.getByTestId('active-planner')).toContainText('today-planner');
  await page.getByRole('button', { name: 'Simulator sample' }).click();
  await page.getByRole('button', { name: 'Suggest path' }).click();
  await expect(page.getByTestId('try-result')).toContainText('<ans>[(0.20, 0.20), (0.50, 0.30), <action>Close Gripper</action>, (0.60, 0.70), (0.80, 0.40), <action>Open Gripper</action>]</ans>');
});

/** The Try panel's canvas as a data URL (the image, and the path once drawn). */
const tryCanvas = (page: Page): Promise<string> => page.getByTestId('try-canvas').evaluate((c) => (c as HTMLCanvasElement).toDataURL());

test.describe('a remote planner: HAMSTER server.py as people run it (a separate stand-in process)', () => {
  let hamster: HamsterServerProcess | null = null;
  test.afterEach(async () => {
    await hamster?.stop();
    hamster = null;
  });

  test('through the studio\'s relay: no CORS needed, a /v1 address works, the path is drawn; directly, the browser is blocked', async ({ page }) => {
    // The checkpoint folder renamed to the name server.py accepts (docs/MODELS.md).
    const h = (hamster = await startHamsterServer({ modelPath: 'HAMSTER_dev' }));
    await page.goto('/models');
    const form = page.getByRole('form', { name: 'Remote planner' });
    await form.getByLabel('Remote planner address').fill(`${h.url}/v1`); // as an OpenAI client is set up
    await form.getByLabel('Remote planner timeout').fill('30');
    await form.getByLabel('Remote planner retries').fill('0');
    await form.getByRole('button', { name: 'Use as planner' }).click();
    await expect(page.getByTestId('active-planner')).toContainText('Remote: HAMSTER_dev');

    await page.getByRole('button', { name: 'Simulator sample' }).click();
    await expect(page.getByLabel('Instruction')).toHaveValue(/cylinder/);
    await expect.poll(async () => (await tryCanvas(page)).length).toBeGreaterThan(1000);
    const plain = await tryCanvas(page);
    await page.getByRole('button', { name: 'Suggest path' }).click();
    await expect(page.getByTestId('try-result')).toContainText('2 waypoints');
    await expect(page.getByTestId('try-result')).toContainText('<ans>[(0.25, 0.32), <action>Close Gripper</action>, (0.74, 0.21), <action>Open Gripper</action>]</ans>');
    await expect.poll(() => tryCanvas(page)).not.toBe(plain); // the path drawn over the image
    // What server.py saw (its log comes over a pipe, soon after): /v1 answered 404, the root route took an image and the HAMSTER prompt.
    await expect.poll(() => h.output()).toMatch(/"POST \/v1\/chat\/completions HTTP\/1.1" 404/);
    await expect.poll(() => h.output()).toMatch(/Prompt input: .*<quest>pick up the cyan cylinder.*\(1 image\)/);
    await expect.poll(() => h.output()).toMatch(/"POST \/chat\/completions HTTP\/1.1" 200/);
    await expect(page.getByTestId('relay-status')).toContainText(/through the studio's relay/i);
    await expect(page.getByTestId('api-key-source')).toContainText(/no API key/i);

    // Straight from the browser, server.py's 405 to the CORS preflight blocks the call; the message says what to do.
    await form.getByLabel('Remote planner connection').selectOption('direct');
    await form.getByLabel('Remote planner address').fill(h.url);
    await form.getByRole('button', { name: 'Use as planner' }).click();
    await page.getByRole('button', { name: 'Suggest path' }).click();
    await expect(page.getByTestId('try-planner').getByRole('alert')).toContainText(/CORS.*studio's relay/);
    await expect.poll(() => h.output()).toMatch(/"OPTIONS \/chat\/completions HTTP\/1.1" 405/);
  });

  test('the stock checkpoint folder (Hamster_dev): server.py\'s model-name errors become instructions', async ({ page }) => {
    const h = (hamster = await startHamsterServer({ modelPath: 'Hamster_dev' })); // as setup_server.sh clones it
    await page.goto('/models');
    const form = page.getByRole('form', { name: 'Remote planner' });
    await form.getByLabel('Remote planner address').fill(h.url);
    await form.getByLabel('Remote planner retries').fill('0');
    await form.getByRole('button', { name: 'Use as planner' }).click();
    await page.getByRole('button', { name: 'Simulator sample' }).click();
    await page.getByRole('button', { name: 'Suggest path' }).click();
    const alert = page.getByTestId('try-planner').getByRole('alert');
    // HTTP 500 {"error": "The endpoint is configured to use the model Hamster_dev, but the request model is HAMSTER_dev"}
    await expect(alert).toContainText('mv Hamster_dev HAMSTER_dev');
    await expect(alert).toContainText('--model-path HAMSTER_dev');
    await expect.poll(() => h.output()).toMatch(/"POST \/chat\/completions HTTP\/1.1" 500/);

    // The folder's own name is not in server.py's list: HTTP 422 literal_error.
    await form.getByLabel('Remote planner model').fill('Hamster_dev');
    await form.getByRole('button', { name: 'Use as planner' }).click();
    await page.getByRole('button', { name: 'Suggest path' }).click();
    await expect(alert).toContainText(/accepts only these model names: .*HAMSTER_dev/);
    await expect(alert).toContainText('mv Hamster_dev HAMSTER_dev');
  });
});

test('Suggest path in Annotate and pre-labelling a dataset (background job, marked until touched)', async ({ page }) => {
  await createDataset(page, 'Assist');
  await dropFiles(page, '[data-testid=dataset-page]', [simFrame(), makeJpeg('a.jpg', 1, 160, 120), makeJpeg('b.jpg', 2, 160, 120)]);
  await expect(page.getByTestId('count-all')).toHaveText('3');
  await page.locator('a.btn', { hasText: 'Annotate' }).click();
  await expect(page.getByTestId('instruction')).toBeVisible();
  // Without an instruction the planner is not asked, and nothing is stored as its suggestion.
  const suggest = page.getByRole('button', { name: /Suggest path/ });
  await expect(suggest).toBeEnabled({ timeout: 30_000 });
  await suggest.click();
  await expect(page.getByRole('alert').filter({ hasText: 'Write the instruction first' })).toBeVisible();
  expect((await storedSamples(page)).filter((s) => s.path?.points.length || s.prelabeled)).toHaveLength(0);
  await page.getByTestId('instruction').fill('pick up the cyan cylinder and place it in the pink bowl');
  await page.getByTestId('instruction').press('Escape');
  await suggest.click();
  await expect(page.getByTestId('hamster-text')).toHaveValue(/<ans>\[\(0\.\d\d, 0\.\d\d\)/);
  await expect.poll(async () => (await storedSamples(page)).filter((s) => s.path && s.prelabeled).length).toBe(1);

  // Give the other two instructions, then pre-label the rest of the dataset from Models.
  const samples = await storedSamples(page);
  await page.evaluate(async (ids) => {
    const open = indexedDB.open('path-studio');
    const db: IDBDatabase = await new Promise((res) => { open.onsuccess = () => res(open.result); });
    const tx = db.transaction('samples', 'readwrite');
    const store = tx.objectStore('samples');
    for (const id of ids) {
      const r = store.get(id);
      r.onsuccess = () => store.put({ ...r.result, instruction: 'press the red button' });
    }
    await new Promise((res) => { tx.oncomplete = res; });
    db.close();
  }, samples.filter((s) => !s.path).map((s) => s.id));
  await page.goto('/models');
  await page.getByLabel('Dataset to pre-label').selectOption({ label: 'Assist' });
  await expect(page.getByRole('button', { name: 'Pre-label' })).toBeEnabled({ timeout: 30_000 });
  await page.getByRole('button', { name: 'Pre-label' }).click();
  await expect(page.getByText(/"Assist": 2 of 2 unlabelled samples pre-labelled/)).toBeVisible({ timeout: 30_000 });
  const after = await storedSamples(page);
  expect(after.filter((s) => s.path && s.prelabeled)).toHaveLength(3);
});

test('WebGPU can be forced (SwiftShader here): the planner still answers, and the reason is shown', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/models');
  await expect(page.getByTestId('active-planner')).toContainText('path-studio-planner', { timeout: 30_000 });
  await page.getByLabel('Inference backend').selectOption('webgpu');
  await expect(page.getByTestId('backend-planner')).toHaveText(/webgpu|wasm/, { timeout: 60_000 });
  await expect(page.getByTestId('backend-planner')).toHaveText('webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('backend-reason-planner')).toContainText(/swiftshader/i);
  await page.getByRole('button', { name: 'Simulator sample' }).click();
  await page.getByRole('button', { name: 'Suggest path' }).click();
  await expect(page.getByTestId('try-result')).toContainText(/\d waypoints in \d+ ms: <ans>\[\(/, { timeout: 60_000 });
});

test('when onnxruntime cannot load its WASM, Models says so instead of hanging', async ({ page }) => {
  await page.route(/ort-wasm-simd-threaded[^/]*\.wasm$/, (route) => route.abort());
  await page.goto('/models');
  // The planner fails first; the policy loading behind it may fail last and own the message.
  await expect(page.getByTestId('registry-error')).toContainText(/path-studio-(planner|policy-\w+): cannot load the model — onnxruntime could not start its WebAssembly runtime \(.+\): the app's ort-wasm files did not load/, { timeout: 30_000 });
  await expect(page.getByTestId('active-planner')).toContainText('No planner active');
});
