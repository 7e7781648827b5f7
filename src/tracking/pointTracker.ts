import type { CvMat, OpenCv } from './opencv';
import { copyRect, type LumaFrame, normalizedCrossCorrelation, sampleWindow, windowAround } from './lumaFrame';

export interface TrackerOptions {
  /** LK integration window (pixels, odd). */
  winSize: number;
  /** Pyramid levels above the base image. */
  maxLevel: number;
  /**
   * Side of the square region around the point that LK sees. Working on a crop instead of the
   * full frame keeps one point at well over 100 frames/s at 720p; motion up to ~ half the window
   * minus the LK window per frame is still followed.
   */
  regionSize: number;
  /** Forward–backward error (pixels) above which a step is flagged unreliable (Kalal et al. 2010). */
  maxForwardBackwardPx: number;
  /**
   * Appearance check: the window around the tracked point must still look like the one the user
   * clicked (normalized cross-correlation ≥ this). Forward–backward alone passes a point that
   * sits still on an occluder; this catches it.
   */
  minTemplateCorrelation: number;
  /** Half-size of the appearance window (pixels). */
  templateRadius: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = { winSize: 21, maxLevel: 3, regionSize: 192, maxForwardBackwardPx: 1.5, minTemplateCorrelation: 0.5, templateRadius: 7 };

export interface TrackStep {
  x: number;
  y: number;
  /** Distance between the start point and the point tracked forward then back again. */
  forwardBackwardPx: number;
  /** Correlation of the window at the point with the template taken at the keyframe. */
  templateCorrelation: number;
  /** False when LK lost the point, a check failed or the point left the frame. */
  reliable: boolean;
}

/**
 * One point followed from frame to frame with OpenCV's pyramidal Lucas–Kanade, each step checked
 * by tracking the result back to the previous frame. Holds its Mats between steps; call dispose().
 */
export class PointTracker {
  private readonly opts: TrackerOptions;
  private prevMat?: CvMat;
  private nextMat?: CvMat;
  private readonly pts: CvMat;
  private readonly fwd: CvMat;
  private readonly back: CvMat;
  private readonly status: CvMat;
  private readonly err: CvMat;
  private readonly winSize: unknown;
  private readonly criteria: unknown;
  private template?: Float32Array;
  private readonly window: Float32Array;

  constructor(private readonly cv: OpenCv, options: Partial<TrackerOptions> = {}) {
    this.opts = { ...DEFAULT_TRACKER_OPTIONS, ...options };
    this.pts = new cv.Mat(1, 1, cv.CV_32FC2);
    this.fwd = new cv.Mat(1, 1, cv.CV_32FC2);
    this.back = new cv.Mat(1, 1, cv.CV_32FC2);
    this.status = new cv.Mat();
    this.err = new cv.Mat();
    this.winSize = new cv.Size(this.opts.winSize, this.opts.winSize);
    this.criteria = new cv.TermCriteria(cv.TERM_CRITERIA_EPS | cv.TERM_CRITERIA_COUNT, 30, 0.01);
    this.window = new Float32Array((2 * this.opts.templateRadius + 1) ** 2);
  }

  /** Remembers what the point looks like where the user placed it (call on every keyframe). */
  setTemplate(frame: LumaFrame, x: number, y: number): void {
    this.template = sampleWindow(frame, x, y, this.opts.templateRadius);
  }

  /** Where the point at (x, y) in `prev` is in `next`. Frames must have the same size. */
  step(prev: LumaFrame, next: LumaFrame, x: number, y: number): TrackStep {
    const { cv } = this;
    const rect = windowAround(x, y, this.opts.regionSize, prev.width, prev.height);
    this.ensureMats(rect.width, rect.height);
    copyRect(prev, rect, this.prevMat!.data);
    copyRect(next, rect, this.nextMat!.data);

    this.pts.data32F[0] = x - rect.x;
    this.pts.data32F[1] = y - rect.y;
    cv.calcOpticalFlowPyrLK(this.prevMat!, this.nextMat!, this.pts, this.fwd, this.status, this.err, this.winSize, this.opts.maxLevel, this.criteria);
    const okForward = this.status.data[0] === 1;
    const fx = this.fwd.data32F[0];
    const fy = this.fwd.data32F[1];
    cv.calcOpticalFlowPyrLK(this.nextMat!, this.prevMat!, this.fwd, this.back, this.status, this.err, this.winSize, this.opts.maxLevel, this.criteria);
    const okBack = this.status.data[0] === 1;
    const fb = Math.hypot(this.back.data32F[0] - this.pts.data32F[0], this.back.data32F[1] - this.pts.data32F[1]);

    const nx = fx + rect.x;
    const ny = fy + rect.y;
    const inside = Number.isFinite(nx) && Number.isFinite(ny) && nx >= 0 && ny >= 0 && nx < prev.width && ny < prev.height;
    if (!inside || !okForward) {
      // A lost point stays where it was rather than flying off: the user corrects it from there.
      return { x, y, forwardBackwardPx: Number.isFinite(fb) ? fb : Infinity, templateCorrelation: 0, reliable: false };
    }
    const correlation = this.template ? normalizedCrossCorrelation(this.template, sampleWindow(next, nx, ny, this.opts.templateRadius, this.window)) : 1;
    const reliable = okBack && fb <= this.opts.maxForwardBackwardPx && correlation >= this.opts.minTemplateCorrelation;
    return { x: nx, y: ny, forwardBackwardPx: fb, templateCorrelation: correlation, reliable };
  }

  private ensureMats(width: number, height: number): void {
    if (this.prevMat && this.prevMat.cols === width && this.prevMat.rows === height) return;
    this.prevMat?.delete();
    this.nextMat?.delete();
    this.prevMat = new this.cv.Mat(height, width, this.cv.CV_8UC1);
    this.nextMat = new this.cv.Mat(height, width, this.cv.CV_8UC1);
  }

  dispose(): void {
    for (const m of [this.prevMat, this.nextMat, this.pts, this.fwd, this.back, this.status, this.err]) m?.delete();
    this.prevMat = this.nextMat = undefined;
    for (const o of [this.winSize, this.criteria]) (o as { delete?: () => void }).delete?.();
  }
}
