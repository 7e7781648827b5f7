// @vitest-environment node
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listModels } from '../storage/models';
import { setDb, StudioDatabase } from '../storage/db';
import { MessageChannel } from 'node:worker_threads';
import type { InferenceProtocol } from './inferenceProtocol';
import { serve, type PageEndpoint, type WorkerEndpoint } from '../core/workerRpc';
import { InferenceClient, setInferenceClient } from './client';
import { activateModel, addModel, getRegistryState, restoreActiveModels, seedDefaultModels } from './registry';
import { plannerCard } from '../testing/testCards';

/**
 * A stand-in for the inference worker, served over a MessageChannel with the worker's own RPC:
 * the "ONNX" bytes are JSON naming the graph's inputs and outputs, or start with BAD (a file
 * onnxruntime cannot parse).
 */
function fakeWorker() {
  const { port1, port2 } = new MessageChannel();
  const loaded = new Set<string>();
  serve<InferenceProtocol>({
    prepare: () => [],
    load(_ctx, key, bytes) {
      const text = new TextDecoder().decode(bytes);
      if (text.startsWith('BAD')) throw new Error('not a valid ONNX model (protobuf parsing failed)');
      const graph = JSON.parse(text);
      loaded.add(key);
      return { backend: 'wasm', reason: 'test', threads: 1, inputs: graph.inputs, outputs: graph.outputs, loadMs: 1, warmupMs: null, marks: [] };
    },
    run: () => ({ outputs: {}, runMs: 1 }),
    unload(_ctx, key) {
      loaded.delete(key);
    },
  }, port2 as unknown as WorkerEndpoint);
  // The calls in the order the page sent them (the channel delivers them a moment later).
  const received: string[] = [];
  const port: PageEndpoint = {
    postMessage(message, transfer) {
      const m = message as { rpc: string; method?: string };
      if (m.rpc === 'call') received.push(m.method!);
      port1.postMessage(message, transfer as never);
    },
    addEventListener: (type, listener) => port1.addEventListener(type, listener as never),
  };
  return { port, received, loaded, close: () => (port1.close(), port2.close()) };
}

const graphOf = (card: ReturnType<typeof plannerCard>) => ({
  inputs: card.inputs.map((i) => ({ name: i.name, type: 'float32', shape: i.shape })),
  outputs: card.outputs.map((o) => ({ name: o.name, type: 'float32', shape: o.shape })),
});
const file = (name: string, text: string) => new File([text], name);

let worker: ReturnType<typeof fakeWorker>;
beforeEach(() => {
  setDb(new StudioDatabase(`registry-${Math.random()}`));
  worker = fakeWorker();
  setInferenceClient(new InferenceClient(worker.port));
});
afterEach(() => worker.close());

describe('model registry', () => {
  it('stores a model whose card matches its graph, and refuses a mismatch naming the input', async () => {
    const card = plannerCard();
    const record = await addModel(file('p.onnx', JSON.stringify(graphOf(card))), file('p.json', JSON.stringify(card)));
    expect(record.role).toBe('planner');
    const wrongGraph = graphOf(card);
    wrongGraph.inputs[1].shape = [1, 512];
    await expect(addModel(file('q.onnx', JSON.stringify(wrongGraph)), file('q.json', JSON.stringify(card)))).rejects.toThrow(
      /q.onnx: the model card does not match the model — input "text" is \[1, 512\] in the model but \[1, 256\] in the card/,
    );
    await expect(addModel(file('bad.onnx', 'BAD bytes'), file('c.json', JSON.stringify(card)))).rejects.toThrow(/bad.onnx: cannot load the model — not a valid ONNX model/);
    await expect(addModel(file('p.onnx', JSON.stringify(graphOf(card))), file('c.json', '{'))).rejects.toThrow(/c.json: not valid JSON/);
    expect((await listModels()).map((m) => m.id)).toEqual([record.id]);
    expect(worker.loaded.size).toBe(0); // candidates are unloaded again
  });

  it('keeps the active planner when another fails to load', async () => {
    const card = plannerCard();
    const good = await addModel(file('p.onnx', JSON.stringify(graphOf(card))), file('p.json', JSON.stringify({ ...card, name: 'good' })));
    await activateModel(good.id);
    expect(getRegistryState().planner).toMatchObject({ kind: 'local', record: { name: 'good' } });
    // A stored model whose bytes went bad (e.g. written by an older version).
    const broken = await addModel(file('p.onnx', JSON.stringify(graphOf(card))), file('p.json', JSON.stringify({ ...card, name: 'broken' })));
    const { getDb } = await import('../storage/db');
    await getDb().models.update(broken.id, { onnx: new Blob(['BAD']) });
    await expect(activateModel(broken.id)).rejects.toThrow(/broken: cannot load the model/);
    expect(getRegistryState().planner).toMatchObject({ kind: 'local', record: { name: 'good' } });
    expect(getRegistryState().lastError).toMatch(/broken/);
  });

  it('starts the runtime before the built-in models are fetched', async () => {
    const askedBeforeFetch: string[][] = []; // what the worker had been asked at each fetch
    const realFetch = globalThis.fetch;
    globalThis.fetch = (() => {
      askedBeforeFetch.push([...worker.received]);
      return Promise.resolve(new Response('no', { status: 503 }));
    }) as typeof fetch;
    try {
      await restoreActiveModels();
    } finally {
      globalThis.fetch = realFetch;
    }
    // models/index.json, once (503: nothing installed, nothing loaded).
    expect(askedBeforeFetch).toEqual([['prepare']]);
    expect(worker.received).toEqual(['prepare']);
  });

  it('installs the built-in models once and replaces one when the studio ships a retrained model', async () => {
    const card = plannerCard();
    let servedCard = JSON.stringify(card);
    const fetched: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((url: string) => {
      const path = String(url).replace(/^\//, '');
      fetched.push(path);
      if (path === 'models/index.json') return Promise.resolve(Response.json({ models: [{ id: 'planner', dir: 'planner', role: 'planner' }] }));
      if (path === 'models/planner/card.json') return Promise.resolve(new Response(servedCard));
      if (path === 'models/planner/model.onnx') return Promise.resolve(new Response(JSON.stringify(graphOf(card))));
      return Promise.resolve(new Response('missing', { status: 404 }));
    }) as typeof fetch;
    try {
      expect((await seedDefaultModels(['planner'])).map((m) => m.name)).toEqual([card.name]);
      fetched.length = 0;
      expect(await seedDefaultModels(['planner'])).toEqual([]); // unchanged: only the card is read
      expect(fetched).toEqual(['models/index.json', 'models/planner/card.json']);
      servedCard = JSON.stringify({ ...card, name: 'retrained planner' });
      expect((await seedDefaultModels(['planner'])).map((m) => m.name)).toEqual(['retrained planner']);
      expect((await listModels()).map((m) => m.name)).toEqual(['retrained planner']);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});
