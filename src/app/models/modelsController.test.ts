import 'fake-indexeddb/auto';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serve, type PageEndpoint, type WorkerEndpoint } from '../../core/workerRpc';
import { InferenceClient, setInferenceClient } from '../../inference/client';
import type { InferenceProtocol } from '../../inference/inferenceProtocol';
import { createDataset } from '../../storage/datasets';
import { getDb, setDb, StudioDatabase } from '../../storage/db';
import { addSamplesWithAssets } from '../../storage/samples';
import { installMemoryLocalStorage } from '../../testing/memoryLocalStorage';
import { plannerCard } from '../../testing/testCards';
import { useJobs } from '../jobs/jobs';
import { useDatasets } from '../library/datasetList';
import { useToasts } from '../toasts';
import { ModelsController, relayKeyHolder, type RelayState } from './modelsController';
import { TryPlannerController } from './tryPlanner';

/** A stand-in for the inference worker: the "ONNX" bytes are JSON naming the graph's inputs and outputs. */
function fakeWorker() {
  const { port1, port2 } = new MessageChannel();
  serve<InferenceProtocol>({
    prepare: () => [],
    load: (_ctx, _key, bytes) => {
      const graph = JSON.parse(new TextDecoder().decode(bytes));
      return { backend: 'wasm', reason: 'test', threads: 1, inputs: graph.inputs, outputs: graph.outputs, loadMs: 1, warmupMs: null, marks: [] };
    },
    run: () => ({ outputs: {}, runMs: 1 }),
    unload: () => undefined,
  }, port2 as unknown as WorkerEndpoint);
  const port: PageEndpoint = {
    postMessage: (message, transfer) => port1.postMessage(message, transfer as never),
    addEventListener: (type, listener) => port1.addEventListener(type, listener as never),
  };
  return { port, close: () => (port1.close(), port2.close()) };
}

const card = plannerCard();
const graph = JSON.stringify({
  inputs: card.inputs.map((i) => ({ name: i.name, type: 'float32', shape: i.shape })),
  outputs: card.outputs.map((o) => ({ name: o.name, type: 'float32', shape: o.shape })),
});
const file = (name: string, text: string) => new File([text], name);
const lastToast = () => useToasts.getState().toasts.at(-1);

let n = 0;
let worker: ReturnType<typeof fakeWorker>;
let storage: Map<string, string>;
/** What stops each controller a test opened from following the registry. */
const closers: (() => void)[] = [];
beforeEach(() => {
  setDb(new StudioDatabase(`models-controller-${n++}`));
  storage = installMemoryLocalStorage();
  worker = fakeWorker();
  setInferenceClient(new InferenceClient(worker.port));
  useToasts.setState({ toasts: [] });
  // No built-in models and no relay here: the page's origin serves neither.
  vi.stubGlobal('fetch', async () => new Response('missing', { status: 404 }));
});
afterEach(() => {
  closers.splice(0).forEach((close) => close());
  vi.unstubAllGlobals();
  worker.close();
});

async function opened(): Promise<ModelsController> {
  const c = new ModelsController();
  closers.push(c.open());
  await vi.waitFor(() => expect(c.getSnapshot().models).not.toBeNull());
  return c;
}

describe('ModelsController', () => {
  it('refuses a drop that is not one .onnx file and its card, and a card that does not match', async () => {
    const c = await opened();
    await c.addModel([file('planner.onnx', graph)]);
    expect(c.getSnapshot().addError).toBe('Drop exactly one .onnx file and its model card (.json) together — got 1 .onnx and 0 .json (planner.onnx).');
    await c.addModel([file('planner.onnx', graph), file('card.json', '{ nope')]);
    expect(c.getSnapshot()).toMatchObject({ adding: false, addError: expect.stringMatching(/^card.json: not valid JSON/) });
    expect(c.getSnapshot().models).toEqual([]);
  });

  it('adds a checked model, makes it the active planner and removes it, following the registry', async () => {
    const c = await opened();
    await c.addModel([file('planner.onnx', graph), file('card.json', JSON.stringify({ ...card, name: 'my-planner' }))]);
    expect(c.getSnapshot().addError).toBeNull();
    expect(lastToast()).toMatchObject({ kind: 'success', message: 'Added planner "my-planner".' });
    await vi.waitFor(() => expect(c.getSnapshot().models!.map((m) => m.name)).toEqual(['my-planner']));
    const id = c.getSnapshot().models![0].id;

    await c.activate(id);
    expect(c.getSnapshot().registry.planner).toMatchObject({ kind: 'local', record: { id } });
    expect(c.getSnapshot().planner).toMatchObject({ ready: true, name: 'my-planner', kind: 'local' });

    await c.remove(id);
    expect(c.getSnapshot().registry.planner).toBeNull();
    expect(c.getSnapshot().planner.ready).toBe(false);
    await vi.waitFor(() => expect(c.getSnapshot().models).toEqual([]));
  });

  it('keeps the backend preference', async () => {
    const c = await opened();
    c.setBackend('wasm');
    expect(c.getSnapshot().backend).toBe('wasm');
    expect(storage.get('path-studio.inferenceBackend')).toBe('wasm');
    expect(new ModelsController().getSnapshot().backend).toBe('wasm');
  });

  it('connects a remote planner, keeping no key in the browser when the relay holds one', async () => {
    vi.stubGlobal('location', { origin: 'http://studio.test', search: '' });
    vi.stubGlobal('fetch', async (url: string) =>
      String(url).endsWith('/planner-relay/status')
        ? Response.json({ relay: 'x', target: null, apiKey: 'relay', apiKeySource: 'PLANNER_RELAY_API_KEY', maxBodyBytes: 1, maxTimeoutMs: 1 }, { headers: { 'X-Planner-Relay': 'status' } })
        : new Response('missing', { status: 404 }),
    );
    const c = await opened();
    await vi.waitFor(() => expect(c.getSnapshot().relay).toMatchObject({ checked: true, status: { apiKey: 'relay' } }));
    const config = { ...c.getSnapshot().remoteConfig, url: 'http://gpu:8000', apiKey: 'secret' };
    c.connectRemotePlanner(config);
    expect(c.getSnapshot().registry.planner).toMatchObject({ kind: 'remote', config: { url: 'http://gpu:8000' } });
    expect(c.getSnapshot().remoteConfig.apiKey).toBeUndefined();
    expect(storage.get('path-studio.remotePlanner')).not.toContain('secret');
    expect(lastToast()?.message).toBe("The remote planner at http://gpu:8000 is now the active planner, through the studio's relay.");

    // Directly from the browser, the key the person typed is what authenticates.
    c.connectRemotePlanner({ ...config, connection: 'direct' });
    expect(c.getSnapshot().remoteConfig.apiKey).toBe('secret');
  });

  it('pre-labels a dataset as a job and says how it went', async () => {
    const d = await createDataset('kitchen');
    const asset = { id: 'a'.repeat(64), blob: new Blob(['x']), mime: 'image/png', size: 1, width: 4, height: 3, createdAt: 1 };
    await addSamplesWithAssets(d.id, [asset], [{ assetId: asset.id, source: 'image', instruction: '', status: 'draft' }]);
    await useDatasets.getState().refresh();
    const c = await opened();
    const running = c.prelabel(d.id);
    expect(c.getSnapshot().prelabelling).toBe(true);
    expect(useJobs.getState().jobs.map((j) => j.label)).toEqual(['Pre-labelling "kitchen"']);
    await running;
    expect(c.getSnapshot().prelabelling).toBe(false);
    expect(useJobs.getState().jobs).toEqual([]);
    expect(lastToast()).toMatchObject({ kind: 'success', message: '"kitchen": 0 of 0 unlabelled samples pre-labelled; 1 skipped (no instruction).' });
  });

  it('says why pre-labelling failed, and the job ends', async () => {
    const d = await createDataset('kitchen');
    await useDatasets.getState().refresh();
    const c = await opened();
    getDb().close(); // the samples cannot be read
    await c.prelabel(d.id);
    expect(lastToast()?.kind).toBe('error');
    expect(c.getSnapshot().prelabelling).toBe(false);
    expect(useJobs.getState().jobs).toEqual([]);
  });
});

describe('relayKeyHolder', () => {
  const status = { relay: 'r', target: null, apiKey: 'relay' as const, apiKeySource: null, maxBodyBytes: 1, maxTimeoutMs: 1 };
  it('names the relay only when calls go through it and it has a key', () => {
    const relay: RelayState = { checked: true, status };
    expect(relayKeyHolder(relay, 'relay')).toBe(status);
    expect(relayKeyHolder(relay, 'direct')).toBeNull();
    expect(relayKeyHolder({ checked: true, status: { ...status, apiKey: 'none' } }, 'relay')).toBeNull();
    expect(relayKeyHolder({ checked: false }, 'relay')).toBeNull();
  });
});

describe('TryPlannerController', () => {
  it("lists the chosen dataset's samples (a slower earlier choice is dropped) and takes a sample's image and instruction", async () => {
    const kitchen = await createDataset('kitchen');
    const empty = await createDataset('empty');
    const asset = { id: 'b'.repeat(64), blob: new Blob(['img']), mime: 'image/png', size: 3, width: 4, height: 3, createdAt: 1 };
    await addSamplesWithAssets(kitchen.id, [asset], [{ assetId: asset.id, source: 'image', instruction: 'pick the cup', status: 'done' }]);
    const t = new TryPlannerController();
    const first = t.chooseDataset(empty.id);
    await t.chooseDataset(kitchen.id);
    await first;
    expect(t.getSnapshot()).toMatchObject({ datasetId: kitchen.id, samples: [{ instruction: 'pick the cup' }] });

    await t.pickSample(t.getSnapshot().samples[0].id);
    expect(t.getSnapshot().instruction).toBe('pick the cup');
    expect(await t.getSnapshot().image!.text()).toBe('img');
    t.setInstruction('push the cup');
    expect(t.getSnapshot().instruction).toBe('push the cup');

    await t.chooseDataset('');
    expect(t.getSnapshot().samples).toEqual([]);
  });

  it('says why no path came back', async () => {
    const t = new TryPlannerController();
    await t.suggest(); // no image yet: nothing to do
    expect(t.getSnapshot().error).toBeNull();
    t.pickImageFile(new File(['img'], 'frame.png'));
    await t.suggest();
    expect(t.getSnapshot()).toMatchObject({ running: false, result: null, error: expect.any(String) });
  });
});
