/**
 * Model cards (docs/MODELS.md, Model card): the JSON beside an `.onnx` that says how to feed it.
 * `parseModelCard` checks a card on its own; `checkCardAgainstGraph` checks it against what the
 * ONNX graph really declares, and names the first input or output that does not match.
 */
import { HASHED_BOW_V1, isTextEncoding, minTextDim, TEXT_ENCODINGS, type TextEncoding } from '../core/textEncoding';

export const MODEL_CARD_SCHEMA = 'path-studio-model-card/v1';
export type ModelRole = 'planner' | 'policy';
export type PolicyConditioning = 'overlay' | 'concat' | 'none';

export interface TensorSpec {
  name: string;
  dtype: 'float32';
  /** Dimensions; null (or a string) for a symbolic dimension. */
  shape: (number | null)[];
}

export interface ImageSpec {
  input: string;
  width: number;
  height: number;
  channel_order: 'RGB';
  resize: 'bilinear';
  /** Pixel bytes are multiplied by `scale` (1/255), then `(v - mean) / std` per channel. */
  scale: number;
  mean: number[];
  std: number[];
}

export interface ModelCard {
  schema: typeof MODEL_CARD_SCHEMA;
  name: string;
  role: ModelRole;
  version: string;
  description?: string;
  opset?: number;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  image: ImageSpec;
  text?: { input: string; encoding: TextEncoding; dim: number };
  planner?: { points: number; gripper_threshold: number; simplify_epsilon: number };
  conditioning?: PolicyConditioning;
  state?: { input: string; names: string[]; mean?: number[]; std?: number[]; normalized_in_graph?: boolean };
  action?: { output: string; names: string[]; chunk: number; mean?: number[]; std?: number[]; normalized_in_graph?: boolean; units?: string };
  control_rate_hz?: number;
  training?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
}

export type CardResult = { ok: true; card: ModelCard } | { ok: false; error: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));

function tensorSpecs(v: unknown, what: string): TensorSpec[] | string {
  if (!Array.isArray(v) || v.length === 0) return `"${what}" must be a non-empty list of {name, dtype, shape}`;
  const out: TensorSpec[] = [];
  for (const [i, t] of v.entries()) {
    if (!isObj(t) || typeof t.name !== 'string' || !t.name) return `${what}[${i}] needs a "name"`;
    if ((t.dtype ?? 'float32') !== 'float32') return `${what} "${t.name}": only float32 tensors are supported, the card says ${String(t.dtype)}`;
    if (!Array.isArray(t.shape) || !t.shape.every((d) => d === null || typeof d === 'string' || (Number.isInteger(d) && (d as number) > 0)))
      return `${what} "${t.name}": "shape" must be a list of positive integers (null for a free dimension)`;
    out.push({ name: t.name, dtype: 'float32', shape: t.shape.map((d) => (typeof d === 'number' ? d : null)) });
  }
  return out;
}

/** Validates a parsed card (its own consistency, not yet the graph). */
export function parseModelCard(json: unknown): CardResult {
  const fail = (error: string): CardResult => ({ ok: false, error });
  if (!isObj(json)) return fail('the model card must be a JSON object');
  if (json.schema !== MODEL_CARD_SCHEMA) return fail(`"schema" must be "${MODEL_CARD_SCHEMA}" (got ${JSON.stringify(json.schema)})`);
  if (typeof json.name !== 'string' || !json.name.trim()) return fail('"name" is missing');
  if (json.role !== 'planner' && json.role !== 'policy') return fail(`"role" must be "planner" or "policy" (got ${JSON.stringify(json.role)})`);
  const inputs = tensorSpecs(json.inputs, 'inputs');
  if (typeof inputs === 'string') return fail(inputs);
  const outputs = tensorSpecs(json.outputs, 'outputs');
  if (typeof outputs === 'string') return fail(outputs);
  const input = (name: unknown) => inputs.find((i) => i.name === name);
  const output = (name: unknown) => outputs.find((o) => o.name === name);

  const image = json.image;
  if (!isObj(image)) return fail('"image" (input name, width, height, mean, std) is missing');
  const imageInput = input(image.input);
  if (!imageInput) return fail(`image input "${String(image.input)}" is not among the card's inputs`);
  if (!Number.isInteger(image.width) || !Number.isInteger(image.height) || (image.width as number) <= 0 || (image.height as number) <= 0)
    return fail('"image.width" and "image.height" must be positive integers');
  const channels = imageInput.shape[1];
  if (!isNumArray(image.mean) || !isNumArray(image.std) || image.mean.length !== image.std.length || image.std.some((s) => s === 0))
    return fail('"image.mean" and "image.std" must be lists of numbers of the same length, std non-zero');
  if (channels !== null && image.mean.length !== channels) return fail(`image input "${imageInput.name}" has ${channels} channels but "image.mean" has ${image.mean.length} values`);
  if (imageInput.shape.length !== 4) return fail(`image input "${imageInput.name}" must be [1, C, H, W]`);
  const [, , h, w] = imageInput.shape;
  if ((h !== null && h !== image.height) || (w !== null && w !== image.width))
    return fail(`image input "${imageInput.name}" is ${h}×${w} but "image" says ${image.height}×${image.width}`);

  if (json.text !== undefined) {
    const text = json.text;
    if (!isObj(text) || !isTextEncoding(text.encoding)) return fail(`"text.encoding" must be one of ${TEXT_ENCODINGS.map((e) => `"${e}"`).join(', ')}`);
    const minDim = minTextDim(text.encoding);
    if (!Number.isInteger(text.dim) || (text.dim as number) < minDim) return fail(`"text.dim" must be an integer ≥ ${minDim} for ${text.encoding}`);
    const ti = input(text.input);
    if (!ti) return fail(`text input "${String(text.input)}" is not among the card's inputs`);
    if (ti.shape[1] !== null && ti.shape[1] !== text.dim) return fail(`text input "${ti.name}" has ${ti.shape[1]} features but "text.dim" is ${String(text.dim)}`);
  }

  if (json.role === 'planner') {
    if (!json.text) return fail(`a planner needs "text" (its encoding, e.g. ${HASHED_BOW_V1}, and dimension)`);
    if (!output('points') || !output('gripper')) return fail('a planner must output "points" [1,K,2] and "gripper" [1,K]');
    if (imageInput.shape[1] !== null && imageInput.shape[1] !== 3) return fail(`planner image input "${imageInput.name}" must have 3 channels`);
    const p = json.planner;
    if (p !== undefined && (!isObj(p) || typeof p.gripper_threshold !== 'number')) return fail('"planner.gripper_threshold" must be a number');
  } else {
    const cond = json.conditioning;
    if (cond !== 'overlay' && cond !== 'concat' && cond !== 'none') return fail(`"conditioning" must be overlay, concat or none (got ${JSON.stringify(cond)})`);
    const wantChannels = cond === 'concat' ? 6 : 3;
    if (channels !== null && channels !== wantChannels) return fail(`policy conditioning "${cond}" needs ${wantChannels} image channels, input "${imageInput.name}" has ${channels}`);
    const state = json.state, action = json.action;
    if (!isObj(state) || !input(state.input)) return fail('"state.input" must name one of the card\'s inputs');
    if (!isObj(action) || !output(action.output) || !Number.isInteger(action.chunk)) return fail('"action" needs "output" (one of the outputs) and "chunk"');
  }
  return { ok: true, card: { ...(json as unknown as ModelCard), inputs, outputs } };
}

/** What the ONNX graph declares (from onnxruntime's session metadata). */
export interface GraphSignature {
  inputs: { name: string; type?: string; shape?: (number | string | null)[] }[];
  outputs: { name: string; type?: string; shape?: (number | string | null)[] }[];
}

function compare(kind: 'input' | 'output', spec: TensorSpec, graph: GraphSignature['inputs'][number] | undefined, all: string[]): string | null {
  if (!graph) return `the card's ${kind} "${spec.name}" is not in the model (the graph's ${kind}s are ${all.map((n) => `"${n}"`).join(', ') || 'none'})`;
  if (graph.type && graph.type !== 'float32') return `${kind} "${spec.name}" is ${graph.type} in the model, the card says float32`;
  if (graph.shape) {
    if (graph.shape.length !== spec.shape.length)
      return `${kind} "${spec.name}" has ${graph.shape.length} dimensions in the model [${graph.shape.join(', ')}] but ${spec.shape.length} in the card [${spec.shape.join(', ')}]`;
    for (let i = 0; i < spec.shape.length; i++) {
      const g = graph.shape[i], c = spec.shape[i];
      if (typeof g === 'number' && g > 0 && c !== null && g !== c)
        return `${kind} "${spec.name}" is [${graph.shape.join(', ')}] in the model but [${spec.shape.join(', ')}] in the card (dimension ${i})`;
    }
  }
  return null;
}

/** Null when the card matches the graph; otherwise a message naming the offending input/output. */
export function checkCardAgainstGraph(card: ModelCard, graph: GraphSignature): string | null {
  const gi = graph.inputs.map((i) => i.name);
  const go = graph.outputs.map((o) => o.name);
  for (const spec of card.inputs) {
    const problem = compare('input', spec, graph.inputs.find((g) => g.name === spec.name), gi);
    if (problem) return problem;
  }
  const extra = graph.inputs.find((g) => !card.inputs.some((c) => c.name === g.name));
  if (extra) return `the model needs input "${extra.name}", which the card does not describe`;
  for (const spec of card.outputs) {
    const problem = compare('output', spec, graph.outputs.find((g) => g.name === spec.name), go);
    if (problem) return problem;
  }
  return null;
}
