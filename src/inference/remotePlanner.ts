/**
 * A remote planner: any OpenAI-compatible `/chat/completions` endpoint serving a VLM (docs/MODELS.md, Remote planner).
 * HAMSTER's own server.py answers with `choices[0].message.content` as a list of `{type, text}`
 * parts; vLLM-style servers answer with a string — both are read. The image goes first as a
 * `data:image/jpeg;base64,…` part, then the HAMSTER prompt; the answer goes through the path codec.
 *
 * Calls go through the studio's own relay by default (`scripts/plannerRelay.ts`, served by the dev
 * and preview servers at `<base>planner-relay/`): HAMSTER's server.py sends no CORS headers, so a
 * page cannot call it directly. `connection: 'direct'` calls the server from the browser (it must
 * then allow this origin). A base URL is tried as given, then with `/v1` added or removed when that
 * answers 404 (server.py serves `/chat/completions`, vLLM `/v1/chat/completions`). The servers'
 * errors are turned into instructions (`explain*`). Timeouts, network failures and unexplained
 * 5xx are retried; configuration errors, 4xx answers and unparsable paths are not.
 */
import { parsePath, type CoordinateScale } from '../core/codec';
import type { Path } from '../core/path';
import { hamsterRequestText } from '../core/prompt';
import { errorMessage } from '../core/errorMessage';

export type RemoteConnection = 'relay' | 'direct';

export interface RemotePlannerConfig {
  /** Base URL (`http://host:8000`, `/v1` suffix or not) or the full `/chat/completions` URL. */
  url: string;
  model: string;
  /** Sent as `Authorization: Bearer …`; a key in the relay's configuration takes its place. */
  apiKey?: string;
  timeoutMs: number;
  retries: number;
  coordinates?: CoordinateScale;
  /** Through the studio's relay (default) or straight from the browser. */
  connection?: RemoteConnection;
}

export const DEFAULT_REMOTE_CONFIG: RemotePlannerConfig = { url: 'http://localhost:8000', model: 'HAMSTER_dev', timeoutMs: 30_000, retries: 1, connection: 'relay' };

/** The model names HAMSTER's server.py accepts (its request model's `Literal`). */
export const HAMSTER_SERVER_MODELS: readonly string[] = [
  'VILA1.5-3B', 'VILA1.5-3B-AWQ', 'VILA1.5-3B-S2', 'VILA1.5-3B-S2-AWQ', 'Llama-3-VILA1.5-8B', 'Llama-3-VILA1.5-8B-AWQ',
  'VILA1.5-13B', 'VILA1.5-13B-AWQ', 'VILA1.5-40B', 'VILA1.5-40B-AWQ', 'HAMSTER_dev',
];

export class RemotePlannerError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'RemotePlannerError';
  }
}

/** The base URL without trailing slashes or `/chat/completions`. */
export function plannerBase(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/chat\/completions$/, '').replace(/\/+$/, '');
}

export function chatCompletionsUrl(url: string): string {
  return `${plannerBase(url)}/chat/completions`;
}

/** The base as given, then with `/v1` removed or added. */
export function candidateBases(url: string): string[] {
  const base = plannerBase(url);
  return [base, /\/v1$/.test(base) ? base.replace(/\/v1$/, '') : `${base}/v1`];
}

export function buildChatRequest(imageDataUrl: string, instruction: string, model: string): Record<string, unknown> {
  return {
    model,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: imageDataUrl } },
          { type: 'text', text: hamsterRequestText(instruction) }, // HAMSTER's client: a newline, then the prompt
        ],
      },
    ],
    max_tokens: 128,
    temperature: 0,
  };
}

/** How to make HAMSTER's server.py and the Model field agree. */
function renameAdvice(folder: string, name: string): string {
  return `rename the checkpoint folder and restart the server: mv ${folder} ${name}, then python server.py --model-path ${name} --port 8000 --conv-mode vicuna_v1`;
}

/**
 * An instruction for an error text a planner server reported (server.py's `{"error": str(e)}`,
 * HTTP 500 — or 200 in older copies of it), or null when the text is not one it knows.
 */
export function explainServerErrorText(error: string): { message: string; retryable: boolean } | null {
  const mismatch = /The endpoint is configured to use the model (.+?), but the request model is (.+?)\s*$/s.exec(error);
  if (mismatch) {
    const [, served, asked] = mismatch;
    const listed = HAMSTER_SERVER_MODELS.includes(served);
    const want = HAMSTER_SERVER_MODELS.includes(asked) ? asked : 'HAMSTER_dev';
    return {
      message: listed
        ? `the planner server runs the model "${served}" but was asked for "${asked}": set Model to ${served} on the Models page`
        : `HAMSTER's server.py serves only the model named like its checkpoint folder, "${served}", and that name is not one it accepts (${HAMSTER_SERVER_MODELS.includes(asked) ? `e.g. ${asked}` : 'HAMSTER_dev, VILA1.5-…'}), so every request fails — its setup_server.sh clones the checkpoint as Hamster_dev. To fix it, ${renameAdvice(served, want)}; keep Model = ${want} here`,
      retryable: false,
    };
  }
  const badUrl = /^Invalid image url: (.{0,40})/s.exec(error);
  if (badUrl)
    return { message: `the planner server could not read the image: it takes only data:image/png or data:image/jpeg base64 URLs, and got "${badUrl[1]}…"`, retryable: false };
  if (/cannot identify image file/.test(error))
    return { message: `the planner server could not decode the image it was sent (${error.replace(/ <_io\.BytesIO object at 0x[0-9a-f]+>/, '')}): the JPEG arrived damaged — if a proxy sits in between, check its body size limit; otherwise check the server's Pillow install`, retryable: false };
  if (/CUDA out of memory/i.test(error))
    return { message: `the planner server ran out of GPU memory (${error.slice(0, 120)}): free the GPU or run a smaller checkpoint (an AWQ one), then try again`, retryable: true };
  return null;
}

interface PydanticError { type?: string; loc?: unknown[]; msg?: string; input?: unknown; ctx?: { expected?: string } }

/** An instruction for FastAPI's 422 body (`{"detail": [pydantic errors]}`), or null. */
export function explainValidationError(body: unknown, model: string): string | null {
  const detail = (body as { detail?: unknown })?.detail;
  if (!Array.isArray(detail)) return null;
  const errors = detail as PydanticError[];
  const modelError = errors.find((e) => e.type === 'literal_error' && Array.isArray(e.loc) && e.loc[e.loc.length - 1] === 'model');
  if (modelError) {
    const names = [...(modelError.ctx?.expected ?? modelError.msg ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
    const near = names.find((n) => n.toLowerCase() === model.toLowerCase());
    const hamster = names.includes('HAMSTER_dev');
    let advice = `set Model on the Models page to the one the server runs`;
    if (near) advice = `set Model to ${near}${hamster && near === 'HAMSTER_dev' ? `; the server must then run a checkpoint folder named ${near}: ${renameAdvice(model, near)}` : ''}`;
    else if (hamster) advice = `for HAMSTER's checkpoint set Model to HAMSTER_dev and ${renameAdvice('Hamster_dev', 'HAMSTER_dev')}`;
    return `the planner server accepts only these model names: ${names.join(', ')} — "${model}" is not one of them; ${advice}`;
  }
  const first = errors[0];
  if (!first) return null;
  return `the planner server refused the request as malformed (${(first.loc ?? []).join('.')}: ${first.msg ?? first.type}) — is this an OpenAI-compatible /chat/completions endpoint?`;
}

/** The answer text of a chat completion (string content, or the text parts of a content list). */
export function extractAnswerText(body: unknown): string {
  const choices = (body as { choices?: unknown })?.choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    const err = (body as { error?: { message?: unknown } | string })?.error;
    const detail = typeof err === 'string' ? err : typeof err?.message === 'string' ? err.message : null;
    const known = detail ? explainServerErrorText(detail) : null;
    if (known) throw new RemotePlannerError(known.message, known.retryable);
    throw new RemotePlannerError(detail ? `the planner server reported an error: ${detail}` : 'the planner server answered without "choices": is this an OpenAI-compatible /chat/completions endpoint?', false);
  }
  const content = (choices[0] as { message?: { content?: unknown } })?.message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const text = content
      .map((part) => (typeof part === 'string' ? part : part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
      .join('');
    if (text) return text;
  }
  throw new RemotePlannerError('the planner server answered without any text in choices[0].message.content', false);
}

/** Parses the answer text into a path, or explains what was wrong with it. */
export function answerToPath(text: string, coordinates: CoordinateScale = 'auto'): Path {
  const result = parsePath(text, { coordinates });
  if (!result.ok) {
    const excerpt = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    throw new RemotePlannerError(`the planner's answer is not a path (${result.error.message}): "${excerpt}"`, false);
  }
  return result.path;
}

type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RemoteCallOptions {
  /** The relay's URL (`…/planner-relay`); by default the one beside this page. */
  relayUrl?: string;
  fetchImpl?: FetchLike;
}

/** The relay served beside this page (`<origin><base>planner-relay`). */
export function defaultRelayUrl(): string {
  const origin = globalThis.location?.origin;
  if (!origin) throw new RemotePlannerError('the studio\'s planner relay has no address outside a page: pass relayUrl', false);
  return `${origin}${import.meta.env?.BASE_URL ?? '/'}planner-relay`;
}

/** What `GET <relay>/status` says (scripts/plannerRelay.ts `RelayStatus`). */
export interface RelayStatus {
  relay: string;
  target: string | null;
  apiKey: 'relay' | 'none';
  apiKeySource: string | null;
  maxBodyBytes: number;
  maxTimeoutMs: number;
}

/** The relay's configuration, or null when the page was served without it (a static host). */
export async function fetchRelayStatus(options: RemoteCallOptions = {}): Promise<RelayStatus | null> {
  const fetchImpl = options.fetchImpl ?? ((u, i) => fetch(u, i));
  try {
    const res = await fetchImpl(`${options.relayUrl ?? defaultRelayUrl()}/status`, { method: 'GET', headers: { Accept: 'application/json' } });
    if (!res.ok || res.headers.get('X-Planner-Relay') !== 'status') return null;
    return (await res.json()) as RelayStatus;
  } catch {
    return null;
  }
}

/** One answer from the planner (through the relay or not), or the reason there is none. */
type Outcome = { kind: 'json'; body: unknown } | { kind: 'notFound'; url: string; status: number };

const working = new Map<string, string>();

async function once(config: RemotePlannerConfig, base: string, body: string, outer: AbortSignal | undefined, options: RemoteCallOptions): Promise<Outcome> {
  const fetchImpl = options.fetchImpl ?? ((u, i) => fetch(u, i));
  const viaRelay = (config.connection ?? 'relay') === 'relay';
  const url = `${base}/chat/completions`;
  const where = viaRelay ? `the planner at ${url} (through the studio's relay)` : `the planner at ${url}`;
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  // Through the relay, the relay times the planner out and says so; the page waits a little longer.
  const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), config.timeoutMs + (viaRelay ? 2000 : 0));
  const timeoutMessage = `${where} did not answer within ${Math.round(config.timeoutMs / 1000)} s — a server's first request can take long while it loads the model: raise the timeout, or check the server's log`;
  try {
    let res: Response;
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {}) };
    try {
      res = viaRelay
        ? await fetchImpl(`${options.relayUrl ?? defaultRelayUrl()}/chat/completions`, { method: 'POST', headers: { ...headers, 'X-Planner-Target': base, 'X-Planner-Timeout-Ms': String(config.timeoutMs) }, body, signal: controller.signal })
        : await fetchImpl(url, { method: 'POST', headers, body, signal: controller.signal });
    } catch (err) {
      if (outer?.aborted) throw err;
      if (controller.signal.aborted) throw new RemotePlannerError(timeoutMessage, true);
      const cause = errorMessage(err);
      if (viaRelay) throw new RemotePlannerError(`cannot reach the studio's planner relay (${cause}): is the studio's server still running?`, true);
      throw new RemotePlannerError(
        `cannot reach the planner at ${url} from the browser (${cause}). Either nothing answers there, or the browser blocked the call: a page may only call servers that allow its origin (CORS), and HAMSTER's server.py sends no CORS headers (it answers the browser's preflight with 405). Set Connection to "Through the studio's relay" on the Models page, so the studio's server makes the call`,
        true,
      );
    }
    const text = await res.text();
    const relayed = res.headers.get('X-Planner-Relay');
    if (viaRelay && relayed !== 'upstream') {
      if (relayed === 'error') {
        let relay: { code?: string; message?: string } = {};
        try {
          relay = (JSON.parse(text) as { relay?: typeof relay }).relay ?? {};
        } catch {
          /* the generic message below */
        }
        if (relay.code === 'timeout') throw new RemotePlannerError(timeoutMessage, true);
        const network = res.status === 502 && !/^(response_too_large|upstream_error)$/.test(relay.code ?? '');
        throw new RemotePlannerError(`${network ? `cannot reach the planner at ${url}: ` : ''}${relay.message ?? `the studio's planner relay refused the call (HTTP ${res.status})`}`, network);
      }
      throw new RemotePlannerError(
        `the studio's planner relay is not running where this page came from (${res.url || 'planner-relay'} answered HTTP ${res.status}): start the studio with npm start or npm run preview, or set Connection to "Directly from the browser" (the planner server must then allow this origin, CORS)`,
        false,
      );
    }
    if (res.status === 404 || res.status === 405) return { kind: 'notFound', url, status: res.status };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (!res.ok) throw new RemotePlannerError(`${where} answered HTTP ${res.status}${text.trim() ? `: ${text.slice(0, 200).trim()}` : ''}`, res.status >= 500 || res.status === 429);
      throw new RemotePlannerError(`${where} did not answer JSON: "${text.slice(0, 80)}"`, false);
    }
    if (res.ok) return { kind: 'json', body: json };
    if (res.status === 422) {
      const explained = explainValidationError(json, config.model);
      if (explained) throw new RemotePlannerError(explained, false);
    }
    if (res.status === 401 || res.status === 403) {
      const key = config.apiKey ? 'the API key stored in this browser' : viaRelay ? "the relay's API key, if it has one (PLANNER_RELAY_API_KEY)" : 'no API key';
      throw new RemotePlannerError(`${where} refused the call (HTTP ${res.status}) with ${key}: set the key the server expects — in the relay's configuration (PLANNER_RELAY_API_KEY), or on the Models page`, false);
    }
    const error = (json as { error?: unknown })?.error;
    const errorText = typeof error === 'string' ? error : typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : null;
    const known = errorText ? explainServerErrorText(errorText) : null;
    if (known) throw new RemotePlannerError(known.message, known.retryable);
    const detail = (errorText ?? text).slice(0, 200).trim();
    throw new RemotePlannerError(`${where} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}${res.status >= 500 ? ' — see the server\'s log' : ''}`, res.status >= 500 || res.status === 429);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}

/** One try: the base that worked last time first, then the other `/v1` form on a 404. */
async function attempt(config: RemotePlannerConfig, body: string, signal: AbortSignal | undefined, options: RemoteCallOptions): Promise<unknown> {
  const key = `${config.connection ?? 'relay'} ${plannerBase(config.url)}`;
  const bases = candidateBases(config.url);
  const known = working.get(key);
  if (known) bases.sort((a, b) => Number(b === known) - Number(a === known));
  const missing: string[] = [];
  for (const base of bases) {
    const outcome = await once(config, base, body, signal, options);
    if (outcome.kind === 'json') {
      working.set(key, base);
      return outcome.body;
    }
    missing.push(`${outcome.url} (HTTP ${outcome.status})`);
  }
  throw new RemotePlannerError(
    `no chat endpoint at ${missing.join(' nor at ')}: check the address — HAMSTER's server.py serves /chat/completions at the root of its host:port (e.g. http://gpu-box:8000), vLLM and OpenAI-style servers under /v1`,
    false,
  );
}

/** Asks the remote planner for a path. `imageDataUrl`: a `data:image/jpeg;base64,…` URL. */
export async function remoteSuggestPath(
  config: RemotePlannerConfig,
  imageDataUrl: string,
  instruction: string,
  signal?: AbortSignal,
  fetchImpl?: FetchLike,
  options: RemoteCallOptions = {},
): Promise<Path> {
  if (!config.url.trim()) throw new RemotePlannerError('no planner address is set: enter the server\'s address on the Models page (HAMSTER server.py: http://host:8000)', false);
  const body = JSON.stringify(buildChatRequest(imageDataUrl, instruction, config.model));
  const opts = { ...options, ...(fetchImpl ? { fetchImpl } : {}) };
  let lastError: unknown;
  for (let tryNo = 0; tryNo <= config.retries; tryNo++) {
    try {
      return answerToPath(extractAnswerText(await attempt(config, body, signal, opts)), config.coordinates ?? 'auto');
    } catch (err) {
      lastError = err;
      if (signal?.aborted || !(err instanceof RemotePlannerError) || !err.retryable) throw err;
    }
  }
  const tries = config.retries + 1;
  throw new RemotePlannerError(`${(lastError as Error).message} (tried ${tries} time${tries > 1 ? 's' : ''})`, false);
}
