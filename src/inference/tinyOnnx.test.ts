import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { checkCardAgainstGraph, parseModelCard } from './modelCard';
import { tinyPlanner } from '../testing/testCards';
import { encodeTinyOnnx, IDENTITY_MODEL } from './tinyOnnx';

/** The hand-encoded models are checked by a real onnxruntime (the native one, same graph loader). */
const graphOf = (s: ort.InferenceSession) => ({
  inputs: s.inputNames.map((name, i) => ({ name, shape: (s.inputMetadata[i] as { shape?: (number | string)[] }).shape })),
  outputs: s.outputNames.map((name, i) => ({ name, shape: (s.outputMetadata[i] as { shape?: (number | string)[] }).shape })),
});

describe('tiny ONNX models', () => {
  it('the identity model loads and returns its input', async () => {
    const session = await ort.InferenceSession.create(encodeTinyOnnx(IDENTITY_MODEL));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(3.5), [1]) });
    expect([...(out.y.data as Float32Array)]).toEqual([3.5]);
    await session.release();
  });

  it('the tiny planner matches its card and answers its constant path', async () => {
    const { onnx, card } = tinyPlanner();
    const parsed = parseModelCard(card);
    if (!parsed.ok) throw new Error(parsed.error);
    const session = await ort.InferenceSession.create(onnx);
    expect(checkCardAgainstGraph(parsed.card, graphOf(session))).toBeNull();
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array(3 * 32 * 32), [1, 3, 32, 32]), text: new ort.Tensor('float32', new Float32Array(256), [1, 256]) });
    expect([...(out.points.data as Float32Array)].map((v) => +v.toFixed(2))).toEqual([0.2, 0.2, 0.5, 0.3, 0.6, 0.7, 0.8, 0.4]);
    expect([...(out.gripper.data as Float32Array)]).toEqual([0, 1, 1, 0]);
    await session.release();
  });

  it('an operator set newer than the runtime knows is refused by onnxruntime', async () => {
    await expect(ort.InferenceSession.create(tinyPlanner(99).onnx)).rejects.toThrow(/opset 99/i);
  });
});
