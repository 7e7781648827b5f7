import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { isAbortError, serve, WorkerRpc, type Method, type PageEndpoint, type WorkerEndpoint } from './workerRpc';

/** A worker's protocol as the studio's workers declare theirs. */
type TestProtocol = {
  add: Method<[number, number], number>;
  count: Method<[number], string, { done: number }>;
  /** Runs until cancelled. */
  wait: Method<[], never>;
  double: Method<[Float32Array], Float32Array>;
  fail: Method<[], never>;
};

const ports: { close(): void }[] = [];
afterEach(() => ports.splice(0).forEach((p) => p.close()));

function pair(): { rpc: WorkerRpc<TestProtocol>; sent: Float32Array[] } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const sent: Float32Array[] = [];
  serve<TestProtocol>(
    {
      add: (_ctx, a, b) => a + b,
      async count(ctx, n) {
        for (let i = 1; i <= n; i++) ctx.progress({ done: i });
        return `counted ${n}`;
      },
      wait: (ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new DOMException('stopped waiting', 'AbortError')))),
      double(ctx, data) {
        const out = data.map((v) => v * 2);
        sent.push(data);
        ctx.transfer(out.buffer);
        return out;
      },
      fail: () => {
        throw new Error('the model is not loaded', { cause: new RangeError('key m1') });
      },
    },
    port2 as unknown as WorkerEndpoint,
  );
  return { rpc: new WorkerRpc<TestProtocol>(port1 as unknown as PageEndpoint, 'test'), sent };
}

describe('WorkerRpc + serve', () => {
  it('answers calls with their results, in any order', async () => {
    const { rpc } = pair();
    await expect(Promise.all([rpc.call('add', [1, 2]), rpc.call('add', [3, 4])])).resolves.toEqual([3, 7]);
  });

  it('reports progress before the result', async () => {
    const { rpc } = pair();
    const seen: number[] = [];
    await expect(rpc.call('count', [3], { onProgress: (p) => seen.push(p.done) })).resolves.toBe('counted 3');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('cancels through an AbortSignal: the handler sees it and the call rejects with AbortError', async () => {
    const { rpc } = pair();
    const ac = new AbortController();
    const call = rpc.call('wait', [], { signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    const err = await call.catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
    expect((err as Error).message).toBe('stopped waiting');
  });

  it('a call with an aborted signal is never sent', async () => {
    const { rpc } = pair();
    const ac = new AbortController();
    ac.abort();
    expect(isAbortError(await rpc.call('add', [1, 1], { signal: ac.signal }).catch((e: unknown) => e))).toBe(true);
  });

  it('transfers buffers both ways instead of copying them', async () => {
    const { rpc, sent } = pair();
    const input = new Float32Array([1, 2, 3]);
    const out = await rpc.call('double', [input], { transfer: [input.buffer] });
    expect(input.byteLength).toBe(0); // detached: it moved to the worker
    expect(sent[0]).toEqual(new Float32Array([1, 2, 3]));
    expect([...out]).toEqual([2, 4, 6]);
  });

  it("keeps an error's name, message and cause across the boundary", async () => {
    const { rpc } = pair();
    const err = (await rpc.call('fail', []).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('the model is not loaded');
    expect((err.cause as Error).name).toBe('RangeError');
    expect((err.cause as Error).message).toBe('key m1');
  });

  it('an unknown method is an error that names it', async () => {
    const { rpc } = pair();
    await expect((rpc as unknown as WorkerRpc<Record<string, Method>>).call('nope', [])).rejects.toThrow('this worker has no method "nope"');
  });

  it('dispose rejects the calls in flight and every later call', async () => {
    const { rpc } = pair();
    const call = rpc.call('wait', []);
    rpc.dispose();
    expect(isAbortError(await call.catch((e: unknown) => e))).toBe(true);
    expect(isAbortError(await rpc.call('add', [1, 2]).catch((e: unknown) => e))).toBe(true);
  });
});
