/**
 * The live control loop: at the policy's rate it takes the newest camera frame, the robot state and
 * the current path, asks the policy (or the teleop input) for a command, passes it through the
 * safety gate and sends it. The planner runs beside it and never blocks a step.
 *
 * Scheduling is frame-aligned: steps keep a fixed grid of due times, and each step owns the
 * one-period window centred on its due time. It fires on the first frame that arrives in its
 * window (or, when the previous step is still running then, as soon as that one ends), so the
 * command answers the frame it was computed from — the frame → command latency is the step's own
 * work, not a wait for a timer. The windows tile time, so any camera faster than the control rate
 * gives every step a fresh frame even when frames arrive unevenly (a page busy drawing 3D delays
 * some by tens of ms; a narrower window then missed them). A timer fires the step anyway at the
 * window's end when no frame comes, so the rate holds (and a camera that stops stops the run).
 * A 15 Hz camera still gives 10 steps per second.
 *
 * A step whose window brought no new frame (the camera was late) does not run the policy again on
 * the frame it has already acted on: it sends the next action of the last chunk, as action-chunking
 * policies execute their chunks (ACT), on time and without the policy's CPU. Such steps are counted
 * (`chunkSteps`), not put in the step latency: no frame started them. Once the chunk is used up,
 * the policy runs on the old frame again; a new path or a hand-back discards the chunk.
 */
import { checkPlannerPoints, checkPolicyChunk, ModelOutputError } from '../core/modelOutput';
import { GripperVote } from '../core/gripperVote';
import type { Path } from '../core/path';
import type { RgbaImage } from '../core/raster';
import type { Planner, Policy } from './hierarchy';
import type { RunMetrics } from './metrics';
import type { RobotStateTracker } from './robotState';
import type { SafetyGate } from './safety';
import type { CameraFrame, RobotLink, Twist, Vec3 } from './types';
import { errorMessage } from '../core/errorMessage';

export type ControlMode = 'idle' | 'model' | 'teleop';
export type ControlSource = 'policy' | 'teleop';

export interface TeleopCommand {
  twist: Twist;
  gripper?: number;
}

export interface StepRecord {
  index: number;
  /** ms since the run started. */
  t: number;
  frameSeq: number;
  state: number[];
  /** What was commanded, as the policy's action: displacement per step (m) and gripper target. */
  action: [number, number, number, number];
  source: ControlSource;
  pathVersion: number;
  latencyMs: number;
}

export interface ControlLoopDeps {
  link: RobotLink;
  gate: SafetyGate;
  state: RobotStateTracker;
  metrics: RunMetrics;
  /** JPEG → RGBA (the browser decodes with createImageBitmap; tests stub it). */
  decode: (frame: CameraFrame) => Promise<RgbaImage>;
  now?: () => number;
  onStep?: (rec: StepRecord, frame: CameraFrame | null) => void;
  onPath?: (path: Path, source: 'planner' | 'operator', version: number) => void;
  onPlannerState?: (state: { busy: boolean; error?: string }) => void;
  /** The camera went quiet during a model run: the owner must stop the robot. */
  onStalled?: (reason: string) => void;
  /** A model returned something that must not be acted on (NaN, out of range): the owner must stop the run. */
  onFault?: (message: string) => void;
  onError?: (err: unknown) => void;
}

export interface ModelRun {
  policy: Policy;
  planner: Planner | null;
  instruction: string;
  /** A path given up front (sketched by the operator) instead of asking the planner first. */
  path?: Path | null;
  /** Re-plan every N seconds (0 = only on demand). */
  replanEverySec?: number;
}

/** A model run with no new frame for this long stops: it would be acting on an old picture. */
const STALE_FRAME_MS = 1500;

export class ControlLoop {
  mode: ControlMode = 'idle';
  path: Path | null = null;
  pathVersion = 0;
  pathSource: 'planner' | 'operator' | null = null;
  intervening = false;
  private run: ModelRun | null = null;
  private teleop: (() => TeleopCommand) | null = null;
  private latest: CameraFrame | null = null;
  private lastUsedSeq = -1;
  private nextDue = 0;
  private busy = false;
  /** A frame came once its step was due, but the previous step was still running. */
  private frameWaiting = false;
  private runId = 0;
  private startedAt = 0;
  private index = 0;
  private lastGripper = 0;
  /** The policy's gripper vote over its overlapping chunks; restarted whenever the policy takes (back) control. */
  private gripperVote: GripperVote | null = null;
  /** The policy's last action chunk, and the index of the action a step without a new frame sends next. */
  private chunk: { actions: number[][]; next: number } | null = null;
  private lastPlanAt = -Infinity;
  private lastPollAt = 0;
  private planning: AbortController | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: ControlLoopDeps) {
    this.now = deps.now ?? (() => performance.now());
  }

  get rateHz(): number {
    return this.mode === 'model' && this.run ? this.run.policy.controlRateHz : 10;
  }

  private get period(): number {
    return 1000 / this.rateHz;
  }

  /** The due step's window: one period centred on its due time (see the top of this file). */
  private get windowStart(): number {
    return this.nextDue - this.period / 2;
  }

  private get windowEnd(): number {
    return this.nextDue + this.period / 2;
  }

  /** A step is between its frame and its command: other main-thread work (3D, charts) should wait. */
  get stepInFlight(): boolean {
    return this.busy;
  }

  get planningBusy(): boolean {
    return this.planning !== null;
  }

  /** Runs the hierarchical (or flat) model. The caller has started the safety gate. */
  startModel(run: ModelRun, teleop: () => TeleopCommand): void {
    this.begin('model');
    this.run = run;
    this.teleop = teleop;
    this.path = null;
    if (run.path?.points.length) this.setPath(run.path, 'operator');
    else if (run.policy.conditioning === 'path' || run.planner) this.replan();
  }

  startTeleop(teleop: () => TeleopCommand): void {
    this.begin('teleop');
    this.teleop = teleop;
  }

  /** Operator takes over (true) or hands back to the model (false) during a model run. */
  setIntervention(on: boolean): void {
    if (this.mode === 'model') this.intervening = on;
  }

  stop(): void {
    this.runId++;
    this.mode = 'idle';
    this.intervening = false;
    this.busy = false;
    this.planning?.abort();
    this.planning = null;
    this.deps.onPlannerState?.({ busy: false });
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The operator sketched or edited the path: it wins over the planner's until the next re-plan request. */
  setPath(path: Path, source: 'planner' | 'operator'): void {
    this.chunk = null; // it followed the old path
    this.path = structuredClone(path);
    this.pathSource = source;
    this.pathVersion++;
    this.deps.onPath?.(this.path, source, this.pathVersion);
  }

  /** Asks the planner for a new path in the background; a newer request cancels an older one. */
  replan(): void {
    const planner = this.run?.planner;
    const frame = this.latest;
    if (!planner || !this.run) return;
    if (!frame) {
      this.lastPlanAt = -Infinity; // plan as soon as a frame arrives
      return;
    }
    this.planning?.abort();
    const ctrl = new AbortController();
    this.planning = ctrl;
    this.lastPlanAt = this.now();
    this.deps.onPlannerState?.({ busy: true });
    const runId = this.runId;
    const t0 = this.now();
    void (async () => {
      try {
        const image = await this.deps.decode(frame);
        const path = await planner.plan({ image, instruction: this.run?.instruction ?? '' }, ctrl.signal);
        if (ctrl.signal.aborted || runId !== this.runId) return;
        checkPlannerPoints(path.points.flatMap((p) => [p.x, p.y]), `the planner (${planner.name})`);
        this.deps.metrics.plannerLastMs = this.now() - t0;
        this.deps.metrics.plannerCount++;
        this.setPath(path, 'planner');
        this.deps.onPlannerState?.({ busy: false });
      } catch (err) {
        if (ctrl.signal.aborted || runId !== this.runId) return;
        this.deps.onPlannerState?.({ busy: false, error: errorMessage(err) });
        if (err instanceof ModelOutputError) this.deps.onFault?.(err.message);
      } finally {
        if (this.planning === ctrl) this.planning = null;
      }
    })();
  }

  onFrame(frame: CameraFrame): void {
    const m = this.deps.metrics;
    const prev = this.latest;
    m.frames.tick(frame.receivedAt);
    // A frame that never fed a step because a newer one replaced it while a step was running.
    if (this.mode !== 'idle' && prev && prev.seq !== this.lastUsedSeq && this.busy) m.droppedFrames++;
    this.latest = frame;
    if (this.mode === 'model' && this.run && this.lastPlanAt === -Infinity && !this.planning && !this.path) this.replan();
    if (this.mode === 'idle' || this.now() < this.windowStart) return;
    if (this.busy) this.frameWaiting = true;
    else void this.step();
  }

  private begin(mode: ControlMode): void {
    this.gripperVote = null;
    this.chunk = null;
    this.stop();
    this.mode = mode;
    this.startedAt = this.now();
    this.index = 0;
    this.nextDue = this.now();
    this.lastPlanAt = -Infinity;
    this.lastPollAt = this.now();
    this.timer = setInterval(() => this.poll(), 5);
  }

  private poll(): void {
    if (this.mode === 'idle') return;
    const now = this.now();
    const gap = now - this.lastPollAt;
    this.lastPollAt = now;
    // The page itself was stalled: frames may be queued behind this timer; judge the camera next round.
    const pageStalled = gap > 200;
    const run = this.run;
    if (this.mode === 'model' && run?.replanEverySec && !this.planning && now - this.lastPlanAt >= run.replanEverySec * 1000) this.replan();
    if (this.mode === 'model' && !this.intervening && !pageStalled && this.latest && now - this.latest.receivedAt > STALE_FRAME_MS) {
      this.deps.onStalled?.(`no camera frame for ${Math.round(now - this.latest.receivedAt)} ms`);
      return;
    }
    // A frame that came due while the last step was still running: its step starts now, not at the deadline.
    if (this.frameWaiting && !this.busy) {
      void this.step();
      return;
    }
    if (now < this.windowEnd) return;
    if (this.busy) {
      this.deps.metrics.droppedSteps++;
      this.nextDue += this.period;
      return;
    }
    void this.step();
  }

  private async step(): Promise<void> {
    const now = this.now();
    const period = this.period;
    if (now - this.nextDue > period * 1.5) {
      // The loop could not run at all for a while (a stalled main thread): count what was lost, resync.
      this.deps.metrics.droppedSteps += Math.floor((now - this.nextDue) / period) - 1;
      this.nextDue = now;
    }
    this.nextDue += period;
    this.frameWaiting = false;
    const frame = this.latest;
    const runId = this.runId;
    const { gate, state, metrics } = this.deps;
    const ee: Vec3 | undefined = state.ee;
    const stateVec = state.stateVector();
    let action: [number, number, number, number];
    let source: ControlSource;
    this.busy = true;
    try {
      if (this.mode === 'teleop' || this.intervening || !this.run) {
        this.gripperVote = null;
        this.chunk = null;
        const cmd = this.teleop?.() ?? { twist: { linear: [0, 0, 0], angular: [0, 0, 0] } };
        if (cmd.gripper !== undefined) this.lastGripper = cmd.gripper;
        const s = 1 / this.rateHz;
        action = [cmd.twist.linear[0] * s, cmd.twist.linear[1] * s, cmd.twist.linear[2] * s, this.lastGripper];
        source = 'teleop';
        if (!this.send(cmd.twist, this.lastGripper, ee)) return;
      } else {
        const run = this.run;
        if (!frame || (run.policy.conditioning === 'path' && !this.path)) return; // waiting for a frame or the first path
        const chunk = this.chunk;
        if (frame.seq === this.lastUsedSeq && chunk && chunk.next < chunk.actions.length && this.gripperVote) {
          // No new frame in this step's window: the next action of the chunk, on time.
          const a = chunk.actions[chunk.next++];
          action = [a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, this.gripperVote.advance()];
          if (!this.sendAction(action, ee)) return;
          metrics.chunkSteps++;
          this.recordStep(frame, action, 'policy', stateVec, false);
          return;
        }
        const td = this.now();
        metrics.frameWaitMs.add(td - frame.receivedAt);
        let actions: number[][];
        if (run.policy.actOnFrame) {
          // Decode and preprocessing happen off the main thread, inside the policy's own pipeline.
          const r = await run.policy.actOnFrame({ frame, path: this.path, state: stateVec, instruction: run.instruction });
          metrics.decodeMs.add(r.decodeMs);
          metrics.policyMs.add(this.now() - td - r.decodeMs);
          actions = r.actions;
        } else {
          const image = await this.deps.decode(frame);
          if (runId !== this.runId) return;
          const t0 = this.now();
          metrics.decodeMs.add(t0 - td);
          actions = await run.policy.act({ image, path: this.path, state: stateVec, instruction: run.instruction });
          metrics.policyMs.add(this.now() - t0);
        }
        // Stopped, e-stopped or taken over while the model was thinking: its answer is void.
        if (runId !== this.runId || this.intervening || !gate.running) return;
        // A step four times the speed limit is no policy's intent: a broken model or card.
        checkPolicyChunk(actions, (4 * gate.limits.maxLinear) / this.rateHz, `the policy (${run.policy.name})`);
        const a = actions[0] ?? [0, 0, 0, 0];
        this.chunk = { actions, next: 1 };
        this.gripperVote ??= new GripperVote(this.lastGripper > 0.5 ? 1 : 0);
        action = [a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, this.gripperVote.next(actions.map((c) => c[3] ?? 0))];
        source = 'policy';
        if (!this.sendAction(action, ee)) return;
      }
      const sentAt = this.recordStep(frame, action, source, stateVec, source === 'policy');
      if (frame && source === 'policy') metrics.stepWorkMs.add(sentAt - now);
    } catch (err) {
      if (err instanceof ModelOutputError) this.deps.onFault?.(err.message);
      else this.deps.onError?.(err);
    } finally {
      if (runId === this.runId) this.busy = false;
    }
  }

  /** A command went out: metrics and the step record. `frameStarted`: the step answered this frame (its latency counts). */
  private recordStep(frame: CameraFrame | null, action: [number, number, number, number], source: ControlSource, stateVec: Float32Array, frameStarted: boolean): number {
    const { metrics } = this.deps;
    const sentAt = this.now();
    if (frame) this.lastUsedSeq = frame.seq;
    const latencyMs = frame ? sentAt - frame.receivedAt : NaN;
    if (frame && frameStarted) metrics.stepLatency.add(latencyMs);
    if (frame) metrics.frameAge.add(latencyMs);
    metrics.steps++;
    metrics.commands.tick(sentAt);
    this.deps.onStep?.({ index: this.index++, t: sentAt - this.startedAt, frameSeq: frame?.seq ?? -1, state: Array.from(stateVec), action, source, pathVersion: this.pathVersion, latencyMs }, frame);
    return sentAt;
  }

  /** A policy action (displacement per step, gripper) as a twist and gripper command. */
  private sendAction(action: [number, number, number, number], ee: Vec3 | undefined): boolean {
    const r = this.rateHz;
    this.lastGripper = action[3];
    return this.send({ linear: [action[0] * r, action[1] * r, action[2] * r], angular: [0, 0, 0] }, action[3], ee);
  }

  /** Through the safety gate; false when nothing may be sent (stopped, disconnected). */
  private send(twist: Twist, gripper: number, ee: Vec3 | undefined): boolean {
    const { gate, link } = this.deps;
    if (!gate.running) return false;
    const ok = link.sendTwist(gate.filter(twist, ee));
    const g = gate.filterGripper(gripper);
    if (ok && g !== undefined) link.sendGripper(g);
    return ok;
  }
}
