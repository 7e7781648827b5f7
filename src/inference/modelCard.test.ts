import { describe, expect, it } from 'vitest';
import { checkCardAgainstGraph, parseModelCard, type ModelCard } from './modelCard';
import { plannerCard } from '../testing/testCards';


const policyCard = (conditioning: string, channels: number) => ({
  ...plannerCard(), role: 'policy', conditioning, text: undefined, planner: undefined,
  inputs: [{ name: 'image', dtype: 'float32', shape: [1, channels, 64, 64] }, { name: 'state', dtype: 'float32', shape: [1, 10] }],
  outputs: [{ name: 'action', dtype: 'float32', shape: [1, 4, 4] }],
  image: { ...plannerCard().image, mean: Array(channels).fill(0), std: Array(channels).fill(1) },
  state: { input: 'state', names: [] }, action: { output: 'action', names: [], chunk: 4 },
});

describe('parseModelCard', () => {
  it('accepts planner and policy cards', () => {
    expect(parseModelCard(plannerCard()).ok).toBe(true);
    expect(parseModelCard(policyCard('concat', 6)).ok).toBe(true);
    expect(parseModelCard(policyCard('overlay', 3)).ok).toBe(true);
    expect(parseModelCard({ ...plannerCard(), text: { input: 'text', encoding: 'hashed-bow-rgb-v1', dim: 256 } }).ok).toBe(true);
  });

  it.each([
    [{ schema: 'x' }, /schema/],
    [{ role: 'critic' }, /role/],
    [{ image: { ...plannerCard().image, input: 'rgb' } }, /image input "rgb" is not among/],
    [{ image: { ...plannerCard().image, width: 32 } }, /64×64 but "image" says 64×32/],
    [{ text: { input: 'text', encoding: 'bert', dim: 256 } }, /"hashed-bow-v1", "hashed-bow-rgb-v1"/],
    [{ text: { input: 'text', encoding: 'hashed-bow-rgb-v1', dim: 8 } }, /≥ 9 for hashed-bow-rgb-v1/],
    [{ text: { input: 'text', encoding: 'hashed-bow-v1', dim: 128 } }, /256 features but "text.dim" is 128/],
    [{ outputs: [{ name: 'points', shape: [1, 8, 2] }] }, /must output "points".*"gripper"/],
    [{ inputs: [{ name: 'image', dtype: 'int64', shape: [1] }] }, /only float32/],
  ])('refuses %j', (patch, message) => {
    const r = parseModelCard({ ...plannerCard(), ...patch });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('refuses a policy whose channels do not fit its conditioning', () => {
    const r = parseModelCard(policyCard('concat', 3));
    expect(!r.ok && r.error).toMatch(/concat" needs 6 image channels/);
  });
});

describe('checkCardAgainstGraph', () => {
  const card = parseModelCard(plannerCard()) as { ok: true; card: ModelCard };
  const graph = {
    inputs: [{ name: 'image', type: 'float32', shape: [1, 3, 64, 64] }, { name: 'text', type: 'float32', shape: [1, 256] }],
    outputs: [{ name: 'points', type: 'float32', shape: [1, 8, 2] }, { name: 'gripper', type: 'float32', shape: [1, 8] }],
  };
  it('passes a matching graph, including symbolic batch dimensions', () => {
    expect(checkCardAgainstGraph(card.card, graph)).toBeNull();
    expect(checkCardAgainstGraph(card.card, { ...graph, inputs: [{ name: 'image', shape: ['batch', 3, 64, 64] }, graph.inputs[1]] })).toBeNull();
  });
  it('names the offending input', () => {
    expect(checkCardAgainstGraph(card.card, { ...graph, inputs: [graph.inputs[0], { name: 'text', type: 'float32', shape: [1, 512] }] })).toMatch(/input "text" is \[1, 512\] in the model but \[1, 256\] in the card/);
    expect(checkCardAgainstGraph(card.card, { ...graph, inputs: [graph.inputs[0], { name: 'prompt', shape: [1, 256] }] })).toMatch(/card's input "text" is not in the model/);
    expect(checkCardAgainstGraph(card.card, { ...graph, inputs: [...graph.inputs, { name: 'depth', shape: [1, 1, 64, 64] }] })).toMatch(/needs input "depth"/);
    expect(checkCardAgainstGraph(card.card, { ...graph, inputs: [{ name: 'image', type: 'uint8', shape: [1, 3, 64, 64] }, graph.inputs[1]] })).toMatch(/input "image" is uint8/);
  });
});
