/**
 * The studio's same-origin relay for remote planners. HAMSTER's server.py sends no CORS headers and
 * answers the browser's preflight `OPTIONS` with 405, so a page can never call it directly; the
 * studio's own server (Vite dev and preview, see `plannerRelayPlugin`) forwards the page's planner
 * calls instead, server to server, where CORS does not apply.
 *
 *   POST <base>planner-relay/chat/completions   X-Planner-Target: http://gpu-box:8000[/v1]
 *        → POST http://gpu-box:8000[/v1]/chat/completions   (status and body passed back as they are)
 *   GET  <base>planner-relay/status             → what the relay is configured with (never the key)
 *
 * It is not an open proxy: only those two routes and methods; the upstream path is always
 * `<target>/chat/completions`; the target is an http(s) URL without credentials, query or fragment,
 * and, when the relay is configured with one (PLANNER_RELAY_TARGET), only that one (with or without
 * its `/v1`); the body must
 * be a JSON chat request (`model`, `messages`) of at most `maxBodyBytes`; only same-origin callers
 * on a host name the studio's server accepts (Vite's `allowedHosts` rule, which Vite itself only
 * checks after plugin middlewares); only Content-Type, Accept and Authorization go upstream; the
 * upstream call times out, and its answer is capped too. The relay's own refusals and failures
 * carry `X-Planner-Relay: error` and a JSON `{relay: {code, message}}` body; answers from the
 * planner carry `X-Planner-Relay: upstream`, so the page can tell the two apart.
 *
 * Configuration (environment, or a JSON file named by PLANNER_RELAY_CONFIG; the environment wins):
 *   PLANNER_RELAY_TARGET     / "target"       the only planner base URL the relay forwards to
 *   PLANNER_RELAY_API_KEY    / "apiKey"       sent upstream as `Authorization: Bearer …` (the browser's is then ignored)
 *   PLANNER_RELAY_MAX_BODY_MB / "maxBodyMB"   request body limit (default 16)
 *   PLANNER_RELAY_TIMEOUT_S  / "timeoutS"     upper bound of the per-call timeout the page asks for (default 600)
 *
 * Written on `node:http` rather than a proxy library (http-proxy, as Vite's `server.proxy` uses):
 * the proxy part is one request, and the checks around it are the point of this module.
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Plugin } from 'vite';

export const RELAY_PATH = 'planner-relay';
export const RELAY_VERSION = 'path-studio-planner-relay/1';

export interface RelayConfig {
  /** When set, the only planner base URL the relay forwards to. */
  target: string | null;
  apiKey: string | null;
  /** Where the key came from, for the Models page ("PLANNER_RELAY_API_KEY", a file path). */
  apiKeySource: string | null;
  maxBodyBytes: number;
  maxTimeoutMs: number;
  /** Cap on the planner's answer, so a runaway upstream cannot fill the studio's memory. */
  maxResponseBytes: number;
}

export interface RelayStatus {
  relay: typeof RELAY_VERSION;
  target: string | null;
  apiKey: 'relay' | 'none';
  apiKeySource: string | null;
  maxBodyBytes: number;
  maxTimeoutMs: number;
}

export const DEFAULT_RELAY_CONFIG: RelayConfig = {
  target: null,
  apiKey: null,
  apiKeySource: null,
  maxBodyBytes: 16 * 1024 * 1024,
  maxTimeoutMs: 600_000,
  maxResponseBytes: 4 * 1024 * 1024,
};

export class RelayConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelayConfigError';
  }
}

/** A planner base URL: http(s), no credentials, query or fragment; trailing `/` and `/chat/completions` dropped. */
export function normalizeTarget(raw: string): { ok: true; base: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: `"${raw}" is not a URL: give the planner server's address, e.g. http://gpu-box:8000` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, message: `the planner address must start with http:// or https://, not ${url.protocol}//` };
  if (url.username || url.password) return { ok: false, message: 'the planner address must not contain a user name or password: put an API key in PLANNER_RELAY_API_KEY instead' };
  if (url.search || url.hash) return { ok: false, message: 'the planner address must not contain a query (?…) or fragment (#…)' };
  const path = url.pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  return { ok: true, base: `${url.origin}${path}` };
}

function positive(value: unknown, name: string, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new RelayConfigError(`${name} in ${source} must be a positive number, not "${String(value)}"`);
  return n;
}

/** The relay's configuration from the environment and the optional JSON file it names. */
export function relayConfigFromEnv(env: NodeJS.ProcessEnv = process.env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): RelayConfig {
  let file: Record<string, unknown> = {};
  const filePath = env.PLANNER_RELAY_CONFIG?.trim();
  if (filePath) {
    let text: string;
    try {
      text = readFile(filePath);
    } catch (err) {
      throw new RelayConfigError(`cannot read the planner relay's configuration ${filePath} (PLANNER_RELAY_CONFIG): ${(err as Error).message}`);
    }
    try {
      file = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new RelayConfigError(`the planner relay's configuration ${filePath} is not valid JSON (${(err as Error).message}); expected e.g. {"target": "http://gpu-box:8000", "apiKey": "…"}`);
    }
    if (!file || typeof file !== 'object' || Array.isArray(file)) throw new RelayConfigError(`the planner relay's configuration ${filePath} must be a JSON object, e.g. {"target": "http://gpu-box:8000"}`);
    const known = new Set(['target', 'apiKey', 'maxBodyMB', 'timeoutS']);
    const unknown = Object.keys(file).filter((k) => !known.has(k));
    if (unknown.length) throw new RelayConfigError(`the planner relay's configuration ${filePath} has unknown keys ${unknown.map((k) => `"${k}"`).join(', ')}; it reads "target", "apiKey", "maxBodyMB" and "timeoutS"`);
  }
  const pick = (envName: string, key: string): { value: unknown; source: string } => {
    const v = env[envName];
    if (v !== undefined && v !== '') return { value: v, source: envName };
    return { value: file[key], source: filePath ? `${filePath} ("${key}")` : envName };
  };
  const target = pick('PLANNER_RELAY_TARGET', 'target');
  let base: string | null = null;
  if (target.value !== undefined && target.value !== '') {
    const t = normalizeTarget(String(target.value));
    if (!t.ok) throw new RelayConfigError(`${target.source}: ${t.message}`);
    base = t.base;
  }
  const key = pick('PLANNER_RELAY_API_KEY', 'apiKey');
  const apiKey = typeof key.value === 'string' && key.value.trim() ? key.value.trim() : null;
  const body = pick('PLANNER_RELAY_MAX_BODY_MB', 'maxBodyMB');
  const timeout = pick('PLANNER_RELAY_TIMEOUT_S', 'timeoutS');
  const maxBodyMB = positive(body.value, 'the body limit', body.source);
  const timeoutS = positive(timeout.value, 'the timeout', timeout.source);
  return {
    ...DEFAULT_RELAY_CONFIG,
    target: base,
    apiKey,
    apiKeySource: apiKey ? key.source : null,
    ...(maxBodyMB ? { maxBodyBytes: Math.round(maxBodyMB * 1024 * 1024) } : {}),
    ...(timeoutS ? { maxTimeoutMs: Math.round(timeoutS * 1000) } : {}),
  };
}

/** Vite's host rule: IP literals, localhost and *.localhost, plus the configured allowedHosts. */
export function hostAllowed(hostHeader: string | undefined, allowedHosts: string[] | true | undefined): boolean {
  if (allowedHosts === true) return true;
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) || hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  return (allowedHosts ?? []).some((h) => (h.startsWith('.') ? hostname === h.slice(1) || hostname.endsWith(h) : hostname === h));
}

export interface RelayOptions {
  config: RelayConfig;
  /** The app's base path (Vite `base`), e.g. `/`. */
  base?: string;
  allowedHosts?: string[] | true;
}

type Next = (err?: unknown) => void;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'X-Planner-Relay': 'error', ...headers });
  res.end(text);
}
const refuse = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) => sendJson(res, status, { relay: { code, message } }, headers);

/** Reads the request body up to `limit` bytes; null when it was longer (the request is then refused). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !over && resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => !req.complete && !over && reject(new Error('the page closed the request before sending all of it')));
  });
}

const mb = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} kB` : `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`);

/** Plain words for the network errors Node reports on the upstream call. */
function connectionMessage(code: string | undefined, upstream: string, err: Error): string {
  const { host } = new URL(upstream);
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${host}: start the planner server there (HAMSTER: python server.py --port 8000 …) or correct the address`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the studio's machine cannot resolve the host name "${new URL(upstream).hostname}": check the spelling, or use the server's IP address`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return `the studio's machine cannot reach ${host} (${code}): check the network, a VPN or the server's firewall (port ${new URL(upstream).port || (upstream.startsWith('https') ? 443 : 80)})`;
    case 'ECONNRESET':
    case 'EPIPE':
      return `${host} closed the connection mid-request (${code}): the server may have crashed or restarted — check its log`;
    default:
      return `cannot reach ${host}: ${err.message}${code ? ` (${code})` : ''}`;
  }
}

/** Connect-style middleware; requests outside `<base>planner-relay/` go to `next`. */
export function createPlannerRelay(options: RelayOptions): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  const { config } = options;
  const prefix = `${(options.base ?? '/').replace(/\/?$/, '/')}${RELAY_PATH}`;
  return (req, res, next) => {
    const pathname = new URL(req.url ?? '/', 'http://relay').pathname;
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) return next();
    void handle(req, res, pathname.slice(prefix.length)).catch((err: unknown) => {
      if (!res.headersSent) refuse(res, 500, 'relay_failed', `the planner relay failed: ${(err as Error)?.message ?? String(err)}`);
      else res.destroy();
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    const routes: Record<string, string> = { '/chat/completions': 'POST', '/status': 'GET' };
    const method = routes[route];
    if (!method) return refuse(res, 404, 'not_found', `the planner relay serves only POST ${prefix}/chat/completions and GET ${prefix}/status`);
    if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) return refuse(res, 405, 'method_not_allowed', `${prefix}${route} takes ${method} only`, { Allow: method === 'GET' ? 'GET, HEAD' : method });
    if (!hostAllowed(req.headers.host, options.allowedHosts))
      return refuse(res, 403, 'host_not_allowed', `the planner relay does not answer requests for host "${req.headers.host ?? ''}": add it to server.allowedHosts / preview.allowedHosts in vite.config.ts`);
    const origin = req.headers.origin;
    if (origin && origin !== 'null') {
      let originHost = '';
      try {
        originHost = new URL(origin).host;
      } catch {
        /* refused below */
      }
      if (originHost !== req.headers.host) return refuse(res, 403, 'cross_origin', `the planner relay answers only the studio's own pages, not ${origin}`);
    }
    if (method === 'GET') {
      const status: RelayStatus = { relay: RELAY_VERSION, target: config.target, apiKey: config.apiKey ? 'relay' : 'none', apiKeySource: config.apiKeySource, maxBodyBytes: config.maxBodyBytes, maxTimeoutMs: config.maxTimeoutMs };
      return sendJson(res, 200, status, { 'X-Planner-Relay': 'status' });
    }

    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return refuse(res, 415, 'not_json', 'the planner relay forwards JSON chat requests only (Content-Type: application/json)');
    const asked = req.headers['x-planner-target'];
    const askedTarget = typeof asked === 'string' && asked.trim() ? normalizeTarget(asked) : null;
    if (askedTarget && !askedTarget.ok) return refuse(res, 400, 'bad_target', askedTarget.message);
    let target: string;
    if (config.target) {
      // The configured base, or the same with /v1 removed or added (the page tries the other form on a 404).
      const v1 = /\/v1$/.test(config.target) ? config.target.replace(/\/v1$/, '') : `${config.target}/v1`;
      if (askedTarget?.ok && askedTarget.base !== config.target && askedTarget.base !== v1)
        return refuse(res, 403, 'target_not_allowed', `this studio's relay forwards only to ${config.target} (PLANNER_RELAY_TARGET), not ${askedTarget.base}: set that address on the Models page, or restart the studio with another PLANNER_RELAY_TARGET`);
      target = askedTarget?.ok ? askedTarget.base : config.target;
    } else {
      if (!askedTarget?.ok) return refuse(res, 400, 'no_target', 'the request names no planner (X-Planner-Target header): set the planner address on the Models page');
      target = askedTarget.base;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > config.maxBodyBytes) {
      req.resume();
      return refuse(res, 413, 'body_too_large', `the request is ${mb(declared)}, over the planner relay's limit of ${mb(config.maxBodyBytes)}: send a smaller image, or raise PLANNER_RELAY_MAX_BODY_MB`, { Connection: 'close' });
    }
    const body = await readBody(req, config.maxBodyBytes);
    if (!body) return refuse(res, 413, 'body_too_large', `the request is over the planner relay's limit of ${mb(config.maxBodyBytes)}: send a smaller image, or raise PLANNER_RELAY_MAX_BODY_MB`, { Connection: 'close' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return refuse(res, 400, 'bad_json', 'the request body is not JSON');
    }
    const chat = parsed as { model?: unknown; messages?: unknown };
    if (!chat || typeof chat !== 'object' || typeof chat.model !== 'string' || !Array.isArray(chat.messages))
      return refuse(res, 400, 'not_chat', 'the planner relay forwards chat requests only: a JSON object with "model" and "messages"');

    const askedTimeout = Number(req.headers['x-planner-timeout-ms']);
    const timeoutMs = Math.min(config.maxTimeoutMs, Number.isFinite(askedTimeout) && askedTimeout > 0 ? Math.max(100, askedTimeout) : config.maxTimeoutMs);
    const upstream = `${target}/chat/completions`;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(body.length), 'User-Agent': RELAY_VERSION };
    const auth = config.apiKey ? `Bearer ${config.apiKey}` : req.headers.authorization;
    if (auth) headers.Authorization = auth;

    await new Promise<void>((resolve) => {
      const send = upstream.startsWith('https:') ? httpsRequest : httpRequest;
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
        resolve();
      };
      const out = send(upstream, { method: 'POST', headers }, (answer) => {
        const chunks: Buffer[] = [];
        let size = 0;
        answer.on('data', (c: Buffer) => {
          size += c.length;
          if (size > config.maxResponseBytes) {
            out.destroy();
            finish(() => refuse(res, 502, 'response_too_large', `the planner at ${upstream} answered more than ${mb(config.maxResponseBytes)}; a chat answer is a few kB — is the address right?`));
            return;
          }
          chunks.push(c);
        });
        answer.on('end', () =>
          finish(() => {
            res.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'application/octet-stream', 'Cache-Control': 'no-store', 'X-Planner-Relay': 'upstream', 'X-Planner-Upstream': upstream });
            res.end(Buffer.concat(chunks));
          }),
        );
        answer.on('error', (err) => finish(() => refuse(res, 502, 'upstream_error', `the planner at ${upstream} broke off its answer: ${err.message}`, { 'X-Planner-Upstream': upstream })));
      });
      const timer = setTimeout(() => {
        out.destroy();
        finish(() => refuse(res, 504, 'timeout', `the planner at ${upstream} did not answer within ${Math.round(timeoutMs / 1000)} s`, { 'X-Planner-Upstream': upstream }));
      }, timeoutMs);
      out.on('error', (err: NodeJS.ErrnoException) => finish(() => refuse(res, 502, err.code ?? 'connect_failed', connectionMessage(err.code, upstream, err), { 'X-Planner-Upstream': upstream })));
      // The page gave up (its own timeout, or the user cancelled): stop waiting on the planner too.
      res.on('close', () => {
        if (!res.writableFinished) {
          out.destroy();
          finish(() => undefined);
        }
      });
      out.end(body);
    });
  }
}

/**
 * The relay in Vite's dev server (`npm start`, `npm run dev`) and preview server (`npm run
 * preview`, the e2e tests). A bad configuration stops the server with the reason.
 */
export function plannerRelayPlugin(env: NodeJS.ProcessEnv = process.env): Plugin {
  let config: RelayConfig | null = null;
  const load = (log: (msg: string) => void) => {
    if (config) return config;
    config = relayConfigFromEnv(env);
    log(`planner relay: ${config.target ? `forwards only to ${config.target}` : 'forwards to the planner set on the Models page'}${config.apiKey ? `, with the API key from ${config.apiKeySource}` : ''}`);
    return config;
  };
  return {
    name: 'path-studio-planner-relay',
    configureServer(server) {
      server.middlewares.use(createPlannerRelay({ config: load((m) => server.config.logger.info(m)), base: server.config.base, allowedHosts: server.config.server.allowedHosts }));
    },
    configurePreviewServer(server) {
      server.middlewares.use(createPlannerRelay({ config: load((m) => server.config.logger.info(m)), base: server.config.base, allowedHosts: server.config.preview.allowedHosts }));
    },
  };
}
