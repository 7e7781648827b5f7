/// <reference lib="webworker" />
/**
 * Tracking worker: decodes the frames of each run with mediabunny (WebCodecs) and follows the
 * point with OpenCV.js pyramidal Lucas–Kanade (loaded here, lazily, never on the main thread).
 */
import { VideoSampleSink } from 'mediabunny';
import { loadOpenCv } from '../tracking/opencv';
import type { TrackingRun } from '../tracking/annotation';
import { PointTracker, type TrackerOptions } from '../tracking/pointTracker';
import type { TrackedFrame, TrackingProtocol, TrackingProgress } from '../tracking/trackingProtocol';
import { frameAtTime } from '../video/frameIndex';
import { lumaFromSample } from '../video/lumaFromSample';
import { openVideo } from '../video/openVideo';
import type { LumaFrame } from '../tracking/lumaFrame';
import { serve, type CallContext } from '../core/workerRpc';
import type { HandDetection, HandDetector } from '../tracking/hands/handTrack';
import type { HandLandmark } from '../tracking/hands/handLandmarks';
import { createTfliteHandDetector } from '../tracking/hands/tfliteHands';

serve<TrackingProtocol>({ track, detectHand, loadHandTracker: async () => void (await handDetector()) });

let hands: Promise<HandDetector> | undefined;

/** The hand tracker, loaded on first use (a load that failed is tried again next time). */
function handDetector(): Promise<HandDetector> {
  hands ??= createTfliteHandDetector().catch((e: unknown) => {
    hands = undefined;
    throw e;
  });
  return hands;
}

async function detectHand(_ctx: CallContext<never>, frame: ImageBitmap, reset: boolean, near?: readonly HandLandmark[]): Promise<HandDetection | null> {
  try {
    const detector = await handDetector();
    if (reset) detector.reset();
    return await detector.detect(frame, near);
  } finally {
    frame.close();
  }
}

async function track(ctx: CallContext<TrackingProgress>, blob: Blob, fileName: string, frameTimes: number[], runs: TrackingRun[], options: Partial<TrackerOptions> | undefined): Promise<number> {
  const total = runs.reduce((n, r) => n + r.to - r.from + 1, 0);
  // Loading OpenCV.js (~11 MB of WASM) takes seconds on first use: say so rather than sit at 0.
  ctx.progress({ points: [], done: 0, total, stage: 'Loading the tracker (OpenCV.js, first use only)…' });
  const { cv } = await loadOpenCv();
  ctx.progress({ points: [], done: 0, total, stage: 'Opening the video…' });
  const opened = await openVideo(blob, fileName);
  const sink = new VideoSampleSink(opened.track);
  const tracker = new PointTracker(cv, options);
  const started = performance.now();
  let done = 0;
  let batch: TrackedFrame[] = [];
  let lastPost = started;
  try {
    for (const run of runs) {
      let prev: LumaFrame | undefined;
      let point = { x: run.x, y: run.y };
      const end = run.to + 1 < frameTimes.length ? frameTimes[run.to + 1] : Infinity;
      for await (const sample of sink.samples(frameTimes[run.from], end)) {
        const frame = frameAtTime(frameTimes, sample.timestamp);
        let luma: LumaFrame;
        try {
          luma = await lumaFromSample(sample);
        } finally {
          sample.close();
        }
        if (ctx.signal.aborted) throw new DOMException('Tracking was cancelled', 'AbortError');
        done++;
        if (frame <= run.from || !prev) {
          tracker.setTemplate(luma, point.x, point.y);
        } else {
          const s = tracker.step(prev, luma, point.x, point.y);
          point = { x: s.x, y: s.y };
          batch.push({ frame, point: { x: s.x, y: s.y, reliable: s.reliable } });
        }
        prev = luma;
        const now = performance.now();
        if (now - lastPost > 100) {
          ctx.progress({ points: batch, done, total });
          batch = [];
          lastPost = now;
        }
      }
    }
    ctx.progress({ points: batch, done: total, total });
    return done / ((performance.now() - started) / 1000);
  } finally {
    tracker.dispose();
    opened.input.dispose();
  }
}
