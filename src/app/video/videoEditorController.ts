/**
 * The video import editor for one video (Import → Videos → a video), without React: it opens the
 * record, its file and a frame source; plays, steps and scrubs; keeps the annotation (segments with
 * an instruction, the followed point's keyframes and track, gripper events) and saves it shortly
 * after each change; tracks segments in the tracking worker, a correction cancelling the job it
 * replaces; and makes samples. Keys reach it through the 'video' registry of app/keymap.ts.
 */
import type { KeyInput } from '../../core/commands';
import { SnapshotStore } from '../../core/snapshotStore';
import { makeEveryNthFrameSamples, makeSegmentSamples, type FrameProvider } from '../../importers/video/makeVideoSamples';
import {
  adjacentKeyframe, applyTrackedPoints, clearTrack, createSegment, emptyAnnotation, readAnnotation, replaceGripperEvents, replaceSegment,
  resizeSegment, segmentAt, setKeyframe, toggleGripperEvent, trackingRuns, type SegmentTracker, type VideoAnnotation, type VideoSegment,
} from '../../tracking/annotation';
import { gripperEventsFromAperture } from '../../tracking/hands/gripperFromAperture';
import { trackHandFrames } from '../../tracking/hands/trackHandFrames';
import { applyHandFrames, type HandDetector } from '../../tracking/hands/handTrack';
import { TrackingClient, workerHandDetector } from '../../tracking/trackingClient';
import { FrameSource } from '../../video/frameSource';
import { useJobs } from '../jobs/jobs';
import { screenRegistry } from '../keymap';
import type { VideoRecord } from '../records';
import { notify, notifyError } from '../toasts';
import type { VideoAction, VideoContext } from './videoCommands';
import { getVideo, getVideoBlob, updateVideoAnnotation } from './videos';
import { errorMessage } from '../../core/errorMessage';

export interface VideoEditorState {
  /** Set once the record, its file and a frame source are open. */
  readonly video?: VideoRecord;
  /** Why the video cannot be opened. */
  readonly error?: string;
  readonly annotation: VideoAnnotation;
  readonly frame: number;
  /** The picture last decoded for the frame shown (owned by the frame source's cache: never close it). */
  readonly image?: ImageBitmap;
  readonly playing: boolean;
  readonly selectedId?: string;
  /** Segments with a tracking job running. */
  readonly trackingIds: ReadonlySet<string>;
  readonly helpOpen: boolean;
  /** The sample made last, for the link to Annotate. */
  readonly lastSamples?: { datasetId: string; sampleId: string };
}

/** Decoded frames of the open video (FrameSource in the browser). */
export interface VideoFrames extends FrameProvider {
  dispose(): void;
}

/** Point tracking in a worker (TrackingClient in the browser). */
export type VideoTracker = Pick<TrackingClient, 'track' | 'dispose'>;

/** What the editor reaches outside itself; tests replace any of it. */
export interface VideoEditorDeps {
  getVideo: typeof getVideo;
  getVideoBlob: typeof getVideoBlob;
  saveAnnotation: typeof updateVideoAnnotation;
  openFrames: (blob: Blob, name: string, frameTimes: number[]) => Promise<VideoFrames>;
  createTracker: () => VideoTracker;
  /** MediaPipe's hand models in a worker (loaded on first use). */
  createHandDetector: () => Promise<HandDetector>;
  makeSegmentSamples: typeof makeSegmentSamples;
  makeEveryNthFrameSamples: typeof makeEveryNthFrameSamples;
  newId: () => string;
  /** The playback clock, in ms. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const browserDeps: VideoEditorDeps = {
  getVideo,
  getVideoBlob,
  saveAnnotation: updateVideoAnnotation,
  openFrames: (blob, name, frameTimes) => FrameSource.open(blob, name, frameTimes),
  createTracker: () => new TrackingClient(),
  createHandDetector: () => workerHandDetector(),
  makeSegmentSamples,
  makeEveryNthFrameSamples,
  newId: () => crypto.randomUUID(),
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Edits arriving within this time are saved together. */
export const SAVE_DELAY_MS = 300;
/** A new segment (N) spans this long, or to the end of the video. */
const NEW_SEGMENT_SECONDS = 3;

const frameTimesOf = (video: VideoRecord) => (video.annotation.frameTimes as number[] | undefined) ?? [];
const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';
/** Hand-tracked frames are stored (and the screen redrawn) this many at a time. */
const HAND_BATCH = 5;

export class VideoEditorController extends SnapshotStore<VideoEditorState> {
  /** The context the 'video' key registry runs its commands on (keys and the F1 overlay). */
  readonly commands: VideoContext = { perform: (action) => this.perform(action) };
  private readonly deps: VideoEditorDeps;
  private blob?: Blob;
  private frames?: VideoFrames;
  private tracker?: VideoTracker;
  /** Loaded on the first hand tracking and kept for the editor's lifetime (its models take seconds to load). */
  private handDetector?: Promise<HandDetector>;
  private disposed = false;
  /** The running tracking job of each segment, to cancel when a correction replaces it. */
  private readonly trackingJobs = new Map<string, AbortController>();
  private saveTimer?: ReturnType<typeof setTimeout>;
  /** Bumped by each frame asked for: a decode that finishes after a newer request is dropped. */
  private frameRequest = 0;
  /** Bumped by each start and stop of playback: a loop that sees it change stops. */
  private playback = 0;

  constructor(private readonly videoId: string, deps: Partial<VideoEditorDeps> = {}) {
    super({ annotation: emptyAnnotation(), frame: 0, playing: false, trackingIds: new Set(), helpOpen: false });
    this.deps = { ...browserDeps, ...deps };
  }

  /** Opens the record, its file and a frame source, and shows the first frame; a failure becomes `error`. */
  async open(): Promise<void> {
    this.tracker = this.deps.createTracker();
    try {
      const video = await this.deps.getVideo(this.videoId);
      if (!video) throw new Error('This video is no longer in the studio.');
      const blob = await this.deps.getVideoBlob(video);
      if (!blob) throw new Error(`The file of ${video.name} is missing from storage; import it again.`);
      const frames = await this.deps.openFrames(blob, video.name, frameTimesOf(video));
      if (this.disposed) return frames.dispose();
      this.blob = blob;
      this.frames = frames;
      const annotation = readAnnotation(video.annotation);
      this.set({ video, annotation, selectedId: annotation.segments[0]?.id });
      this.showFrame(this.getSnapshot().frame);
    } catch (e) {
      if (!this.disposed) this.set({ error: errorMessage(e) });
    }
  }

  /** Stops playback and tracking and closes the frame source; an edit not saved yet is saved now. */
  dispose(): void {
    if (this.saveTimer !== undefined) this.saveNow();
    this.disposed = true;
    this.playback++;
    this.frameRequest++;
    this.tracker?.dispose();
    void this.handDetector?.then((d) => d.close()).catch(() => undefined);
    this.frames?.dispose();
    this.frames = undefined;
  }

  private get lastFrame(): number {
    return Math.max(0, (this.getSnapshot().video?.frameCount ?? 0) - 1);
  }

  // Frames and playback

  /** Goes to `frame` (clamped to the video), stopping playback. */
  seek(frame: number): void {
    this.stopPlayback();
    const f = Math.max(0, Math.min(this.lastFrame, frame));
    if (f !== this.getSnapshot().frame) this.showFrame(f);
  }

  togglePlay(): void {
    if (this.getSnapshot().playing) this.stopPlayback();
    else void this.play();
  }

  /** Shows `frame` now and its picture once decoded (or taken from the cache). */
  private showFrame(frame: number): void {
    const request = ++this.frameRequest;
    this.set({ frame });
    this.frames?.frame(frame).then(
      (image) => request === this.frameRequest && this.set({ image }),
      (e) => request === this.frameRequest && notifyError(e),
    );
  }

  private stopPlayback(): void {
    this.playback++;
    if (this.getSnapshot().playing) this.set({ playing: false });
  }

  /** Plays to the end: decodes ahead one frame at a time, paced by the video's frame rate. */
  private async play(): Promise<void> {
    const { video, frame: from } = this.getSnapshot();
    if (!video || !this.frames) return;
    const run = ++this.playback;
    this.set({ playing: true });
    const fps = video.fps || 30;
    const t0 = this.deps.now();
    try {
      for (let f = from + 1; f <= this.lastFrame; f++) {
        const image = await this.frames.frame(f);
        if (run !== this.playback) return;
        const wait = t0 + ((f - from) / fps) * 1000 - this.deps.now();
        if (wait > 0) await this.deps.sleep(wait);
        if (run !== this.playback) return;
        this.frameRequest++;
        this.set({ frame: f, image });
      }
    } catch (e) {
      if (run === this.playback) notifyError(e);
    }
    if (run === this.playback) this.set({ playing: false });
  }

  // Segments and the annotation

  select(segmentId: string): void {
    this.set({ selectedId: segmentId });
  }

  /** A new segment from `from`, NEW_SEGMENT_SECONDS long; it becomes the selected one. */
  newSegment(from = this.getSnapshot().frame): VideoSegment {
    const { annotation, video } = this.getSnapshot();
    const length = Math.max(1, Math.round((video?.fps || 30) * NEW_SEGMENT_SECONDS));
    const segment = createSegment(this.deps.newId(), from, Math.min(this.lastFrame, from + length));
    this.setAnnotation({ ...annotation, segments: [...annotation.segments, segment].sort((x, y) => x.start - y.start) }, { selectedId: segment.id });
    return segment;
  }

  setInstruction(segmentId: string, instruction: string): void {
    this.updateSegment(segmentId, (s) => ({ ...s, instruction }));
  }

  deleteSegment(segmentId: string): void {
    const { annotation } = this.getSnapshot();
    this.setAnnotation({ ...annotation, segments: annotation.segments.filter((s) => s.id !== segmentId) });
  }

  /**
   * The user placed the followed point at (x, y) video pixels on the current frame: a keyframe on
   * the selected segment if it covers the frame, else on the segment there, else on a new segment
   * from here to the end. Tracking resumes from it.
   */
  placePoint(x: number, y: number): void {
    const { annotation, frame, selectedId } = this.getSnapshot();
    const chosen = annotation.segments.find((s) => s.id === selectedId);
    let segment = (chosen && frame >= chosen.start && frame <= chosen.end ? chosen : undefined) ?? segmentAt(annotation, frame);
    let next = annotation;
    if (!segment) {
      segment = createSegment(this.deps.newId(), frame, this.lastFrame);
      next = { ...next, segments: [...next.segments, segment].sort((p, q) => p.start - q.start) };
    }
    const updated = setKeyframe(segment, frame, x, y);
    this.setAnnotation(replaceSegment(next, updated), { selectedId: updated.id });
    void this.track(updated.id, frame);
  }

  /**
   * Chooses how the segment is tracked. Its track (and aperture) is dropped, since it came from the
   * other tracker; keyframes stay: with the hand tracker they are corrections of the grasp point.
   */
  setTracker(segmentId: string, tracker: SegmentTracker): void {
    this.trackingJobs.get(segmentId)?.abort();
    this.updateSegment(segmentId, (s) => ((s.tracker ?? 'point') === tracker ? s : { ...clearTrack(s, s.start, s.end), tracker, aperture: undefined }));
  }

  private updateSegment(segmentId: string, change: (s: VideoSegment) => VideoSegment): void {
    const { annotation } = this.getSnapshot();
    const segment = annotation.segments.find((s) => s.id === segmentId);
    if (segment) this.setAnnotation(replaceSegment(annotation, change(segment)));
  }

  private setAnnotation(annotation: VideoAnnotation, patch: Partial<VideoEditorState> = {}): void {
    this.set({ ...patch, annotation });
    this.scheduleSave();
  }

  /** Saves the annotation (with the video's frame table) SAVE_DELAY_MS after the last change. */
  private scheduleSave(): void {
    const { video } = this.getSnapshot();
    if (!video || this.disposed) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.saveNow(), SAVE_DELAY_MS);
  }

  private saveNow(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const { video, annotation } = this.getSnapshot();
    if (video) void this.deps.saveAnnotation(video.id, { ...annotation, frameTimes: video.annotation.frameTimes }).catch(notifyError);
  }

  // Tracking

  /**
   * Tracks the runs of a segment in the worker: all of them, or with `changedFrame` the one
   * starting at that corrected keyframe and any left with gaps.
   */
  async track(segmentId: string, changedFrame?: number): Promise<void> {
    const { video, annotation } = this.getSnapshot();
    const segment = annotation.segments.find((s) => s.id === segmentId);
    if (segment?.tracker === 'hand') {
      // The hand is found on every frame afresh: a correction (keyframe) changes only its own frame.
      if (changedFrame === undefined) await this.trackHands(segmentId);
      return;
    }
    if (!segment || !video || !this.blob || !this.tracker) return;
    // A correction during tracking stops the old job; runs it left unfinished are tracked again.
    this.trackingJobs.get(segmentId)?.abort();
    const hasGaps = (from: number, to: number) => segment.track.slice(from + 1 - segment.start, to + 1 - segment.start).some((p) => !p);
    const runs = trackingRuns(segment).filter((r) => changedFrame === undefined || r.from === changedFrame || hasGaps(r.from, r.to));
    if (!runs.length) {
      notify({ kind: 'info', message: 'Click the point to follow on the segment’s first frame first.' });
      return;
    }
    for (const r of runs) this.updateSegment(segmentId, (s) => clearTrack(s, r.from + 1, r.to));
    const cancel = new AbortController();
    this.trackingJobs.set(segmentId, cancel);
    const jobs = useJobs.getState();
    const total = runs.reduce((n, r) => n + r.to - r.from + 1, 0);
    const job = jobs.start(`Tracking ${video.name} (frames ${runs[0].from}–${runs[runs.length - 1].to})`, total, () => cancel.abort());
    this.set({ trackingIds: new Set(this.getSnapshot().trackingIds).add(segmentId) });
    try {
      await this.tracker.track(this.blob, video.name, frameTimesOf(video), runs, {
        signal: cancel.signal,
        onPoints: (points, done) => {
          // A cancelled job's points may still be on their way from the worker: they would
          // overwrite the track of the correction that cancelled it.
          if (cancel.signal.aborted) return;
          this.updateSegment(segmentId, (s) => applyTrackedPoints(s, points));
          jobs.progress(job, done);
        },
        onStage: (stage) => jobs.describe(job, stage ?? undefined),
      });
    } catch (e) {
      if (!isAbort(e)) notifyError(e);
    } finally {
      this.endTrackingJob(segmentId, cancel, job);
    }
  }

  /**
   * Hand tracking of a whole segment: MediaPipe's hand models (in workers) on the key frames (handStride.ts) give the
   * grasp point (a reliable point where the hand is confident) and the thumb–index aperture; the
   * gripper events on the segment's frames are then replaced by those the aperture gives.
   */
  private async trackHands(segmentId: string): Promise<void> {
    const { video, annotation } = this.getSnapshot();
    const segment = annotation.segments.find((s) => s.id === segmentId);
    const frames = this.frames;
    if (!segment || !video || !frames) return;
    this.trackingJobs.get(segmentId)?.abort();
    const cancel = new AbortController();
    this.trackingJobs.set(segmentId, cancel);
    const jobs = useJobs.getState();
    const job = jobs.start(`Hand tracking ${video.name} (frames ${segment.start}–${segment.end})`, segment.end - segment.start + 1, () => cancel.abort());
    this.set({ trackingIds: new Set(this.getSnapshot().trackingIds).add(segmentId) });
    this.updateSegment(segmentId, (s) => ({ ...clearTrack(s, s.start, s.end), aperture: undefined }));
    try {
      jobs.describe(job, 'Loading the hand tracker (MediaPipe Hands, first use only)…');
      this.handDetector ??= this.deps.createHandDetector();
      const detector = await this.handDetector.catch((e: unknown) => {
        this.handDetector = undefined;
        throw e;
      });
      jobs.describe(job, undefined);
      detector.reset();
      const detected = await trackHandFrames({
        start: segment.start,
        end: segment.end,
        width: video.width,
        height: video.height,
        frame: (f) => frames.frame(f),
        detector,
        signal: cancel.signal,
        batch: HAND_BATCH,
        onFrames: (done) => {
          this.updateSegment(segmentId, (s) => applyHandFrames(s, done));
          jobs.progress(job, done.at(-1)!.frame - segment.start + 1);
        },
      });
      const tracked = this.getSnapshot().annotation.segments.find((s) => s.id === segmentId);
      if (tracked) {
        const events = gripperEventsFromAperture(tracked.aperture ?? [], tracked.start);
        this.setAnnotation(replaceGripperEvents(this.getSnapshot().annotation, tracked.start, tracked.end, events));
        const seen = (tracked.aperture ?? []).filter((a) => a !== null).length;
        notify({ kind: 'info', message: `Hand found on ${seen} of ${tracked.track.length} frames (the models ran on ${detected}, the rest lie between them); ${events.length} gripper event${events.length === 1 ? '' : 's'} from the thumb–index aperture.` });
      }
    } catch (e) {
      if (!isAbort(e)) notifyError(e);
    } finally {
      this.endTrackingJob(segmentId, cancel, job);
    }
  }

  private endTrackingJob(segmentId: string, cancel: AbortController, job: number): void {
    useJobs.getState().finish(job);
    if (this.trackingJobs.get(segmentId) === cancel) {
      this.trackingJobs.delete(segmentId);
      const trackingIds = new Set(this.getSnapshot().trackingIds);
      trackingIds.delete(segmentId);
      this.set({ trackingIds });
    }
  }

  // Samples

  /** One sample per segment (a draft made before is made anew in place); reports each in a toast. */
  async makeSamples(segments: VideoSegment[]): Promise<void> {
    const { video, annotation } = this.getSnapshot();
    if (!video || !this.frames) return;
    try {
      const { samples, updated, skipped } = await this.deps.makeSegmentSamples(video, segments, annotation.gripperEvents, this.frames);
      for (const s of skipped) notify({ kind: 'error', message: `Segment ${s.segment.start}–${s.segment.end}: ${s.reason}.` });
      for (const u of updated) notify({ kind: 'success', message: `Updated the sample of frames ${u.segment.start}–${u.segment.end} (one sample per segment).` });
      if (updated.length && !samples.length) this.set({ lastSamples: { datasetId: video.datasetId, sampleId: updated[updated.length - 1].sampleId } });
      if (samples.length) {
        this.set({ lastSamples: { datasetId: video.datasetId, sampleId: samples[samples.length - 1].id } });
        notify({ kind: 'success', message: `Made ${samples.length} sample${samples.length > 1 ? 's' : ''} from ${video.name}.` });
      }
    } catch (e) {
      notifyError(e);
    }
  }

  /** Plain images for sketching, one every `step` frames, as a job that can be cancelled. */
  async makeEveryNthFrame(step: number): Promise<void> {
    const { video } = this.getSnapshot();
    if (!video || !this.frames) return;
    const cancel = new AbortController();
    const jobs = useJobs.getState();
    const job = jobs.start(`Frames of ${video.name} every ${step}`, Math.ceil(video.frameCount / step), () => cancel.abort());
    try {
      const samples = await this.deps.makeEveryNthFrameSamples(video, this.frames, step, { signal: cancel.signal, onProgress: (d) => jobs.progress(job, d) });
      notify({ kind: 'success', message: `Made ${samples.length} images for sketching from ${video.name}.` });
    } catch (e) {
      if (cancel.signal.aborted) notify({ kind: 'info', message: 'Cancelled; no images were added.' });
      else notifyError(e);
    } finally {
      jobs.finish(job);
    }
  }

  // Keys

  /** Runs the command bound to the key (the user's keymap applied); true when one ran. None runs under the F1 overlay. */
  handleKey(key: KeyInput): boolean {
    if (this.getSnapshot().helpOpen) return false;
    return screenRegistry('video').dispatchKey(this.commands, key) !== null;
  }

  /** Shows or hides the F1 list of keys. */
  setHelpOpen(helpOpen: boolean): void {
    this.set({ helpOpen });
  }

  /** Carries out a key command on the selected segment, else the one on the current frame. */
  perform(action: VideoAction): void {
    const { annotation, frame, selectedId } = this.getSnapshot();
    const segment = annotation.segments.find((s) => s.id === selectedId) ?? segmentAt(annotation, frame);
    switch (action) {
      case 'playPause': this.togglePlay(); break;
      case 'prevFrame': this.seek(frame - 1); break;
      case 'nextFrame': this.seek(frame + 1); break;
      case 'back10': this.seek(frame - 10); break;
      case 'forward10': this.seek(frame + 10); break;
      case 'nextKeyframe':
      case 'prevKeyframe': {
        const k = segment && adjacentKeyframe(segment, frame, action === 'nextKeyframe' ? 1 : -1);
        if (k !== undefined) this.seek(k);
        break;
      }
      case 'gripperClose': this.setAnnotation(toggleGripperEvent(annotation, frame, 'closed')); break;
      case 'gripperOpen': this.setAnnotation(toggleGripperEvent(annotation, frame, 'open')); break;
      case 'newSegment': this.newSegment(); break;
      case 'segmentStart': if (segment) this.updateSegment(segment.id, (s) => resizeSegment(s, frame, s.end)); break;
      case 'segmentEnd': if (segment) this.updateSegment(segment.id, (s) => resizeSegment(s, s.start, frame)); break;
      case 'track': if (segment) void this.track(segment.id); break;
      case 'help': this.setHelpOpen(!this.getSnapshot().helpOpen); break;
    }
  }
}
