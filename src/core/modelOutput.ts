/**
 * Checks on what a model returns before it can move a robot. A NaN, an infinity or a value far
 * outside the output's range means the model (or its card) is broken: clamping it would turn it
 * into a plausible-looking command — a path to an image corner, a full-speed step — so the run
 * stops with a message instead.
 */

/** A model produced an output that must not be acted on; the message says which value and why. */
export class ModelOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelOutputError';
  }
}

/** Planner coordinates are image fractions; a little overshoot is rounding, more is nonsense. */
export const PATH_COORD_TOLERANCE = 0.1;

/** Throws for a point that is not finite or lies outside [0, 1] by more than the tolerance. */
export function checkPlannerPoints(points: ArrayLike<number>, source = 'the planner'): void {
  for (let i = 0; i < points.length; i++) {
    const v = points[i];
    const which = `point ${Math.floor(i / 2)} ${i % 2 ? 'y' : 'x'}`;
    if (!Number.isFinite(v)) throw new ModelOutputError(`${source} returned ${which} = ${v}: not a number. The model or its card is broken — check the model on the Models page.`);
    if (v < -PATH_COORD_TOLERANCE || v > 1 + PATH_COORD_TOLERANCE) throw new ModelOutputError(`${source} returned ${which} = ${v.toFixed(3)}, outside the image (0…1). The model or its card's output scale is wrong — check the model on the Models page.`);
  }
}

/**
 * Throws for a policy chunk with a non-finite value, a step longer than `maxStepM` metres, or a
 * gripper value outside [-0.5, 1.5]. Actions are `[dx, dy, dz, gripper]`.
 */
export function checkPolicyChunk(actions: readonly (readonly number[])[], maxStepM: number, source = 'the policy'): void {
  actions.forEach((a, k) => {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) throw new ModelOutputError(`${source} returned ${a[i]} in action ${k} of its chunk (value ${i}): not a number. The run stopped; check the model on the Models page.`);
    }
    const step = Math.hypot(a[0] ?? 0, a[1] ?? 0, a[2] ?? 0);
    if (step > maxStepM) throw new ModelOutputError(`${source} asked for a ${(step * 100).toFixed(1)} cm step in action ${k} of its chunk (at most ${(maxStepM * 100).toFixed(1)} cm is plausible at this rate). The run stopped; check the model's card (action scale, control rate).`);
    const g = a[3];
    if (g !== undefined && (g < -0.5 || g > 1.5)) throw new ModelOutputError(`${source} returned gripper ${g.toFixed(3)} in action ${k} of its chunk (0 open … 1 closed). The run stopped; check the model's card.`);
  });
}
