// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPlannerRelay, DEFAULT_RELAY_CONFIG } from '../../scripts/plannerRelay';
import { hamsterRequestText } from '../core/prompt';
import { startHamsterServer, type HamsterServerProcess } from '../testing/hamsterServerProcess';
import { candidateBases, chatCompletionsUrl, extractAnswerText, fetchRelayStatus, remoteSuggestPath, RemotePlannerError, type RemotePlannerConfig } from './remotePlanner';

const ANSWER = '<ans>[(0.25, 0.32), (0.32, 0.17), <action>Close Gripper</action>, (0.74, 0.21), <action>Open Gripper</action>]</ans>';

/** Answer shapes: a content list (HAMSTER's server.py), a string (vLLM), failures (direct calls, no relay). */
let server: Server;
let base = '';
let calls = 0;
const seen: unknown[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      calls++;
      seen.push(JSON.parse(body || '{}'));
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      if (req.url === '/hamster/chat/completions') return send(200, { choices: [{ message: { role: 'assistant', content: [{ type: 'text', text: ANSWER }] } }] });
      if (req.url === '/vllm/v1/chat/completions') return send(200, { choices: [{ message: { role: 'assistant', content: `Sure. ${ANSWER}` } }] });
      if (req.url === '/slow/chat/completions') return void setTimeout(() => send(200, {}), 2000);
      if (req.url === '/garbage/chat/completions') return send(200, { choices: [{ message: { content: 'I am not sure what you mean.' } }] });
      if (req.url === '/html/chat/completions') return send(200, '<html>proxy login</html>');
      if (req.url === '/old-hamster/chat/completions') return send(200, { error: 'The endpoint is configured to use the model Hamster_dev, but the request model is HAMSTER_dev' });
      if (req.url === '/flaky/chat/completions') return calls % 2 === 1 ? send(503, 'busy') : send(200, { choices: [{ message: { content: ANSWER } }] });
      return send(404, { error: { message: 'no such route' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const config = (path: string, extra: Partial<RemotePlannerConfig> = {}): RemotePlannerConfig => ({ url: `${base}${path}`, model: 'HAMSTER_dev', timeoutMs: 1000, retries: 0, connection: 'direct', ...extra });
const IMG = 'data:image/jpeg;base64,AAAA';

describe('remote planner, called directly', () => {
  it('reads HAMSTER server.py answers (content list) and sends image then prompt', async () => {
    seen.length = 0;
    const path = await remoteSuggestPath(config('/hamster'), IMG, 'put the cube in the bowl');
    expect(path.points.map((p) => [p.x, p.y, p.gripper])).toEqual([[0.25, 0.32, 'open'], [0.32, 0.17, 'closed'], [0.74, 0.21, 'open']]);
    const msg = (seen[0] as { messages: { content: { type: string; image_url?: { url: string }; text?: string }[] }[] }).messages[0];
    expect(msg.content[0]).toEqual({ type: 'image_url', image_url: { url: IMG } });
    expect(msg.content[1].text).toBe(hamsterRequestText('put the cube in the bowl'));
  });

  it('reads vLLM-style answers (content string) at a /v1 base URL', async () => {
    const path = await remoteSuggestPath(config('/vllm/v1'), IMG, 'x');
    expect(path.points).toHaveLength(3);
  });

  it('times out with a clear message, after the configured retries', async () => {
    const err = await remoteSuggestPath(config('/slow', { timeoutMs: 150, retries: 1 }), IMG, 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemotePlannerError);
    expect((err as Error).message).toMatch(/did not answer within 0 s|did not answer within/);
    expect((err as Error).message).toMatch(/tried 2 times/);
  });

  it('explains garbage answers without retrying', async () => {
    const before = calls;
    await expect(remoteSuggestPath(config('/garbage', { retries: 3 }), IMG, 'x')).rejects.toThrow(/not a path.*I am not sure/);
    expect(calls - before).toBe(1);
    await expect(remoteSuggestPath(config('/html'), IMG, 'x')).rejects.toThrow(/did not answer JSON/);
    await expect(remoteSuggestPath(config('/missing'), IMG, 'x')).rejects.toThrow(/no chat endpoint at http:\/\/127.0.0.1:\d+\/missing\/chat\/completions \(HTTP 404\) nor at http:\/\/127.0.0.1:\d+\/missing\/v1\/chat\/completions \(HTTP 404\): check the address/);
    // An older server.py answers its errors with HTTP 200.
    await expect(remoteSuggestPath(config('/old-hamster'), IMG, 'x')).rejects.toThrow(/mv Hamster_dev HAMSTER_dev/);
  });

  it('retries a 503 and then succeeds', async () => {
    calls = 0;
    const path = await remoteSuggestPath(config('/flaky', { retries: 1 }), IMG, 'x');
    expect(path.points).toHaveLength(3);
  });

  it('names an unreachable server', async () => {
    await expect(remoteSuggestPath({ ...config(''), url: 'http://127.0.0.1:1' }, IMG, 'x')).rejects.toThrow(/cannot reach the planner at http:\/\/127.0.0.1:1\/chat\/completions from the browser .*CORS.*Through the studio's relay/);
  });

  it('builds URLs and extracts text', () => {
    expect(chatCompletionsUrl('http://h:8000/')).toBe('http://h:8000/chat/completions');
    expect(chatCompletionsUrl('http://h/v1/chat/completions')).toBe('http://h/v1/chat/completions');
    expect(candidateBases('http://h:8000/v1/')).toEqual(['http://h:8000/v1', 'http://h:8000']);
    expect(candidateBases('http://h:8000/chat/completions')).toEqual(['http://h:8000', 'http://h:8000/v1']);
    expect(() => extractAnswerText({ error: { message: 'model not loaded' } })).toThrow(/model not loaded/);
    expect(() => extractAnswerText({ choices: [{ message: { content: [] } }] })).toThrow(/without any text/);
  });
});

/** A jpeg data URL whose bytes start like a JPEG (server.py decodes it with PIL). */
const JPEG = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]).toString('base64')}`;

describe("remote planner through the studio's relay, against the HAMSTER server.py stand-in (its own process)", () => {
  let renamed: HamsterServerProcess; // the checkpoint folder renamed to HAMSTER_dev
  let stock: HamsterServerProcess; // as setup_server.sh clones it: Hamster_dev
  let slow: HamsterServerProcess;
  let studio: Server;
  let relayUrl = '';
  beforeAll(async () => {
    [renamed, stock, slow] = await Promise.all([
      startHamsterServer({ modelPath: 'HAMSTER_dev' }),
      startHamsterServer({ modelPath: 'Hamster_dev' }),
      startHamsterServer({ modelPath: 'HAMSTER_dev', delayMs: 3000 }),
    ]);
    const relay = createPlannerRelay({ config: DEFAULT_RELAY_CONFIG });
    studio = createServer((req, res) => relay(req, res, () => res.writeHead(404).end('no such page')));
    await new Promise<void>((r) => studio.listen(0, '127.0.0.1', r));
    relayUrl = `http://127.0.0.1:${(studio.address() as AddressInfo).port}/planner-relay`;
  });
  afterAll(async () => {
    await Promise.all([renamed.stop(), stock.stop(), slow.stop(), new Promise<void>((r) => studio.close(() => r()))]);
  });
  const relayed = (url: string, extra: Partial<RemotePlannerConfig> = {}): RemotePlannerConfig => ({ url, model: 'HAMSTER_dev', timeoutMs: 5000, retries: 0, connection: 'relay', ...extra });
  const posts = (p: HamsterServerProcess, path = '/chat/completions') => p.output().split('\n').filter((l) => l.includes(`"POST ${path} HTTP/1.1"`)).length;

  it('gets a path; a /v1 address falls back to server.py\'s root route and is remembered', async () => {
    const path = await remoteSuggestPath(relayed(`${renamed.url}/v1`), JPEG, 'put the cube in the bowl', undefined, undefined, { relayUrl });
    expect(path.points.map((p) => [p.x, p.y, p.gripper])).toEqual([[0.25, 0.32, 'closed'], [0.74, 0.21, 'open']]);
    // The server's log reaches this process on its own pipe, soon after the answer.
    await vi.waitFor(() => expect(renamed.output()).toMatch(/Prompt input: .*<quest>put the cube in the bowl<\/quest>.*\(1 image\)/));
    await vi.waitFor(() => expect([posts(renamed, '/v1/chat/completions'), posts(renamed)]).toEqual([1, 1]));
    await remoteSuggestPath(relayed(`${renamed.url}/v1`), JPEG, 'again', undefined, undefined, { relayUrl });
    await vi.waitFor(() => expect([posts(renamed, '/v1/chat/completions'), posts(renamed)]).toEqual([1, 2]));
    expect(await fetchRelayStatus({ relayUrl })).toMatchObject({ relay: 'path-studio-planner-relay/1', target: null, apiKey: 'none' });
  });

  it('turns the stock folder name\'s HTTP 500 and 422 into instructions, without retrying them', async () => {
    const before = posts(stock);
    const err = (await remoteSuggestPath(relayed(stock.url, { retries: 2 }), JPEG, 'x', undefined, undefined, { relayUrl }).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe("HAMSTER's server.py serves only the model named like its checkpoint folder, \"Hamster_dev\", and that name is not one it accepts (e.g. HAMSTER_dev), so every request fails — its setup_server.sh clones the checkpoint as Hamster_dev. To fix it, rename the checkpoint folder and restart the server: mv Hamster_dev HAMSTER_dev, then python server.py --model-path HAMSTER_dev --port 8000 --conv-mode vicuna_v1; keep Model = HAMSTER_dev here");
    await expect(remoteSuggestPath(relayed(stock.url, { model: 'Hamster_dev' }), JPEG, 'x', undefined, undefined, { relayUrl }))
      .rejects.toThrow(/accepts only these model names: VILA1.5-3B, .*, HAMSTER_dev — "Hamster_dev" is not one of them; set Model to HAMSTER_dev; .*mv Hamster_dev HAMSTER_dev/);
    // Once the 422's log line is here, every earlier one is: the 500 came once, not three times.
    await vi.waitFor(() => expect(stock.output()).toMatch(/" 422 Unprocessable Entity/));
    expect(stock.output().split('\n').filter((l) => l.includes('" 500 Internal Server Error')).length).toBe(1);
    expect(posts(stock) - before).toBe(2);
    await expect(remoteSuggestPath(relayed(renamed.url, { model: 'VILA1.5-13B' }), JPEG, 'x', undefined, undefined, { relayUrl }))
      .rejects.toThrow(/runs the model "HAMSTER_dev" but was asked for "VILA1.5-13B": set Model to HAMSTER_dev/);
  });

  it('explains image errors, timeouts, refused connections and a missing relay', async () => {
    await expect(remoteSuggestPath(relayed(renamed.url), 'data:image/gif;base64,R0lGOD', 'x', undefined, undefined, { relayUrl })).rejects.toThrow(/could not read the image: it takes only data:image\/png or data:image\/jpeg/);
    await expect(remoteSuggestPath(relayed(renamed.url), 'data:image/jpeg;base64,AAAA', 'x', undefined, undefined, { relayUrl })).rejects.toThrow(/could not decode the image it was sent \(cannot identify image file\): the JPEG arrived damaged/);
    await expect(remoteSuggestPath(relayed(slow.url, { timeoutMs: 300, retries: 1 }), JPEG, 'x', undefined, undefined, { relayUrl })).rejects.toThrow(/through the studio's relay\) did not answer within 0 s — .*raise the timeout.*\(tried 2 times\)/);
    await expect(remoteSuggestPath(relayed('http://127.0.0.1:1'), JPEG, 'x', undefined, undefined, { relayUrl })).rejects.toThrow(/cannot reach the planner at http:\/\/127.0.0.1:1\/chat\/completions: nothing is listening at 127.0.0.1:1: start the planner server there/);
    await expect(remoteSuggestPath(relayed(renamed.url), JPEG, 'x', undefined, undefined, { relayUrl: `${base}/no-relay` })).rejects.toThrow(/the studio's planner relay is not running where this page came from .*npm start or npm run preview/);
    expect(await fetchRelayStatus({ relayUrl: `${base}/no-relay` })).toBeNull();
  });
});
