import { expectedLandmarks, HAND_STRIDE, interpolateHands, keyFrames, needsDetectionBetween, type SeenHand } from './handStride';
import { handFrame, type HandDetection, type HandDetector, type HandFrame } from './handTrack';

type Image = CanvasImageSource & { width: number; height: number };

/** How far past the latest sighting the hand's motion is carried on (three key frames). */
const MAX_EXPECTED_AHEAD = 3 * HAND_STRIDE;

/** One hand-tracking pass over frames `start`…`end` of a video. */
export interface HandTrackingRun {
  start: number;
  end: number;
  width: number;
  height: number;
  /** The decoded frame (the frames before the latest asked for should stay cached: the frames between key frames are asked for again). */
  frame(index: number): Promise<Image>;
  detector: HandDetector;
  signal: AbortSignal;
  /** Every frame, in order, `batch` or more at a time (the last batch may be smaller). */
  onFrames(frames: HandFrame[]): void;
  batch: number;
}

/**
 * Runs the detector on the key frames (handStride.ts), `parallel` of them ahead, in order, the
 * next one decoding meanwhile; detects the frames between two key frames where they cannot be
 * interpolated, and interpolates the rest. Each frame is looked for where the hand is expected
 * from the two latest frames it was seen on. Resolves with how many frames the models ran on;
 * rejects with an AbortError when `signal` aborts.
 */
export async function trackHandFrames(run: HandTrackingRun): Promise<number> {
  const { detector, signal, width, height } = run;
  const diagonal = Math.hypot(width, height);
  const aborted = () => {
    if (signal.aborted) throw new DOMException('Hand tracking was cancelled', 'AbortError');
  };
  let last: { x: number; y: number } | null = null;
  const seen: SeenHand[] = [];
  const remember = (frame: number, detection: HandDetection | null, hand: HandFrame) => {
    if (hand.point.reliable) last = hand.point;
    // The two latest frames by number: a frame between two key frames comes after the later one.
    if (!detection || !hand.point.reliable || frame < (seen.at(-1)?.frame ?? -Infinity)) return;
    seen.push({ frame, landmarks: detection.landmarks });
    if (seen.length > 2) seen.shift();
  };
  // Where to look: from the two latest sightings while they are recent; after the hand has been
  // lost for longer, each worker goes on from its own state (the palm detector once it lost it).
  // A frame between two key frames seen with confidence lies between them: the line is theirs.
  const near = (frame: number) => {
    const a = seen.at(-2) ?? seen.at(-1), b = seen.at(-1);
    return a && b && Math.abs(frame - b.frame) <= MAX_EXPECTED_AHEAD ? expectedLandmarks(a, b, frame) : undefined;
  };

  const keys = keyFrames(run.start, run.end);
  const parallel = Math.max(1, detector.parallel ?? 1);
  const inFlight: Promise<HandDetection | null>[] = [];
  let nextKey = 0;
  const startNextKey = () => {
    const f = keys[nextKey++]!;
    const hint = near(f);
    const detection = run.frame(f).then((image) => detector.detect(image, hint));
    detection.catch(() => undefined); // surfaced when awaited; not when cancelled first
    inFlight.push(detection);
    if (nextKey < keys.length) run.frame(keys[nextKey]!).catch(() => undefined);
  };
  while (nextKey < keys.length && inFlight.length < parallel) startNextKey();

  let detected = keys.length;
  let previous: HandFrame | undefined;
  let batch: HandFrame[] = [];
  for (const f of keys) {
    const detection = await inFlight.shift()!;
    aborted();
    const hand = handFrame(f, detection, width, height, last);
    remember(f, detection, hand);
    // The frames between go to the detector together with the next key frame (its workers share
    // them), each looked for where the two latest sightings put it.
    const between: Promise<HandDetection | null>[] = [];
    if (previous && needsDetectionBetween(previous, hand, diagonal)) {
      for (let g = previous.frame + 1; g < f; g++) {
        const hint = near(g);
        const found = run.frame(g).then((image) => detector.detect(image, hint));
        found.catch(() => undefined); // surfaced when awaited; not when cancelled first
        between.push(found);
      }
    }
    if (nextKey < keys.length) startNextKey();
    detected += between.length;
    if (between.length) {
      for (const [i, found] of between.entries()) {
        const g = previous!.frame + 1 + i;
        const betweenDetection = await found;
        aborted();
        const betweenHand = handFrame(g, betweenDetection, width, height, last);
        remember(g, betweenDetection, betweenHand);
        batch.push(betweenHand);
      }
    } else if (previous) batch.push(...interpolateHands(previous, hand));
    batch.push(hand);
    previous = hand;
    if (batch.length >= run.batch || f === run.end) {
      run.onFrames(batch);
      batch = [];
    }
  }
  return detected;
}
