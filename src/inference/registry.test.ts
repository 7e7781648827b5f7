// @vitest-environment node
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { listModels } from '../storage/models';
import { setDb, StudioDatabase } from '../storage/db';
import type { InferenceRequest, InferenceResponse } from '../workers/inferenceProtocol';
import { InferenceClient, setInferenceClient } from './client';
import { activateModel, addModel, getRegistryState, restoreActiveModels, seedDefaultModels } from './registry';
import { plannerCard } from './testCards';

/**
 * A stand-in for the inference worker: the "ONNX" bytes are JSON naming the graph's inputs and
 * outputs, or start with BAD (a file onnxruntime cannot parse).
 */
class FakeWorker {
  onmessage: ((e: MessageEvent<InferenceResponse>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  loaded = new Set<string>();
  received: InferenceRequest['type'][] = [];
  postMessage(req: InferenceRequest) {
    this.received.push(req.type);
    const reply = (res: InferenceResponse) => setTimeout(() => this.onmessage?.({ data: res } as MessageEvent<InferenceResponse>), 0);
    if (req.type === 'prepare') return reply({ id: req.id, ok: true, type: 'prepare', marks: [] });
    if (req.type === 'load') {
      const text = new TextDecoder().decode(req.bytes);
      if (text.startsWith('BAD')) return reply({ id: req.id, ok: false, error: 'not a valid ONNX model (protobuf parsing failed)' });
      const graph = JSON.parse(text);
      this.loaded.add(req.key);
      return reply({ id: req.id, ok: true, type: 'load', model: { backend: 'wasm', reason: 'test', threads: 1, inputs: graph.inputs, outputs: graph.outputs, loadMs: 1, warmupMs: null, marks: [] } });
    }
    if (req.type === 'run') return reply({ id: req.id, ok: true, type: 'run', outputs: {}, runMs: 1 });
    if (req.type === 'unload') this.loaded.delete(req.key);
    reply({ id: req.id, ok: true, type: req.type === 'unload' ? 'unload' : 'cancel' });
  }
  terminate() {}
}

const graphOf = (card: ReturnType<typeof plannerCard>) => ({
  inputs: card.inputs.map((i) => ({ name: i.name, type: 'float32', shape: i.shape })),
  outputs: card.outputs.map((o) => ({ name: o.name, type: 'float32', shape: o.shape })),
});
const file = (name: string, text: string) => new File([text], name);

let worker: FakeWorker;
beforeEach(() => {
  setDb(new StudioDatabase(`registry-${Math.random()}`));
  worker = new FakeWorker();
  setInferenceClient(new InferenceClient(worker as unknown as Worker));
});

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
