/**
 * The studio's model runtime (src/inference) seen through the control loop's `Planner` and
 * `Policy` interfaces: the active local ONNX planner or a remote VLM, and a policy model run in
 * the inference worker (path-conditioned, or the flat baseline conditioned on the instruction).
 * In the control loop the policy takes the encoded frame: decode and preprocessing run in
 * policyInput.worker.ts, so the page's main thread only passes buffers along.
 */
import type { Path } from '../../core/path';
import type { RgbaImage } from '../../core/raster';
import { inferenceClient, policyImageTensor, runLocalPlanner, textTensor, type ActiveLocal, type ActivePlanner } from '../../inference';
import { remoteSuggestPath } from '../../inference/remotePlanner';
import type { FloatTensor } from '../../inference/preprocess';
import type { Planner, Policy, PolicyInput } from '../../robot/hierarchy';
import { preparePolicyImage } from './policyInput';

async function rgbaToJpegDataUrl(image: RgbaImage): Promise<string> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

export function plannerFrom(active: ActivePlanner): Planner {
  if (active.kind === 'remote') {
    return {
      name: `remote: ${active.config.model}`,
      plan: async ({ image, instruction }, signal): Promise<Path> => remoteSuggestPath(active.config, await rgbaToJpegDataUrl(image), instruction, signal),
    };
  }
  return {
    name: active.record.name,
    plan: ({ image, instruction }, signal) => runLocalPlanner(active, image, instruction, signal),
  };
}

export function policyFrom(active: ActiveLocal): Policy {
  const card = active.card;
  const conditioning = card.conditioning === 'none' ? 'text' : 'path';
  const stateInput = card.state?.input ?? 'state';
  const actionOutput = card.action?.output ?? 'action';
  const textInput = card.inputs.some((i) => i.name === (card.text?.input ?? 'text')) ? card.text?.input ?? 'text' : null;
  return {
    name: active.record.name,
    controlRateHz: card.control_rate_hz ?? 10,
    conditioning,
    act({ image, path, state, instruction }: PolicyInput): Promise<number[][]> {
      return run(policyImageTensor(image, conditioning === 'path' ? path : null, card), state, instruction);
    },
    async actOnFrame({ frame, path, state, instruction }) {
      const prepared = await preparePolicyImage(frame, conditioning === 'path' ? path : null, card);
      return { actions: await run(prepared.tensor, state, instruction), decodeMs: prepared.decodeMs };
    },
  };

  async function run(image: FloatTensor, state: Float32Array, instruction: string): Promise<number[][]> {
    const feeds = {
      [card.image.input]: image,
      [stateInput]: { dims: [1, state.length], data: new Float32Array(state) },
      ...(textInput ? { [textInput]: textTensor(instruction, card) } : {}),
    };
    const out = await inferenceClient().run(active.key, feeds);
    const a = out[actionOutput];
    if (!a) throw new Error(`${active.record.name} returned no "${actionOutput}" output`);
    const dim = a.dims.at(-1) ?? 4;
    const rows: number[][] = [];
    for (let i = 0; i + dim <= a.data.length; i += dim) rows.push(Array.from(a.data.subarray(i, i + dim)));
    return rows;
  }
}
