/**
 * A remote planner: any OpenAI-compatible `/chat/completions` endpoint serving a VLM (DESIGN §3.3).
 * HAMSTER's own server.py answers with `choices[0].message.content` as a list of `{type, text}`
 * parts; vLLM-style servers answer with a string — both are read. The image goes first as a
 * `data:image/jpeg;base64,…` part, then the HAMSTER prompt; the answer goes through the path codec.
 * Timeouts and network/5xx failures are retried; 4xx answers and unparsable paths are not.
 */
import { parsePath, type CoordinateScale } from '../core/codec';
import type { Path } from '../core/path';
import { hamsterPrompt } from '../core/prompt';

export interface RemotePlannerConfig {
  /** Base URL (`http://host:8000`, `/v1` suffix or not) or the full `/chat/completions` URL. */
  url: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  retries: number;
  coordinates?: CoordinateScale;
}

export const DEFAULT_REMOTE_CONFIG: RemotePlannerConfig = { url: 'http://localhost:8000', model: 'HAMSTER_dev', timeoutMs: 30_000, retries: 1 };

export class RemotePlannerError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'RemotePlannerError';
  }
}

export function chatCompletionsUrl(url: string): string {
  const u = url.trim().replace(/\/+$/, '');
  return u.endsWith('/chat/completions') ? u : `${u}/chat/completions`;
}

export function buildChatRequest(imageDataUrl: string, instruction: string, model: string): Record<string, unknown> {
  return {
    model,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: imageDataUrl } },
          { type: 'text', text: hamsterPrompt(instruction) },
        ],
      },
    ],
    max_tokens: 128,
    temperature: 0,
  };
}

/** The answer text of a chat completion (string content, or the text parts of a content list). */
export function extractAnswerText(body: unknown): string {
  const choices = (body as { choices?: unknown })?.choices;
  if (!Array.isArray(choices) || choices.length === 0) {
    const err = (body as { error?: { message?: unknown } | string })?.error;
    const detail = typeof err === 'string' ? err : typeof err?.message === 'string' ? err.message : null;
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

async function once(config: RemotePlannerConfig, body: string, outer: AbortSignal | undefined, fetchImpl: FetchLike): Promise<unknown> {
  const controller = new AbortController();
  const onOuter = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), config.timeoutMs);
  const url = chatCompletionsUrl(config.url);
  try {
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(config.apiKey ? { Authorization: `Bearer ${config.apiKey}` } : {}) },
        body,
        signal: controller.signal,
      });
    } catch (err) {
      if (outer?.aborted) throw err;
      if (controller.signal.aborted) throw new RemotePlannerError(`the planner at ${url} did not answer within ${Math.round(config.timeoutMs / 1000)} s`, true);
      throw new RemotePlannerError(`cannot reach the planner at ${url} (${err instanceof Error ? err.message : String(err)}); check the address and that the server allows this origin (CORS)`, true);
    }
    const text = await res.text();
    if (!res.ok) {
      const detail = text.slice(0, 200).trim();
      throw new RemotePlannerError(`the planner at ${url} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`, res.status >= 500 || res.status === 429);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new RemotePlannerError(`the planner at ${url} did not answer JSON: "${text.slice(0, 80)}"`, false);
    }
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}

/** Asks the remote planner for a path. `imageDataUrl`: a `data:image/jpeg;base64,…` URL. */
export async function remoteSuggestPath(config: RemotePlannerConfig, imageDataUrl: string, instruction: string, signal?: AbortSignal, fetchImpl: FetchLike = (u, i) => fetch(u, i)): Promise<Path> {
  if (!config.url.trim()) throw new RemotePlannerError('no planner address is set', false);
  const body = JSON.stringify(buildChatRequest(imageDataUrl, instruction, config.model));
  let lastError: unknown;
  for (let attempt = 0; attempt <= config.retries; attempt++) {
    try {
      return answerToPath(extractAnswerText(await once(config, body, signal, fetchImpl)), config.coordinates ?? 'auto');
    } catch (err) {
      lastError = err;
      if (signal?.aborted || !(err instanceof RemotePlannerError) || !err.retryable) throw err;
    }
  }
  const tries = config.retries + 1;
  throw new RemotePlannerError(`${(lastError as Error).message} (tried ${tries} time${tries > 1 ? 's' : ''})`, false);
}
