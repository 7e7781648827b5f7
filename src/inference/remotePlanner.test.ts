// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hamsterPrompt } from '../core/prompt';
import { chatCompletionsUrl, extractAnswerText, remoteSuggestPath, RemotePlannerError, type RemotePlannerConfig } from './remotePlanner';

const ANSWER = '<ans>[(0.25, 0.32), (0.32, 0.17), <action>Close Gripper</action>, (0.74, 0.21), <action>Open Gripper</action>]</ans>';

/** A stand-in for HAMSTER's server.py (content list) and a vLLM-style server (content string). */
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
      if (req.url === '/flaky/chat/completions') return calls % 2 === 1 ? send(503, 'busy') : send(200, { choices: [{ message: { content: ANSWER } }] });
      return send(404, { error: { message: 'no such route' } });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const config = (path: string, extra: Partial<RemotePlannerConfig> = {}): RemotePlannerConfig => ({ url: `${base}${path}`, model: 'HAMSTER_dev', timeoutMs: 1000, retries: 0, ...extra });
const IMG = 'data:image/jpeg;base64,AAAA';

describe('remote planner', () => {
  it('reads HAMSTER server.py answers (content list) and sends image then prompt', async () => {
    seen.length = 0;
    const path = await remoteSuggestPath(config('/hamster'), IMG, 'put the cube in the bowl');
    expect(path.points.map((p) => [p.x, p.y, p.gripper])).toEqual([[0.25, 0.32, 'open'], [0.32, 0.17, 'closed'], [0.74, 0.21, 'open']]);
    const msg = (seen[0] as { messages: { content: { type: string; image_url?: { url: string }; text?: string }[] }[] }).messages[0];
    expect(msg.content[0]).toEqual({ type: 'image_url', image_url: { url: IMG } });
    expect(msg.content[1].text).toBe(hamsterPrompt('put the cube in the bowl'));
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
    await expect(remoteSuggestPath(config('/missing'), IMG, 'x')).rejects.toThrow(/HTTP 404/);
  });

  it('retries a 503 and then succeeds', async () => {
    calls = 0;
    const path = await remoteSuggestPath(config('/flaky', { retries: 1 }), IMG, 'x');
    expect(path.points).toHaveLength(3);
  });

  it('names an unreachable server', async () => {
    await expect(remoteSuggestPath({ ...config(''), url: 'http://127.0.0.1:1' }, IMG, 'x')).rejects.toThrow(/cannot reach the planner at http:\/\/127.0.0.1:1\/chat\/completions/);
  });

  it('builds URLs and extracts text', () => {
    expect(chatCompletionsUrl('http://h:8000/')).toBe('http://h:8000/chat/completions');
    expect(chatCompletionsUrl('http://h/v1/chat/completions')).toBe('http://h/v1/chat/completions');
    expect(() => extractAnswerText({ error: { message: 'model not loaded' } })).toThrow(/model not loaded/);
    expect(() => extractAnswerText({ choices: [{ message: { content: [] } }] })).toThrow(/without any text/);
  });
});
