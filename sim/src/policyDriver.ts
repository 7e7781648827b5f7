/**
 * The studio's models in Node (onnxruntime-node), fed exactly as the Live console feeds them: the
 * camera frame through a JPEG round trip (what the live camera sends), the studio's preprocessing
 * (src/inference/preprocess.ts), the planner once per episode, the policy every control step.
 * Used by the synchronous rollouts (rollout.ts) and by policy-driven data collection (generate.ts
 * `--policy`, DAgger).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import * as ort from 'onnxruntime-node';
import type { Path } from '../../src/core/path.ts';
import type { RgbaImage } from '../../src/core/raster.ts';
import { defaultEntry, type BuiltinIndex } from '../../src/inference/builtinIndex.ts';
import { parseModelCard, type ModelCard } from '../../src/inference/modelCard.ts';
import { plannerImageTensor, plannerOutputToPath, policyImageTensor, textTensor, type FloatTensor } from '../../src/inference/preprocess.ts';
import { encodeJpeg } from './render/jpeg.ts';
import type { Frame } from './render/rasterizer.ts';

export interface Model { card: ModelCard; session: ort.InferenceSession }

/** The folder name of the built-in policy a fresh profile activates in Live (public/models/index.json marks it `default`). */
export function defaultPolicyDir(index = 'public/models/index.json'): string {
  const entry = defaultEntry(JSON.parse(readFileSync(index, 'utf8')) as BuiltinIndex, 'policy');
  if (!entry) throw new Error(`${index} marks no default policy`);
  return entry.dir;
}

export async function loadModel(dir: string): Promise<Model> {
  const parsed = parseModelCard(JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')));
  if (!parsed.ok) throw new Error(`${dir}/card.json: ${parsed.error}`);
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), { intraOpNumThreads: 1, executionProviders: ['cpu'] });
  return { card: parsed.card, session };
}

async function run(model: Model, feeds: Record<string, FloatTensor>): Promise<Record<string, ort.Tensor>> {
  const t: Record<string, ort.Tensor> = {};
  for (const [k, v] of Object.entries(feeds)) t[k] = new ort.Tensor('float32', v.data, v.dims);
  return model.session.run(t);
}

/** A rendered frame as the studio receives it from the live camera (JPEG-compressed). */
export function cameraImage(frame: Frame): RgbaImage {
  const d = jpeg.decode(encodeJpeg(frame.rgb, frame.width, frame.height), { useTArray: true, formatAsRGBA: true });
  return { width: d.width, height: d.height, data: new Uint8ClampedArray(d.data.buffer, d.data.byteOffset, d.data.byteLength) };
}

/** The planner's path for an image and an instruction. */
export async function planPath(planner: Model, image: RgbaImage, instruction: string): Promise<Path> {
  const card = planner.card;
  const out = await run(planner, { [card.image.input]: plannerImageTensor(image, card), [card.text?.input ?? 'text']: textTensor(instruction, card) });
  return plannerOutputToPath(out.points.data as Float32Array, out.gripper.data as Float32Array, card);
}

export interface PolicyAction {
  linear: [number, number, number];
  gripper: number;
  /** The gripper predictions of the whole chunk (index 0 = this step), for `GripperVote`. */
  chunkGrippers: number[];
}

/** The policy's first action of its chunk, as a velocity (m/s) at `rate` Hz and a gripper target 0…1. */
export async function policyAction(policy: Model, image: RgbaImage, path: Path | null, state: number[], instruction: string, rate: number): Promise<PolicyAction> {
  const card = policy.card;
  const textInput = card.inputs.some((i) => i.name === (card.text?.input ?? 'text')) ? card.text?.input ?? 'text' : null;
  const feeds: Record<string, FloatTensor> = {
    [card.image.input]: policyImageTensor(image, card.conditioning === 'none' ? null : path, card),
    [card.state?.input ?? 'state']: { dims: [1, state.length], data: Float32Array.from(state) },
  };
  if (textInput) feeds[textInput] = textTensor(instruction, card);
  const a = (await run(policy, feeds))[card.action?.output ?? 'action'].data as Float32Array;
  const width = card.action?.names.length ?? 4;
  const chunkGrippers = Array.from({ length: Math.floor(a.length / width) }, (_, k) => a[k * width + 3]);
  return { linear: [a[0] * rate, a[1] * rate, a[2] * rate], gripper: Math.min(1, Math.max(0, a[3])), chunkGrippers };
}
