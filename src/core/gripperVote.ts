/**
 * The gripper command from overlapping action chunks: ACT's temporal ensembling (Zhao et al.,
 * "Learning Fine-Grained Bimanual Manipulation with Low-Cost Hardware", 2023), for the gripper
 * only. A policy predicts `chunk` steps ahead every step and the loop executes the first; for the
 * gripper, every chunk of the last `chunk` steps has a prediction for *now*, and their mean decides.
 * Near an object a policy can sit on its close/open boundary, and executing only the first
 * prediction then flips the fingers every step (seen: 130+ flips in a 30 s pick, never closing
 * on the object). The command is open (0) or closed (1), as paths and demonstrations know it; an
 * even split keeps the last command, so a flip needs a majority.
 * Motion stays the first action of the newest chunk, as the policies were trained and DAgger-ed.
 */
export class GripperVote {
  /** Gripper predictions of the most recent chunks, newest first (as many as the chunk is long). */
  private recent: number[][] = [];
  private last: 0 | 1;

  constructor(initial: 0 | 1 = 0) {
    this.last = initial;
  }

  /** Adds the newest chunk's gripper predictions (index 0 = this step) and returns the command for this step. */
  next(grippers: readonly number[]): 0 | 1 {
    this.recent.unshift([...grippers]);
    this.recent.length = Math.min(this.recent.length, Math.max(1, grippers.length));
    return this.decide();
  }

  /**
   * A step with no new chunk (the camera sent no new frame): the chunks already seen vote for this
   * step, one step older; the oldest drops out once none of its predictions reach this far.
   */
  advance(): 0 | 1 {
    this.recent.unshift([]);
    if (this.recent.length > 1 && this.recent.length > Math.max(...this.recent.map((c) => c.length))) this.recent.pop();
    return this.decide();
  }

  private decide(): 0 | 1 {
    const votes = this.recent.map((chunk, age) => chunk[age]).filter((v): v is number => Number.isFinite(v));
    if (!votes.length) return this.last;
    const mean = votes.reduce((s, v) => s + v, 0) / votes.length;
    if (Math.abs(mean - 0.5) > 1e-9) this.last = mean > 0.5 ? 1 : 0;
    return this.last;
  }
}
