import { describe, expect, it } from 'vitest';
import { checkPlannerPoints, checkPolicyChunk, ModelOutputError } from './modelOutput';

describe('model output checks', () => {
  it('take planner points inside [0, 1] and a little overshoot', () => {
    expect(() => checkPlannerPoints([0, 0, 1, 1, 1.05, -0.05])).not.toThrow();
  });
  it.each([[[0.2, NaN]], [[Infinity, 0.5]], [[0.5, 1.7]], [[-3, 0.5]]])('refuse planner points %j, naming the value', (pts) => {
    expect(() => checkPlannerPoints(pts)).toThrow(ModelOutputError);
    expect(() => checkPlannerPoints(pts)).toThrow(/point 0 [xy] = /);
  });
  it('take a plausible policy chunk', () => {
    expect(() => checkPolicyChunk([[0.01, 0, -0.01, 1], [0, 0, 0, 0]], 0.1)).not.toThrow();
  });
  it.each([
    [[[NaN, 0, 0, 0]], /not a number/],
    [[[0, 0, 0, 0], [0, 0, 0, Infinity]], /action 1/],
    [[[0.5, 0, 0, 0]], /50\.0 cm step/],
    [[[0, 0, 0, 7]], /gripper 7\.000/],
  ])('refuse the chunk %j', (chunk, message) => {
    expect(() => checkPolicyChunk(chunk, 0.1)).toThrow(message);
  });
});
