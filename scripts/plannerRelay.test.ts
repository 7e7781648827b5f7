// @vitest-environment node
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHamsterServer, type HamsterServerProcess } from '../src/testing/hamsterServerProcess';
import { createPlannerRelay, DEFAULT_RELAY_CONFIG, hostAllowed, normalizeTarget, relayConfigFromEnv, RelayConfigError, type RelayConfig } from './plannerRelay';

/** A studio server: the relay in front of a "rest of the app" that answers 200 "studio". */
async function studio(config: Partial<RelayConfig> = {}): Promise<{ url: string; server: Server }> {
  const relay = createPlannerRelay({ config: { ...DEFAULT_RELAY_CONFIG, ...config }, base: '/' });
  const server = createServer((req, res) => relay(req, res, () => res.end('studio')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

const JPEG = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]).toString('base64')}`;
const chat = (model = 'HAMSTER_dev') => JSON.stringify({ model, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: JPEG } }, { type: 'text', text: 'pick up the cup' }] }] });
const post = (url: string, body: string, headers: Record<string, string> = {}) => fetch(`${url}/planner-relay/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

let hamster: HamsterServerProcess;
let slow: HamsterServerProcess;
let open: { url: string; server: Server };
beforeAll(async () => {
  [hamster, slow, open] = await Promise.all([
    startHamsterServer({ modelPath: 'checkpoints/HAMSTER_dev' }),
    startHamsterServer({ modelPath: 'HAMSTER_dev', delayMs: 3000 }),
    studio(),
  ]);
});
afterAll(async () => {
  await Promise.all([hamster.stop(), slow.stop(), close(open.server)]);
});

describe('planner relay against the HAMSTER server.py stand-in', () => {
  it('forwards POST <target>/chat/completions and passes the answer back as it is', async () => {
    const res = await post(open.url, chat(), { 'X-Planner-Target': hamster.url });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-planner-relay')).toBe('upstream');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const body = await res.json();
    expect(body.choices[0].message.content[0].text).toMatch(/^<ans>\[\(0.25, 0.32\)/);
    expect(hamster.output()).toMatch(/Prompt input: {2}"<image-placeholder>pick up the cup" \(1 image\)/);
  });

  it('passes server.py\'s errors through unchanged: a /v1 base is its 404, a wrong model its 500 and 422', async () => {
    const v1 = await post(open.url, chat(), { 'X-Planner-Target': `${hamster.url}/v1` });
    expect([v1.status, v1.headers.get('x-planner-relay'), await v1.json()]).toEqual([404, 'upstream', { detail: 'Not Found' }]);
    const wrong = await post(open.url, chat('VILA1.5-13B'), { 'X-Planner-Target': hamster.url });
    expect(wrong.status).toBe(500);
    expect(await wrong.json()).toEqual({ error: 'The endpoint is configured to use the model HAMSTER_dev, but the request model is VILA1.5-13B' });
    const unlisted = await post(open.url, chat('Hamster_dev'), { 'X-Planner-Target': hamster.url });
    expect(unlisted.status).toBe(422);
    expect((await unlisted.json()).detail[0].type).toBe('literal_error');
  });

  it('is not an open proxy: other routes, methods, targets, bodies and origins are refused', async () => {
    const refused = async (res: Response) => [res.status, res.headers.get('x-planner-relay'), ((await res.json()) as { relay: { code: string } }).relay.code];
    const t = { 'X-Planner-Target': hamster.url };
    expect(await refused(await fetch(`${open.url}/planner-relay/models`, { headers: t }))).toEqual([404, 'error', 'not_found']);
    expect(await refused(await fetch(`${open.url}/planner-relay/chat/completions/../../etc`, { method: 'POST', headers: t }))).toEqual([404, 'error', 'not_found']);
    for (const method of ['GET', 'OPTIONS', 'PUT', 'DELETE']) {
      const res = await fetch(`${open.url}/planner-relay/chat/completions`, { method, headers: t });
      expect(await refused(res)).toEqual([405, 'error', 'method_not_allowed']);
    }
    expect(await refused(await post(open.url, chat()))).toEqual([400, 'error', 'no_target']);
    for (const target of ['file:///etc/passwd', 'ftp://x/', 'http://user:pw@127.0.0.1:1', `${hamster.url}?x=1`, 'not a url'])
      expect(await refused(await post(open.url, chat(), { 'X-Planner-Target': target }))).toEqual([400, 'error', 'bad_target']);
    expect(await refused(await post(open.url, 'x=1', { ...t, 'Content-Type': 'text/plain' }))).toEqual([415, 'error', 'not_json']);
    expect(await refused(await post(open.url, '{"url": "http://elsewhere"}', t))).toEqual([400, 'error', 'not_chat']);
    expect(await refused(await post(open.url, chat(), { ...t, Origin: 'http://evil.example' }))).toEqual([403, 'error', 'cross_origin']);
    // A page on another name that resolves here (DNS rebinding) sends its own Host (fetch cannot set one).
    const rebound = await new Promise<{ status?: number; code: string }>((resolve, reject) => {
      const r = httpRequest(`${open.url}/planner-relay/chat/completions`, { method: 'POST', headers: { ...t, Host: 'evil.example', 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d)).on('end', () => resolve({ status: res.statusCode, code: JSON.parse(text).relay.code }));
      });
      r.on('error', reject);
      r.end(chat());
    });
    expect(rebound).toEqual({ status: 403, code: 'host_not_allowed' });
    // The rest of the studio is untouched.
    expect(await (await fetch(`${open.url}/planner-relayed`)).text()).toBe('studio');
  });

  it('limits the body size', async () => {
    const small = await studio({ maxBodyBytes: 1024 });
    try {
      const res = await post(small.url, chat().replace('pick up the cup', 'x'.repeat(4096)), { 'X-Planner-Target': hamster.url });
      expect(res.status).toBe(413);
      expect((await res.json()).relay.message).toMatch(/the request is 5 kB, over the planner relay's limit of 1 kB: send a smaller image, or raise PLANNER_RELAY_MAX_BODY_MB/);
    } finally {
      await close(small.server);
    }
  });

  it('times out, and says when nothing listens at the target', async () => {
    const late = await post(open.url, chat(), { 'X-Planner-Target': slow.url, 'X-Planner-Timeout-Ms': '300' });
    expect(late.status).toBe(504);
    expect((await late.json()).relay).toMatchObject({ code: 'timeout', message: expect.stringMatching(/did not answer within 0 s/) });
    const gone = await studio();
    const deadPort = (gone.server.address() as AddressInfo).port;
    await close(gone.server);
    const refused = await post(open.url, chat(), { 'X-Planner-Target': `http://127.0.0.1:${deadPort}` });
    expect(refused.status).toBe(502);
    expect((await refused.json()).relay).toMatchObject({ code: 'ECONNREFUSED', message: expect.stringMatching(/nothing is listening at 127.0.0.1:\d+/) });
  });

  it('with a configured target, forwards only there; the configured API key goes upstream instead of the browser\'s', async () => {
    let seen: IncomingMessage['headers'] = {};
    // A minimal OpenAI-style endpoint that records the headers it got (server.py ignores Authorization).
    const keyed = createServer((req, res) => {
      seen = req.headers;
      req.resume().on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"choices":[{"message":{"content":"ok"}}]}'));
    });
    await new Promise<void>((r) => keyed.listen(0, '127.0.0.1', r));
    const target = `http://127.0.0.1:${(keyed.address() as AddressInfo).port}`;
    const locked = await studio({ target, apiKey: 'sk-relay', apiKeySource: 'PLANNER_RELAY_API_KEY' });
    try {
      const status = await (await fetch(`${locked.url}/planner-relay/status`)).json();
      expect(status).toMatchObject({ target, apiKey: 'relay', apiKeySource: 'PLANNER_RELAY_API_KEY' });
      expect(JSON.stringify(status)).not.toContain('sk-relay');
      expect((await post(locked.url, chat(), { Authorization: 'Bearer sk-browser', Cookie: 'session=1' })).status).toBe(200);
      expect(seen.authorization).toBe('Bearer sk-relay');
      expect(seen.cookie).toBeUndefined();
      expect((await post(locked.url, chat(), { 'X-Planner-Target': `${target}/` })).status).toBe(200);
      expect((await post(locked.url, chat(), { 'X-Planner-Target': `${target}/v1` })).status).toBe(200);
      expect(seen.host).toBe(new URL(target).host);
      const other = await post(locked.url, chat(), { 'X-Planner-Target': hamster.url });
      expect([other.status, (await other.json()).relay.code]).toEqual([403, 'target_not_allowed']);
    } finally {
      await Promise.all([close(locked.server), close(keyed)]);
    }
  });
});

describe('planner relay configuration', () => {
  it('reads the environment, and a JSON file named by PLANNER_RELAY_CONFIG (the environment wins)', () => {
    expect(relayConfigFromEnv({})).toEqual(DEFAULT_RELAY_CONFIG);
    const files: Record<string, string> = { '/c.json': '{"target": "http://gpu:8000/v1/", "apiKey": "k", "maxBodyMB": 2, "timeoutS": 60}' };
    const read = (p: string) => files[p] ?? (() => { throw new Error(`ENOENT: no such file, open '${p}'`); })();
    expect(relayConfigFromEnv({ PLANNER_RELAY_CONFIG: '/c.json' }, read)).toEqual({ ...DEFAULT_RELAY_CONFIG, target: 'http://gpu:8000/v1', apiKey: 'k', apiKeySource: '/c.json ("apiKey")', maxBodyBytes: 2 * 1024 * 1024, maxTimeoutMs: 60_000 });
    expect(relayConfigFromEnv({ PLANNER_RELAY_CONFIG: '/c.json', PLANNER_RELAY_API_KEY: 'e' }, read)).toMatchObject({ apiKey: 'e', apiKeySource: 'PLANNER_RELAY_API_KEY' });
    expect(() => relayConfigFromEnv({ PLANNER_RELAY_CONFIG: '/missing.json' }, read)).toThrow(/cannot read the planner relay's configuration \/missing.json \(PLANNER_RELAY_CONFIG\): ENOENT/);
    files['/bad.json'] = '{ target: 1 }';
    expect(() => relayConfigFromEnv({ PLANNER_RELAY_CONFIG: '/bad.json' }, read)).toThrow(RelayConfigError);
    files['/typo.json'] = '{"targt": "http://x"}';
    expect(() => relayConfigFromEnv({ PLANNER_RELAY_CONFIG: '/typo.json' }, read)).toThrow(/unknown keys "targt"/);
    expect(() => relayConfigFromEnv({ PLANNER_RELAY_TARGET: 'gpu-box:8000' })).toThrow(/PLANNER_RELAY_TARGET: the planner address must start with http/);
    expect(() => relayConfigFromEnv({ PLANNER_RELAY_MAX_BODY_MB: 'lots' })).toThrow(/must be a positive number, not "lots"/);
  });

  it('normalizes targets and checks hosts as Vite does', () => {
    expect(normalizeTarget('http://h:8000/v1/chat/completions')).toEqual({ ok: true, base: 'http://h:8000/v1' });
    expect(normalizeTarget(' https://h/ ')).toEqual({ ok: true, base: 'https://h' });
    expect(hostAllowed('localhost:5173', undefined)).toBe(true);
    expect(hostAllowed('192.168.1.4:5173', undefined)).toBe(true);
    expect(hostAllowed('[::1]:5173', undefined)).toBe(true);
    expect(hostAllowed('studio.lab:5173', undefined)).toBe(false);
    expect(hostAllowed('studio.lab:5173', ['.lab'])).toBe(true);
    expect(hostAllowed('anything', true)).toBe(true);
  });
});
