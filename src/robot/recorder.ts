/**
 * Records a run as it happens: steps and frames are buffered and written in small chunks (each its
 * own transaction, through an `EpisodeSink`), so a crash loses at most the last chunk and the
 * episode up to there stays in the database, marked incomplete. Writes are queued one after the
 * other: a slow disk delays the recording, never the control loop.
 */
import type { Path } from '../core/path';
import type { StepRecord } from './controlLoop';
import type { InterventionSegment, LiveEpisodeData, LivePathEntry } from './liveEpisode';
import type { CameraFrame } from './types';

export interface StepChunk {
  frames: { seq: number; data: Uint8Array; format: string }[];
  /** Per step: the frame seq it used (-1 = none). */
  frameSeqs: number[];
  states: number[][];
  actions: number[][];
  timestamps: number[];
  sources: ('policy' | 'teleop')[];
  latencyMs: (number | null)[];
}

export type EpisodeHeader = Omit<LiveEpisodeData, 'format' | 'frames' | 'states' | 'actions' | 'timestamps' | 'sources' | 'latencyMs' | 'paths' | 'interventions' | 'status' | 'success' | 'outcomeBy'>;

export interface EpisodeFinish {
  success: boolean | null;
  outcomeBy: 'robot' | 'operator' | null;
  endReason: string;
  metrics?: Record<string, unknown>;
}

export interface EpisodeSink {
  begin(datasetId: string, header: EpisodeHeader): Promise<string>;
  append(episodeId: string, chunk: StepChunk, paths: LivePathEntry[], interventions: InterventionSegment[]): Promise<void>;
  finish(episodeId: string, finish: EpisodeFinish): Promise<void>;
}

export interface RecorderOptions {
  /** Flush after this many steps… */
  chunkSteps?: number;
  onError?: (err: unknown) => void;
}

export class EpisodeRecorder {
  private episodeId: Promise<string> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private buffer: StepChunk = emptyChunk();
  private lastFrameSeq = -1;
  private readonly paths: LivePathEntry[] = [];
  private readonly interventions: InterventionSegment[] = [];
  private stepCount = 0;
  private failed = false;
  steps = 0;

  constructor(private readonly sink: EpisodeSink, private readonly opts: RecorderOptions = {}) {}

  get active(): boolean {
    return this.episodeId !== null;
  }

  start(datasetId: string, header: EpisodeHeader): void {
    this.episodeId = this.sink.begin(datasetId, header);
    this.episodeId.catch((err) => this.fail(err));
  }

  /** The episode id once the record exists. */
  id(): Promise<string> | null {
    return this.episodeId;
  }

  addStep(rec: StepRecord, frame: CameraFrame | null): void {
    if (!this.episodeId) return;
    const b = this.buffer;
    if (frame && frame.seq !== this.lastFrameSeq) {
      b.frames.push({ seq: frame.seq, data: frame.data, format: frame.format });
      this.lastFrameSeq = frame.seq;
    }
    b.frameSeqs.push(frame ? frame.seq : -1);
    b.states.push(rec.state);
    b.actions.push([...rec.action]);
    b.timestamps.push(+(rec.t / 1000).toFixed(4));
    b.sources.push(rec.source);
    b.latencyMs.push(Number.isFinite(rec.latencyMs) ? +rec.latencyMs.toFixed(2) : null);
    this.stepCount++;
    this.steps = this.stepCount;
    if (b.states.length >= (this.opts.chunkSteps ?? 10)) this.flush();
  }

  addPath(path: Path, source: 'planner' | 'operator', version: number): void {
    this.paths.push({ version, source, atStep: this.stepCount, path: structuredClone(path) });
  }

  setIntervention(on: boolean): void {
    const open = this.interventions.at(-1);
    if (on && (!open || open.end !== null)) this.interventions.push({ start: this.stepCount, end: null });
    if (!on && open && open.end === null) open.end = this.stepCount;
  }

  flush(): Promise<unknown> {
    const id = this.episodeId;
    if (!id || this.failed) return this.queue;
    const chunk = this.buffer;
    this.buffer = emptyChunk();
    const paths = structuredClone(this.paths), interventions = structuredClone(this.interventions);
    this.queue = this.queue.then(async () => this.sink.append(await id, chunk, paths, interventions)).catch((err) => this.fail(err));
    return this.queue;
  }

  /** Writes what is left and marks the episode complete. Resolves to the episode id. */
  async finish(finish: EpisodeFinish): Promise<string | null> {
    const id = this.episodeId;
    if (!id) return null;
    const open = this.interventions.at(-1);
    if (open && open.end === null) open.end = this.stepCount;
    this.flush();
    this.episodeId = null;
    this.queue = this.queue.then(async () => this.sink.finish(await id, finish)).catch((err) => this.fail(err));
    await this.queue;
    return this.failed ? null : id;
  }

  private fail(err: unknown): void {
    this.failed = true;
    this.opts.onError?.(err);
  }
}

function emptyChunk(): StepChunk {
  return { frames: [], frameSeqs: [], states: [], actions: [], timestamps: [], sources: [], latencyMs: [] };
}
