#!/usr/bin/env node
/**
 * A stand-in for HAMSTER's `server.py` (HAMSTER_beta: FastAPI + uvicorn in front of a VILA
 * checkpoint) that behaves like it on the wire, without the model. Started by tests as a separate
 * process: `node src/testing/hamsterServer.mjs --model-path Hamster_dev --port 0`.
 *
 * What it copies from server.py, as read in HAMSTER_beta:
 * - one route, `POST /chat/completions` (no `/v1`); any other method there is FastAPI's 405
 *   `{"detail":"Method Not Allowed"}` with `allow: POST` — the browser's CORS preflight `OPTIONS`
 *   included — and any other path FastAPI's 404 `{"detail":"Not Found"}`. No CORS headers at all.
 * - the request model (pydantic): `model` is a Literal of VILA names plus `HAMSTER_dev`; a name
 *   outside the list is FastAPI's 422 with pydantic v2's `literal_error`; `messages[].content` is a
 *   string or a list of `{type:"text",text}` / `{type:"image_url",image_url:{url}}` parts.
 * - inside the handler's try/except (→ HTTP 500 `{"error": str(e)}`): the request's model must
 *   equal the checkpoint folder's name (VILA's `get_model_name_from_path(--model-path)`), else
 *   "The endpoint is configured to use the model X, but the request model is Y"; images must be
 *   `data:image/(png|jpe?g);base64,…` ("Invalid image url: …") holding bytes PIL can open
 *   ("cannot identify image file <_io.BytesIO object at 0x…>").
 * - the answer: `{id, object:"chat.completion", created, model, choices:[{message:{role:
 *   "assistant", content:[{type:"text", text}]}}]}` — content as a list of parts, not a string.
 *
 * The "model" answers `--answer` (default: a two-point HAMSTER path) after `--delay-ms`. It prints
 * uvicorn-style lines, plus server.py's own `User:` / `Prompt input:` lines, so tests can read what
 * arrived. Plain `node:http` and no dependencies, so it starts like the real thing: as its own program.
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';

const args = process.argv.slice(2);
function arg(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '8000'));
const modelPath = arg('model-path', null);
const answer = arg('answer', '<ans>[(0.25, 0.32), <action>Close Gripper</action>, (0.74, 0.21), <action>Open Gripper</action>]</ans>');
const delayMs = Number(arg('delay-ms', '0'));
if (!modelPath) {
  process.stderr.write('usage: hamsterServer.mjs --model-path PATH [--port 8000] [--host 127.0.0.1] [--answer TEXT] [--delay-ms N]\nserver.py: error: the following arguments are required: --model-path\n');
  process.exit(2);
}

/** VILA's llava.mm_utils.get_model_name_from_path. */
function modelNameFromPath(path) {
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  const last = parts[parts.length - 1];
  return last.startsWith('checkpoint-') ? `${parts[parts.length - 2]}_${last}` : last;
}
const modelName = modelNameFromPath(modelPath);

const ACCEPTED_MODELS = [
  'VILA1.5-3B', 'VILA1.5-3B-AWQ', 'VILA1.5-3B-S2', 'VILA1.5-3B-S2-AWQ', 'Llama-3-VILA1.5-8B', 'Llama-3-VILA1.5-8B-AWQ',
  'VILA1.5-13B', 'VILA1.5-13B-AWQ', 'VILA1.5-40B', 'VILA1.5-40B-AWQ', 'HAMSTER_dev',
];
/** pydantic v2's way of listing Literal choices: 'a', 'b' or 'c'. */
const expected = `${ACCEPTED_MODELS.slice(0, -1).map((m) => `'${m}'`).join(', ')} or '${ACCEPTED_MODELS[ACCEPTED_MODELS.length - 1]}'`;

const log = (line) => process.stdout.write(`${line}\n`);

function send(req, res, status, body, extraHeaders = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { date: new Date().toUTCString(), server: 'uvicorn', 'content-length': Buffer.byteLength(text), 'content-type': 'application/json', ...extraHeaders });
  res.end(text);
  const reason = { 200: 'OK', 404: 'Not Found', 405: 'Method Not Allowed', 422: 'Unprocessable Entity', 500: 'Internal Server Error' }[status] ?? '';
  log(`INFO:     ${req.socket.remoteAddress}:${req.socket.remotePort} - "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${reason}`);
}

/** The request model's validation, as FastAPI reports it (422, a list of pydantic errors). */
function validate(body) {
  const errors = [];
  const err = (type, loc, msg, input, ctx) => errors.push({ type, loc: ['body', ...loc], msg, input, ...(ctx ? { ctx } : {}) });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    err('model_attributes_type', [], 'Input should be a valid dictionary or object to extract fields from', body);
    return errors;
  }
  if (!('model' in body)) err('missing', ['model'], 'Field required', body);
  else if (!ACCEPTED_MODELS.includes(body.model)) err('literal_error', ['model'], `Input should be ${expected}`, body.model, { expected });
  if (!('messages' in body)) err('missing', ['messages'], 'Field required', body);
  else if (!Array.isArray(body.messages)) err('list_type', ['messages'], 'Input should be a valid list', body.messages);
  else {
    body.messages.forEach((m, i) => {
      if (!m || typeof m !== 'object') return err('model_attributes_type', ['messages', i], 'Input should be a valid dictionary or object to extract fields from', m);
      if (!['user', 'assistant'].includes(m.role)) err('literal_error', ['messages', i, 'role'], "Input should be 'user' or 'assistant'", m.role, { expected: "'user' or 'assistant'" });
      if (typeof m.content === 'string') return;
      if (!Array.isArray(m.content)) return err('string_type', ['messages', i, 'content', 'str'], 'Input should be a valid string', m.content);
      m.content.forEach((p, j) => {
        const ok = p && typeof p === 'object' && ((p.type === 'text' && typeof p.text === 'string') || (p.type === 'image_url' && p.image_url && typeof p.image_url.url === 'string'));
        if (!ok) err('union_tag_invalid', ['messages', i, 'content', 'list[union[TextContent,ImageContent]]', j], 'Input does not match any of TextContent, ImageContent', p);
      });
    });
  }
  return errors;
}

/** server.py's load_image: a base64 data URL of PNG or JPEG that PIL can open. */
function loadImage(url) {
  if (url.startsWith('http')) throw new Error(`this stand-in does not fetch image URLs: ${url}`);
  const m = /^data:image\/(png|jpe?g);base64,(.*)$/s.exec(url);
  if (!m) throw new Error(`Invalid image url: ${url}`);
  const bytes = Buffer.from(m[2], 'base64');
  const jpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  const png = bytes.length > 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  if (!jpeg && !png) throw new Error(`cannot identify image file <_io.BytesIO object at 0x7f${randomBytes(5).toString('hex')}>`);
  return bytes;
}

async function chatCompletions(body) {
  log(`User:  ${JSON.stringify(body.messages[body.messages.length - 1].content, (k, v) => (k === 'url' && typeof v === 'string' && v.length > 60 ? `${v.slice(0, 60)}…(${v.length} chars)` : v))}`);
  if (body.model !== modelName) throw new Error(`The endpoint is configured to use the model ${modelName}, but the request model is ${body.model}`);
  let prompt = '';
  let images = 0;
  for (const message of body.messages) {
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') prompt += message.content;
    else for (const part of message.content) {
      if (part.type === 'text') prompt += part.text;
      if (part.type === 'image_url') { loadImage(part.image_url.url); images++; prompt += '<image-placeholder>'; }
    }
  }
  log(`Prompt input:  ${JSON.stringify(prompt)} (${images} image${images === 1 ? '' : 's'})`);
  if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
  log(`\nAssistant:  ${answer}`);
  return {
    id: randomBytes(16).toString('hex'),
    object: 'chat.completion',
    created: Date.now() / 1000,
    model: body.model,
    choices: [{ message: { role: 'assistant', content: [{ type: 'text', text: answer }] } }],
  };
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path !== '/chat/completions') return send(req, res, 404, { detail: 'Not Found' });
  if (req.method !== 'POST') return send(req, res, 405, { detail: 'Method Not Allowed' }, { allow: 'POST' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    let body;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return send(req, res, 422, { detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: String(e.message) } }] });
    }
    const errors = validate(body);
    if (errors.length) return send(req, res, 422, { detail: errors });
    try {
      send(req, res, 200, await chatCompletions(body));
    } catch (e) {
      send(req, res, 500, { error: e instanceof Error ? e.message : String(e) });
    }
  });
});

server.listen(port, host, () => {
  const { port: actual } = server.address();
  log(`Model ${modelName} loaded successfully. Context length: 4096`);
  log(`INFO:     Uvicorn running on http://${host}:${actual} (Press CTRL+C to quit)`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
