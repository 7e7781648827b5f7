/** Card fixtures for tests. */
import { MODEL_CARD_SCHEMA } from './modelCard';

export const plannerCard = () => ({
  schema: MODEL_CARD_SCHEMA, name: 'p', role: 'planner', version: '1',
  inputs: [{ name: 'image', dtype: 'float32', shape: [1, 3, 64, 64] }, { name: 'text', dtype: 'float32', shape: [1, 256] }],
  outputs: [{ name: 'points', dtype: 'float32', shape: [1, 8, 2] }, { name: 'gripper', dtype: 'float32', shape: [1, 8] }],
  image: { input: 'image', width: 64, height: 64, channel_order: 'RGB', resize: 'bilinear', scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  text: { input: 'text', encoding: 'hashed-bow-v1', dim: 256 },
  planner: { points: 8, gripper_threshold: 0.5, simplify_epsilon: 0.05 },
});
