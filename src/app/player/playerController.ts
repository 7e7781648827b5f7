/**
 * The episode player, headless: loads an episode, keeps the frame shown (with its image, the end
 * effector and the path from there on), plays it back in real time at 0.25×–4×, steps and jumps,
 * makes a sample at the frame shown, then opens it in Annotate, and re-cuts the episode's segments
 * (its samples' frame ranges: cuts added and removed, then applied in one undoable step). React renders the snapshot
 * (ui/player) and calls the methods; storage, decoding, time and navigation come in as deps so
 * the tests drive it with a fake episode and a fake clock.
 */
import type { Path } from '../../core/path';
import { SnapshotStore } from '../../core/snapshotStore';
import type { UndoStep } from '../library/sampleActions';
import { applySegmentCuts, loadSegmentSamples, type ApplyCutsInput } from './episodeSegmentSamples';
import { EpisodeFrames, type FrameImage, type FrameImages } from './episodeFrames';
import { episodeTrack, type EpisodeTrack } from './episodeTrack';
import { makeSampleAtFrame } from './frameSample';
import { loadPlayerEpisode, type EpisodeSegment, type PlayerEpisode } from './playerEpisode';
import { addCutBlocked, cutPlanFor, cutReplacement, nearestCut, segmentsOf, withCut, withoutCut, type CutPlan, type SegmentSample } from './segmentCuts';
import { errorMessage } from '../../core/errorMessage';

export const PLAYBACK_SPEEDS = [0.25, 0.5, 1, 1.5, 2, 4] as const;

export interface PlayerSnapshot {
  status: 'loading' | 'ready' | 'missing' | 'error';
  /** Why the episode cannot be shown (status 'error'). */
  error: string | null;
  episode: PlayerEpisode | null;
  frame: number;
  /** Seconds since the episode's first step, at `frame`. */
  time: number;
  playing: boolean;
  speed: number;
  /** The image shown (it may lag `frame` while decoding, or be a neighbour's). */
  image: FrameImage | null;
  imageError: string | null;
  /** The end effector at `frame`, normalised image coordinates; null without a calibrated camera. */
  endEffector: { x: number; y: number } | null;
  /** The end effector's path from `frame` to its segment's end: drawn over the frame, and the new sample's path. */
  path: Path | null;
  /** Why no sample can be made at `frame` right now; null when one can. */
  sampleBlocked: string | null;
  making: boolean;
  sampleError: string | null;
  /** The segment cuts being edited; null until the episode's samples are read. */
  cutting: CutsState | null;
}

export interface CutsState {
  /** The cuts as edited. */
  plan: CutPlan;
  /** The cuts the episode's samples make now. */
  applied: number[];
  /** Whether `plan` differs from `applied` (Apply has something to do). */
  changed: boolean;
  /** Why the last cut asked for was refused, or why Apply failed. */
  note: string | null;
  applying: boolean;
  /** Whether the last Apply can still be undone from here. */
  canUndo: boolean;
}

/** A clock for playback: `requestAnimationFrame` and `performance.now` in the page. */
export interface PlaybackClock {
  now(): number;
  request(callback: () => void): () => void;
}

export interface PlayerDeps {
  loadEpisode(id: string): Promise<PlayerEpisode | null>;
  openFrames(episode: PlayerEpisode): FrameImages;
  makeSample(episode: PlayerEpisode, frames: FrameImages, step: number, path: Path | null): Promise<{ id: string; datasetId: string }>;
  /** Opens a route of the studio (Annotate on the new sample). */
  navigate(to: string): void;
  clock: PlaybackClock;
  loadSegmentSamples(episode: PlayerEpisode): Promise<SegmentSample[]>;
  applySegmentCuts(input: ApplyCutsInput): Promise<UndoStep>;
}

const animationClock: PlaybackClock = {
  now: () => performance.now(),
  request(callback) {
    const id = requestAnimationFrame(callback);
    return () => cancelAnimationFrame(id);
  },
};

/** The last step whose time is at or before `t` (times are non-decreasing). */
function stepAtTime(times: readonly number[], t: number): number {
  let lo = 0, hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= t + 1e-9) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class PlayerController extends SnapshotStore<PlayerSnapshot> {
  private readonly deps: PlayerDeps;
  private frames: FrameImages | null = null;
  private track: EpisodeTrack | null = null;
  /** Playback anchor: wall-clock ms and episode seconds when play (or the last seek/speed change) began. */
  private anchor = { wall: 0, media: 0 };
  private cancelTick: (() => void) | null = null;
  /** The newest frame asked for while a decode runs (only the latest one is decoded next). */
  private wanted: number | null = null;
  private decoding = false;
  private disposed = false;
  /** The episode's samples with frame ranges, and the segments it was imported with (used when no sample is left). */
  private segmentSamples: SegmentSample[] = [];
  private storedSegments: EpisodeSegment[] = [];
  private lastCutUndo: UndoStep | null = null;

  constructor(private readonly episodeId: string, deps: Pick<PlayerDeps, 'navigate'> & Partial<PlayerDeps>) {
    super({
      status: 'loading', error: null, episode: null, frame: 0, time: 0, playing: false, speed: 1,
      image: null, imageError: null, endEffector: null, path: null, sampleBlocked: null, making: false, sampleError: null, cutting: null,
    });
    this.deps = {
      loadEpisode: loadPlayerEpisode,
      openFrames: (e) => new EpisodeFrames(e),
      makeSample: makeSampleAtFrame,
      clock: animationClock,
      loadSegmentSamples,
      applySegmentCuts,
      ...deps,
    };
  }

  async open(): Promise<void> {
    try {
      const episode = await this.deps.loadEpisode(this.episodeId);
      if (this.disposed) return;
      if (!episode) return this.set({ status: 'missing' });
      this.frames = this.deps.openFrames(episode);
      this.track = episodeTrack(episode);
      this.storedSegments = episode.segments;
      this.set({ status: 'ready', episode });
      this.seek(0);
      await this.loadCuts();
    } catch (e) {
      if (!this.disposed) this.set({ status: 'error', error: errorMessage(e) });
    }
  }

  /** Shows `frame` (clamped to the episode); playback, if on, goes on from there. */
  seek(frame: number): void {
    const { episode } = this.getSnapshot();
    if (!episode) return;
    const f = Math.max(0, Math.min(episode.length - 1, Math.round(frame)));
    this.show(f);
    this.anchor = { wall: this.deps.clock.now(), media: episode.times[f] };
  }

  /** Moves by `delta` frames and pauses (stepping is for looking closely). */
  step(delta: number): void {
    this.pause();
    this.seek(this.getSnapshot().frame + delta);
  }

  toStart(): void {
    this.pause();
    this.seek(0);
  }

  toEnd(): void {
    this.pause();
    this.seek(this.getSnapshot().episode?.length ?? 0);
  }

  play(): void {
    const { episode, playing, frame } = this.getSnapshot();
    if (!episode || playing || episode.length < 2) return;
    // From the start again when at the end; either way anchored to now.
    this.seek(frame >= episode.length - 1 ? 0 : frame);
    this.set({ playing: true });
    this.cancelTick = this.deps.clock.request(this.tick);
  }

  pause(): void {
    this.cancelTick?.();
    this.cancelTick = null;
    if (this.getSnapshot().playing) this.set({ playing: false });
  }

  togglePlay(): void {
    if (this.getSnapshot().playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    const s = Math.max(PLAYBACK_SPEEDS[0], Math.min(PLAYBACK_SPEEDS[PLAYBACK_SPEEDS.length - 1], speed));
    // Re-anchored, so the change applies from now on rather than to the time already played.
    this.anchor = { wall: this.deps.clock.now(), media: this.playbackTime() };
    this.set({ speed: s });
  }

  /** Episode seconds playback has reached (between two frames' times while playing). */
  private playbackTime(): number {
    const { episode, frame, playing, speed } = this.getSnapshot();
    if (!playing) return episode?.times[frame] ?? 0;
    return this.anchor.media + ((this.deps.clock.now() - this.anchor.wall) / 1000) * speed;
  }

  private tick = (): void => {
    const { episode, frame } = this.getSnapshot();
    if (!episode) return;
    const next = stepAtTime(episode.times, this.playbackTime());
    if (next !== frame) this.show(next);
    if (next >= episode.length - 1) return this.pause();
    this.cancelTick = this.deps.clock.request(this.tick);
  };

  private blockedAt(frame: number, making: boolean): string | null {
    if (making) return 'A sample is being made.';
    if (!this.frames?.has(frame)) return `Frame ${frame} has no image of its own in the studio (the episode's video was too large to keep), so no sample can be made from it.`;
    return null;
  }

  private show(frame: number): void {
    const { episode, making } = this.getSnapshot();
    if (!episode) return;
    this.set({
      frame,
      time: episode.times[frame],
      endEffector: this.track?.positions[frame] ?? null,
      path: this.track?.pathFrom(frame) ?? null,
      sampleBlocked: this.blockedAt(frame, making),
    });
    this.wanted = frame;
    void this.decodeWanted();
  }

  /** Decodes the newest frame asked for, one at a time, skipping those passed over meanwhile. */
  private async decodeWanted(): Promise<void> {
    if (this.decoding || !this.frames) return;
    this.decoding = true;
    try {
      while (this.wanted !== null && !this.disposed) {
        const frame = this.wanted;
        this.wanted = null;
        try {
          const image = await this.frames.image(frame);
          if (!this.disposed) this.set({ image, imageError: null });
        } catch (e) {
          if (!this.disposed) this.set({ imageError: errorMessage(e) });
        }
      }
    } finally {
      this.decoding = false;
    }
  }

  /** Makes a sample at the frame shown and opens it in Annotate; a failure is shown in `sampleError`. */
  async makeSample(): Promise<void> {
    const { episode, frame, path, sampleBlocked } = this.getSnapshot();
    if (!episode || !this.frames || sampleBlocked) return;
    this.pause();
    this.set({ making: true, sampleBlocked: this.blockedAt(frame, true), sampleError: null });
    let error: string | null = null;
    let opened: string | null = null;
    try {
      const sample = await this.deps.makeSample(episode, this.frames, frame, path);
      opened = `/annotate/${sample.datasetId}/${sample.id}`;
    } catch (e) {
      error = errorMessage(e);
    }
    if (this.disposed) return;
    this.set({ making: false, sampleBlocked: this.blockedAt(this.getSnapshot().frame, false), sampleError: error });
    if (opened) this.deps.navigate(opened);
  }

  /**
   * Reads the episode's samples: their ranges become the segments (the path drawn and a sample
   * made here end where they end) and the cuts to edit start from them.
   */
  private async loadCuts(): Promise<void> {
    const { episode } = this.getSnapshot();
    if (!episode) return;
    let samples: SegmentSample[];
    try {
      samples = await this.deps.loadSegmentSamples(episode);
    } catch (e) {
      if (!this.disposed) this.set({ cutting: null });
      console.warn('Could not read the episode\'s samples', e);
      return;
    }
    if (this.disposed) return;
    this.segmentSamples = samples;
    const plan = cutPlanFor(episode.length, samples, this.storedSegments);
    const updated = { ...episode, segments: segmentsOf(plan) };
    this.track = episodeTrack(updated);
    this.set({
      episode: updated,
      // The path drawn now ends where the frame's segment ends (the image shown stays).
      path: this.track?.pathFrom(this.getSnapshot().frame) ?? null,
      cutting: { plan, applied: plan.cuts, changed: false, note: null, applying: false, canUndo: !!this.lastCutUndo && !this.lastCutUndo.undone },
    });
  }

  private setCuts(patch: Partial<CutsState>): void {
    const cutting = this.getSnapshot().cutting;
    if (!cutting) return;
    const next = { ...cutting, ...patch };
    next.changed = next.plan.cuts.join() !== next.applied.join();
    this.set({ cutting: next });
  }

  /** Cuts the episode at the frame shown (applied with `applyCuts`); a refusal is said in the note. */
  addCut(): void {
    const { cutting, frame } = this.getSnapshot();
    if (!cutting || cutting.applying) return;
    const blocked = addCutBlocked(cutting.plan, frame)
      ?? (this.frames?.has(frame) ? null : `No cut at frame ${frame}: it has no image of its own in the studio (the episode's video was too large to keep), and a segment's sample starts with its first frame's image.`);
    this.setCuts(blocked ? { note: blocked } : { plan: withCut(cutting.plan, frame), note: null });
  }

  /** Removes the cut nearest the frame shown, unless it bounds a done or reviewed sample. */
  removeNearestCut(): void {
    const { cutting, frame } = this.getSnapshot();
    if (!cutting || cutting.applying) return;
    const nearest = nearestCut(cutting.plan, frame);
    if (!nearest) return this.setCuts({ note: 'There is no cut to remove: the episode is one segment.' });
    this.setCuts(nearest.blocked ? { note: nearest.blocked } : { plan: withoutCut(cutting.plan, nearest.cut), note: null });
  }

  /** Back to the cuts the samples make. */
  resetCuts(): void {
    const { cutting } = this.getSnapshot();
    if (cutting && !cutting.applying) this.setCuts({ plan: { ...cutting.plan, cuts: cutting.applied }, note: null });
  }

  /** Replaces the drafts whose segments changed with one new draft per new segment, in one undoable step. */
  async applyCuts(): Promise<void> {
    const { cutting, episode } = this.getSnapshot();
    if (!cutting || !episode || !this.frames || !cutting.changed || cutting.applying) return;
    this.pause();
    this.setCuts({ applying: true, note: null });
    const replacement = cutReplacement(cutting.plan, this.segmentSamples, episode.task);
    try {
      const track = this.track;
      this.lastCutUndo = await this.deps.applySegmentCuts({
        episode, frames: this.frames, replacement,
        pathOver: (segment) => track?.pathOver(segment) ?? null,
        changed: () => { if (!this.disposed) void this.loadCuts(); },
      });
      if (!this.disposed) this.setCuts({ canUndo: true });
    } catch (e) {
      if (!this.disposed) this.setCuts({ applying: false, note: errorMessage(e) });
    }
  }

  /** Undoes the last Apply (the toast's Undo does the same). */
  async undoCuts(): Promise<void> {
    await this.lastCutUndo?.undo();
  }

  dispose(): void {
    this.disposed = true;
    this.pause();
    this.frames?.dispose();
  }
}
