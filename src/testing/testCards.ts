/** Card fixtures for tests. */
import { MODEL_CARD_SCHEMA } from '../inference/modelCard';
import { encodeTinyOnnx } from '../inference/tinyOnnx';

export const plannerCard = () => ({
  schema: MODEL_CARD_SCHEMA, name: 'p', role: 'planner', version: '1',
  inputs: [{ name: 'image', dtype: 'float32', shape: [1, 3, 64, 64] }, { name: 'text', dtype: 'float32', shape: [1, 256] }],
  outputs: [{ name: 'points', dtype: 'float32', shape: [1, 8, 2] }, { name: 'gripper', dtype: 'float32', shape: [1, 8] }],
  image: { input: 'image', width: 64, height: 64, channel_order: 'RGB', resize: 'bilinear', scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  text: { input: 'text', encoding: 'hashed-bow-v1', dim: 256 },
  planner: { points: 8, gripper_threshold: 0.5, simplify_epsilon: 0.05 },
});

/**
 * A planner that always answers the same 4-point path (constants in the graph), as ONNX bytes
 * with a matching card: `opset` 13 is a valid model; an opset the runtime lacks makes it a bad one.
 */
export function tinyPlanner(opset = 13, name = 'tiny-planner'): { onnx: Uint8Array; card: ReturnType<typeof plannerCard> } {
  const points = [0.2, 0.2, 0.5, 0.3, 0.6, 0.7, 0.8, 0.4];
  const gripper = [0, 1, 1, 0];
  const onnx = encodeTinyOnnx({
    opset,
    inputs: [{ name: 'image', shape: [1, 3, 32, 32] }, { name: 'text', shape: [1, 256] }],
    outputs: [{ name: 'points', shape: [1, 4, 2] }, { name: 'gripper', shape: [1, 4] }],
    initializers: [{ name: 'path_points', dims: [1, 4, 2], values: points }, { name: 'path_gripper', dims: [1, 4], values: gripper }],
    nodes: [{ opType: 'Identity', inputs: ['path_points'], outputs: ['points'] }, { opType: 'Identity', inputs: ['path_gripper'], outputs: ['gripper'] }],
  });
  const base = plannerCard();
  const card = {
    ...base, name, opset,
    inputs: [{ name: 'image', dtype: 'float32', shape: [1, 3, 32, 32] }, { name: 'text', dtype: 'float32', shape: [1, 256] }],
    outputs: [{ name: 'points', dtype: 'float32', shape: [1, 4, 2] }, { name: 'gripper', dtype: 'float32', shape: [1, 4] }],
    image: { ...base.image, width: 32, height: 32 },
    planner: { points: 4, gripper_threshold: 0.5, simplify_epsilon: 0 },
  };
  return { onnx, card };
}
