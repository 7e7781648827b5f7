/**
 * The studio's model runtime (src/inference) seen through the control loop's `Planner` and
 * `Policy` interfaces: the active local ONNX planner or a remote VLM, and a policy model run in
 * the inference worker (path-conditioned, or the flat baseline conditioned on the instruction).
 * In the control loop the policy takes the encoded frame: decode and preprocessing run in the
 * inference worker next to the model (InferenceClient.runOnFrame), so the page's main thread
 * only passes buffers along, once.
 */
import type { Path } from '../../core/path';
import type { RgbaImage } from '../../core/raster';
import { getRegistryState, inferenceClient, policyImageTensor, runLocalPlanner, textTensor, type ActiveLocal, type ActivePlanner } from '../../inference';
import { remoteSuggestPath } from '../../inference/remotePlanner';
import type { FloatTensor } from '../../inference/preprocess';
import { ZeroPolicy, type Planner, type Policy, type PolicyInput } from '../../robot/hierarchy';

// What the Run panel reads and changes of the model registry.
export { activateModel, activePlannerStatus, getRegistryState, listModels, restoreActiveModels, subscribeRegistry } from '../../inference';

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
    async act({ image, path, state, instruction }: PolicyInput): Promise<number[][]> {
      const feeds = { ...otherFeeds(state, instruction), [card.image.input]: policyImageTensor(image, conditioning === 'path' ? path : null, card) };
      return actions(await inferenceClient().run(active.key, feeds));
    },
    async actOnFrame({ frame, path, state, instruction }) {
      // The frame's bytes are copied once into a buffer that is transferred (the link keeps its own
      // copy for the camera view and the recorder).
      const feed = { input: card.image.input, bytes: frame.data.slice().buffer, format: frame.format, path: conditioning === 'path' ? path : null, card };
      const r = await inferenceClient().runOnFrame(active.key, feed, otherFeeds(state, instruction));
      return { actions: actions(r.outputs), decodeMs: r.decodeMs };
    },
  };

  function otherFeeds(state: Float32Array, instruction: string): Record<string, FloatTensor> {
    return {
      [stateInput]: { dims: [1, state.length], data: new Float32Array(state) },
      ...(textInput ? { [textInput]: textTensor(instruction, card) } : {}),
    };
  }

  function actions(out: Record<string, FloatTensor>): number[][] {
    const a = out[actionOutput];
    if (!a) throw new Error(`${active.record.name} returned no "${actionOutput}" output`);
    const dim = a.dims.at(-1) ?? 4;
    const rows: number[][] = [];
    for (let i = 0; i + dim <= a.data.length; i += dim) rows.push(Array.from(a.data.subarray(i, i + dim)));
    return rows;
  }
}

/** The models a run uses now: the active policy (the zero policy when none is) and, if asked, the active planner. */
export function runModels(usePlanner: boolean): { policy: Policy; planner: Planner | null } {
  const active = getRegistryState();
  return {
    policy: active.policy ? policyFrom(active.policy) : new ZeroPolicy(),
    planner: usePlanner && active.planner ? plannerFrom(active.planner) : null,
  };
}
