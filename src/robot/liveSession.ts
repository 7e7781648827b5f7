/**
 * One operator session with one robot: the link, the safety gate, the robot's state, the control
 * loop, the recorder and the figures, wired together. The console (React) renders its snapshots
 * and forwards the operator's actions; the tests drive it with a `RecordedLink`.
 *
 * Safety rules live here in one place: every stop publishes zero velocity at once; a dropped link,
 * a stalled camera, a hidden tab or an unloading page stop the run; nothing moves again until the
 * operator presses Start.
 */
import type { Path } from '../core/path';
import type { RgbaImage } from '../core/raster';
import { quatToMat3, rows, worldToCamera } from './cameraGeometry';
import { ControlLoop, type ControlMode, type StepRecord } from './controlLoop';
import { Emitter } from './emitter';
import type { Planner, Policy } from './hierarchy';
import { ACTION_NAMES } from './liveEpisode';
import { RunMetrics } from './metrics';
import type { RobotProfile } from './profile';
import { EpisodeRecorder, type EpisodeSink } from './recorder';
import { RobotStateTracker, STATE_NAMES } from './robotState';
import { SafetyGate, type SafetySnapshot, type StopKind } from './safety';
import { TeleopInput } from './teleopInput';
import { ZERO_TWIST, type CameraFrame, type CameraInfo, type DepthImage, type LinkCounters, type LinkStatus, type ResetRequest, type ResetResponse, type RobotLink, type Unsubscribe } from './types';
import { errorMessage } from '../core/errorMessage';

export interface LiveSnapshot {
  link: LinkStatus | null;
  counters: LinkCounters | null;
  safety: SafetySnapshot;
  mode: ControlMode;
  intervening: boolean;
  path: Path | null;
  pathVersion: number;
  pathSource: 'planner' | 'operator' | null;
  planner: { busy: boolean; error?: string };
  taskInstruction: string;
  success: boolean | null;
  recording: { active: boolean; steps: number };
  lastEpisodeId: string | null;
  lastError: string | null;
  hasUrdf: boolean;
}

/** Equal but for the fast-ticking counters: nothing a re-render would show differently. */
function visiblyEqual(a: LiveSnapshot, b: LiveSnapshot): boolean {
  const key = (s: LiveSnapshot) => JSON.stringify({ ...s, path: null, counters: null, recording: s.recording.active });
  return a.path === b.path && key(a) === key(b);
}

export interface SessionDeps {
  makeLink: (profile: RobotProfile) => RobotLink;
  sink: () => EpisodeSink;
  datasetId: () => Promise<string>;
  decode: (frame: CameraFrame) => Promise<RgbaImage>;
}

export interface StartModelOptions {
  policy: Policy;
  planner: Planner | null;
  instruction: string;
  path?: Path | null;
  replanEverySec?: number;
  /** Stop by itself this long after the robot reports success (ms); null = keep going. */
  stopAfterSuccessMs?: number | null;
  record?: boolean;
}

export class LiveSession {
  readonly gate = new SafetyGate();
  readonly state = new RobotStateTracker();
  readonly teleop = new TeleopInput();
  readonly metrics = new RunMetrics();
  link: RobotLink | null = null;
  profile: RobotProfile | null = null;
  latestFrame: CameraFrame | null = null;
  cameraInfo: CameraInfo | null = null;
  depth: DepthImage | null = null;
  robotDescription: string | null = null;
  /** A URDF the operator loaded from a folder (wins over `/robot_description`). */
  customUrdf: string | null = null;
  readonly loop: ControlLoop;
  private recorder: EpisodeRecorder | null = null;
  private linkSubs: Unsubscribe[] = [];
  /**
   * What views listen to. An Emitter isolates each handler: a view that throws on a lost link
   * must not keep the session from stopping the robot right after.
   */
  private readonly events = new Emitter<{ change: undefined; frame: CameraFrame; status: LinkStatus }>();
  private snap: LiveSnapshot;
  private successTimer: ReturnType<typeof setTimeout> | null = null;
  private stopAfterSuccessMs: number | null = null;
  private verdict: boolean | null = null;

  constructor(private readonly deps: SessionDeps) {
    this.snap = this.buildSnapshot({ taskInstruction: '', success: null, lastEpisodeId: null, lastError: null, planner: { busy: false } });
    // Camera-relative teleop needs where the camera looks from: its static transform in the base frame.
    this.teleop.cameraToBase = () => {
      const mount = this.cameraInfo && this.state.staticFrames.get(this.cameraInfo.frameId);
      return mount ? quatToMat3(mount.rotation) : null;
    };
    this.loop = new ControlLoop({
      link: { sendTwist: (t) => this.link?.sendTwist(t) ?? false, sendGripper: (g) => this.link?.sendGripper(g) ?? false } as RobotLink,
      gate: this.gate,
      state: this.state,
      metrics: this.metrics,
      decode: deps.decode,
      onStep: (rec, frame) => this.onStep(rec, frame),
      onPath: (path, source, version) => {
        this.recorder?.addPath(path, source, version);
        this.update({});
      },
      onPlannerState: (planner) => this.update({ planner }),
      onStalled: (reason) => this.stop('stop', `camera stalled: ${reason}`),
      onFault: (message) => {
        this.stop('stop', message);
        this.update({ lastError: message });
      },
      onError: (err) => this.update({ lastError: errorMessage(err) }),
    });
    this.gate.subscribe(() => this.update({}));
  }

  // ---- snapshots for the UI -------------------------------------------------------------------

  getSnapshot = (): LiveSnapshot => this.snap;

  subscribe = (fn: () => void): (() => void) => this.events.on('change', fn);

  /** Frames bypass React: the camera view draws them straight onto its canvas. */
  onFrame(fn: (f: CameraFrame) => void): () => void {
    return this.events.on('frame', fn);
  }

  /**
   * Link status changes, delivered synchronously inside the socket's own event and before anything
   * else reacts to them: the console paints a lost robot without waiting for a re-render.
   */
  onLinkStatusChange(fn: (s: LinkStatus) => void): () => void {
    return this.events.on('status', fn);
  }

  private update(patch: Partial<LiveSnapshot>): void {
    this.snap = this.buildSnapshot({ ...this.snap, ...patch });
    this.events.emit('change', undefined);
  }

  private buildSnapshot(base: Pick<LiveSnapshot, 'taskInstruction' | 'success' | 'lastEpisodeId' | 'lastError' | 'planner'>): LiveSnapshot {
    return {
      ...base,
      link: this.link ? { ...this.link.status } : null,
      counters: this.link ? { ...this.link.counters } : null,
      safety: this.gate?.snapshot ?? { state: 'stopped', reason: 'not started', at: 0 },
      mode: this.loop?.mode ?? 'idle',
      intervening: this.loop?.intervening ?? false,
      path: this.loop?.path ?? null,
      pathVersion: this.loop?.pathVersion ?? 0,
      pathSource: this.loop?.pathSource ?? null,
      recording: { active: this.recorder?.active ?? false, steps: this.recorder?.steps ?? 0 },
      hasUrdf: this.robotDescription !== null,
    };
  }

  /**
   * The UI polls this at a few Hz for what changes without an event of its own (link status
   * details). Subscribers hear of it only when something they render changed: the message counters
   * and the recorded step count tick on every message and are read directly (see `Ticker`).
   */
  refresh(): void {
    const next = this.buildSnapshot(this.snap);
    if (visiblyEqual(next, this.snap)) return;
    this.snap = next;
    this.events.emit('change', undefined);
  }

  /** Steps recorded so far in the current run (0 when not recording). */
  get recordingSteps(): number {
    return this.recorder?.steps ?? 0;
  }

  // ---- connection -----------------------------------------------------------------------------

  connect(profile: RobotProfile): void {
    this.disconnect();
    this.profile = profile;
    this.gate.limits = profile.limits;
    this.gate.workspace = profile.workspace;
    const link = this.deps.makeLink(profile);
    this.link = link;
    const s = this.state;
    this.linkSubs = [
      link.on('status', (st) => this.onLinkStatus(st)),
      link.on('frame', (f) => {
        this.latestFrame = f;
        this.loop.onFrame(f);
        this.events.emit('frame', f);
      }),
      link.on('cameraInfo', (c) => (this.cameraInfo = c)),
      link.on('depth', (d) => (this.depth = d)),
      link.on('jointStates', (j) => s.onJointStates(j)),
      link.on('tf', (t) => s.onTf(t)),
      link.on('tfStatic', (t) => s.onTfStatic(t)),
      link.on('robotDescription', (urdf) => {
        this.robotDescription = urdf;
        this.update({});
      }),
      link.on('instruction', (text) => this.update({ taskInstruction: text })),
      link.on('success', (ok) => this.onSuccess(ok)),
      link.on('silence', (ms) => {
        // A frozen robot: the link already withholds motion; the run ends so that nothing moves when it resumes.
        if (this.loop.mode !== 'idle' || this.gate.running) this.stop('stop', `the robot sent nothing for ${(ms / 1000).toFixed(2)} s (frozen or overloaded) — stopped; press Start to move again`);
      }),
    ];
    link.connect();
    this.update({});
  }

  disconnect(): void {
    if (!this.link) return;
    this.stop('stop', 'disconnected by the operator');
    this.link.disconnect();
    this.linkSubs.forEach((u) => u());
    this.linkSubs = [];
    this.update({});
  }

  private onLinkStatus(st: LinkStatus): void {
    this.events.emit('status', st);
    if (st.state !== 'connected' && (this.loop.mode !== 'idle' || this.gate.running)) {
      // The commands cannot reach the robot any more: stop (the robot's deadman holds it) and keep the recording so far.
      this.stop('stop', `robot link lost: ${st.error ?? st.state}`);
    }
    this.update({});
  }

  // ---- runs -----------------------------------------------------------------------------------

  startModel(opts: StartModelOptions): void {
    if (!this.link || this.link.status.state !== 'connected') throw new Error('Connect to a robot first.');
    this.endRun('a new run started');
    this.metrics.reset();
    this.verdict = null;
    this.stopAfterSuccessMs = opts.stopAfterSuccessMs ?? null;
    this.update({ success: null, lastError: null, planner: { busy: false } });
    if (opts.record !== false) this.beginRecording('model', opts.instruction, { planner: opts.planner?.name, policy: opts.policy.name }, opts.policy.controlRateHz);
    this.gate.start();
    this.loop.startModel({ policy: opts.policy, planner: opts.planner, instruction: opts.instruction, path: opts.path, replanEverySec: opts.replanEverySec }, () => this.teleop.command(this.state.ee));
    this.update({});
  }

  startTeleop(record = true): void {
    if (!this.link || this.link.status.state !== 'connected') throw new Error('Connect to a robot first.');
    this.endRun('a new run started');
    this.metrics.reset();
    this.verdict = null;
    this.stopAfterSuccessMs = null;
    this.update({ success: null, lastError: null });
    if (record) this.beginRecording('teleop', this.snap.taskInstruction || 'teleoperation', undefined, 10);
    this.gate.start();
    this.loop.startTeleop(() => this.teleop.command(this.state.ee));
    this.update({});
  }

  /** Stop or e-stop: zero velocity goes out now, the loop halts, the recording is closed. */
  stop(kind: StopKind, reason: string): void {
    this.gate.stop(kind, reason);
    this.loop.stop();
    this.teleop.releaseAll();
    this.link?.sendTwist(ZERO_TWIST);
    this.endRun(reason);
    this.update({});
  }

  setIntervention(on: boolean): void {
    if (this.loop.mode !== 'model') return;
    this.loop.setIntervention(on);
    this.recorder?.setIntervention(on);
    if (!on) this.teleop.releaseAll();
    this.update({});
  }

  setPath(path: Path): void {
    this.loop.setPath(path, 'operator');
  }

  replan(): void {
    this.loop.replan();
  }

  /**
   * Resets the robot's scene (a new task, `link.reset`). The outcome shown belonged to the old
   * scene: it is cleared, as the robot's own "not done" is ignored while nothing runs.
   */
  async resetScene(req: ResetRequest): Promise<ResetResponse> {
    if (!this.link?.reset) throw new Error('this robot has no reset service');
    const response = await this.link.reset(req);
    this.verdict = null;
    this.update({ success: null });
    return response;
  }

  /** The operator's verdict on the last (or current) run, when the robot has no success topic. */
  setVerdict(success: boolean): void {
    this.verdict = success;
    this.update({ success });
  }

  private onSuccess(ok: boolean): void {
    if (this.loop.mode === 'idle' && !ok) return;
    this.update({ success: ok || this.snap.success });
    if (ok && this.loop.mode === 'model' && this.stopAfterSuccessMs !== null && !this.successTimer) {
      this.successTimer = setTimeout(() => {
        this.successTimer = null;
        if (this.loop.mode === 'model') this.stop('stop', 'task succeeded');
      }, this.stopAfterSuccessMs);
    }
  }

  private beginRecording(mode: 'model' | 'teleop', instruction: string, models: { planner?: string; policy?: string } | undefined, fps: number): void {
    const cam = this.cameraInfo, mount = cam ? this.state.staticFrames.get(cam.frameId) : undefined;
    const recorder = new EpisodeRecorder(this.deps.sink(), { onError: (err) => this.update({ lastError: `Recording stopped: ${errorMessage(err)}` }) });
    this.recorder = recorder;
    void this.deps.datasetId().then((datasetId) => {
      if (this.recorder !== recorder) return;
      recorder.start(datasetId, {
        mode, instruction, fps, models,
        robot: { name: this.profile?.name ?? '', url: this.profile?.url ?? '' },
        robotModel: this.robotDescription ? { urdf: this.robotDescription, tip: this.profile?.eeFrame ?? 'ee_link' } : undefined,
        stateNames: STATE_NAMES, actionNames: ACTION_NAMES,
        camera: cam ? { width: cam.width, height: cam.height, K: rows(cam.k, 3), worldToCamera: mount ? rows(worldToCamera(mount), 4) : undefined } : undefined,
        startedAt: Date.now(),
      });
      if (this.loop.path) recorder.addPath(this.loop.path, this.loop.pathSource ?? 'operator', this.loop.pathVersion);
      this.update({});
    }).catch((err) => this.update({ lastError: `Recording could not start: ${errorMessage(err)}` }));
  }

  private onStep(rec: StepRecord, frame: CameraFrame | null): void {
    this.recorder?.addStep(rec, frame);
  }

  private endRun(reason: string): void {
    if (this.successTimer) clearTimeout(this.successTimer);
    this.successTimer = null;
    const recorder = this.recorder;
    this.recorder = null;
    if (!recorder) return;
    const success = this.snap.success ?? this.verdict;
    const m = this.metrics.snapshot(performance.now());
    void recorder.finish({
      success, outcomeBy: this.snap.success !== null ? 'robot' : this.verdict !== null ? 'operator' : null, endReason: reason,
      metrics: { stepLatencyP50: m.stepLatency.p50, stepLatencyP99: m.stepLatency.p99, droppedSteps: m.droppedSteps, droppedFrames: m.droppedFrames, chunkSteps: m.chunkSteps, steps: m.steps, policyP50: m.inference.policyP50 },
    }).then((id) => { if (id) this.update({ lastEpisodeId: id }); });
  }

  dispose(): void {
    this.disconnect();
    this.events.clear();
  }
}
