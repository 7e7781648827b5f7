/**
 * MediaPipe Hands' graph around its two models, as plain geometry (after MediaPipe's
 * palm_detection_cpu, hand_landmark_cpu and hand_landmark_landmarks_to_roi graphs and their
 * calculators): the palm detector's anchors and decoding, the rotated square the landmark model
 * looks at, its landmarks mapped back to the image, and the next frame's square from them.
 * Everything is in image pixels; rotations are radians, clockwise on screen (y down).
 *
 * Written here because MediaPipe Tasks, which packages this graph, refuses the models the npm
 * package ships (no TFLite metadata; docs/VIDEO_IMPORT.md, Hand tracking).
 */

/** The palm detector's input side (palm_detection_full.tflite: 192×192). */
export const PALM_INPUT = 192;
/** The landmark model's input side (hand_landmark_full.tflite: 224×224). */
export const LANDMARK_INPUT = 224;
const PALM_VALUES = 18; // box (4) + 7 keypoints × (x, y)
const TARGET_ANGLE = Math.PI / 2; // the hand points up in the crop

export interface Point {
  x: number;
  y: number;
}

/** A rotated rectangle in image pixels. */
export interface RotatedRect {
  cx: number;
  cy: number;
  width: number;
  height: number;
  rotation: number;
}

export interface PalmDetection {
  score: number;
  /** Axis-aligned box in image pixels. */
  cx: number;
  cy: number;
  width: number;
  height: number;
  /** 0: wrist, 2: middle-finger base (the two that orient the hand). */
  keypoints: Point[];
}

/** SSD anchor centres of the 192² palm detector, normalised: strides 8, 16, 16, 16, two anchors per layer and cell (2,016). */
export function palmAnchors(): Float32Array {
  const groups = [{ stride: 8, perCell: 2 }, { stride: 16, perCell: 6 }];
  const out: number[] = [];
  for (const { stride, perCell } of groups) {
    const cells = Math.ceil(PALM_INPUT / stride);
    for (let y = 0; y < cells; y++) for (let x = 0; x < cells; x++) for (let a = 0; a < perCell; a++) out.push((x + 0.5) / cells, (y + 0.5) / cells);
  }
  return Float32Array.from(out);
}

const normalizeRadians = (a: number) => a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));

/** Where the image lies in the palm detector's letterboxed square: image pixel = square coordinate (0–1) × side − offset. */
export function letterbox(width: number, height: number): { side: number; offsetX: number; offsetY: number } {
  const side = Math.max(width, height);
  return { side, offsetX: (side - width) / 2, offsetY: (side - height) / 2 };
}

const iou = (a: PalmDetection, b: PalmDetection) => {
  const ix = Math.max(0, Math.min(a.cx + a.width / 2, b.cx + b.width / 2) - Math.max(a.cx - a.width / 2, b.cx - b.width / 2));
  const iy = Math.max(0, Math.min(a.cy + a.height / 2, b.cy + b.height / 2) - Math.max(a.cy - a.height / 2, b.cy - b.height / 2));
  const inter = ix * iy;
  return inter / (a.width * a.height + b.width * b.height - inter);
};

/**
 * The most confident palm: the detector's boxes and scores decoded against the anchors (scores
 * through a sigmoid, clipped at ±100), then — as MediaPipe's weighted suppression does for the top
 * box — averaged with the boxes overlapping it by more than 0.3, weighted by score. Null below `minScore`.
 */
export function decodeBestPalm(boxes: Float32Array, scores: Float32Array, anchors: Float32Array, width: number, height: number, minScore = 0.5): PalmDetection | null {
  const { side, offsetX, offsetY } = letterbox(width, height);
  const found: PalmDetection[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, scores[i]))));
    if (score < minScore) continue;
    const ax = anchors[2 * i];
    const ay = anchors[2 * i + 1];
    const o = i * PALM_VALUES;
    const px = (u: number) => u * side - offsetX;
    const py = (v: number) => v * side - offsetY;
    const keypoints: Point[] = [];
    for (let k = 0; k < 7; k++) keypoints.push({ x: px(boxes[o + 4 + 2 * k] / PALM_INPUT + ax), y: py(boxes[o + 5 + 2 * k] / PALM_INPUT + ay) });
    found.push({ score, cx: px(boxes[o] / PALM_INPUT + ax), cy: py(boxes[o + 1] / PALM_INPUT + ay), width: (boxes[o + 2] / PALM_INPUT) * side, height: (boxes[o + 3] / PALM_INPUT) * side, keypoints });
  }
  if (!found.length) return null;
  const best = found.reduce((a, b) => (b.score > a.score ? b : a));
  const group = found.filter((d) => iou(d, best) > 0.3);
  const total = group.reduce((s, d) => s + d.score, 0);
  const mean = (f: (d: PalmDetection) => number) => group.reduce((s, d) => s + f(d) * d.score, 0) / total;
  return {
    score: best.score,
    cx: mean((d) => d.cx), cy: mean((d) => d.cy), width: mean((d) => d.width), height: mean((d) => d.height),
    keypoints: best.keypoints.map((_, k) => ({ x: mean((d) => d.keypoints[k].x), y: mean((d) => d.keypoints[k].y) })),
  };
}

/** Turns `rect` about its centre's shift and makes it a square `scale` times its long side (MediaPipe's RectTransformationCalculator). */
function transformRect(rect: RotatedRect, scale: number, shiftY: number): RotatedRect {
  const { rotation: r } = rect;
  const cx = rect.cx - rect.height * shiftY * Math.sin(r);
  const cy = rect.cy + rect.height * shiftY * Math.cos(r);
  const side = Math.max(rect.width, rect.height) * scale;
  return { cx, cy, width: side, height: side, rotation: r };
}

const rotationFrom = (from: Point, to: Point) => normalizeRadians(TARGET_ANGLE - Math.atan2(-(to.y - from.y), to.x - from.x));

/** The square the landmark model looks at for a detected palm: turned wrist → middle finger up, 2.6 × the palm, moved towards the fingers. */
export function handRectFromPalm(palm: PalmDetection): RotatedRect {
  const rotation = rotationFrom(palm.keypoints[0], palm.keypoints[2]);
  return transformRect({ cx: palm.cx, cy: palm.cy, width: palm.width, height: palm.height, rotation }, 2.6, -0.5);
}

/** Landmarks in the crop (model output, 0–LANDMARK_INPUT) as image pixels. */
export function landmarksToImage(raw: Float32Array, rect: RotatedRect): Point[] {
  const cos = Math.cos(rect.rotation);
  const sin = Math.sin(rect.rotation);
  const out: Point[] = [];
  for (let i = 0; i + 2 < raw.length; i += 3) {
    const x = raw[i] / LANDMARK_INPUT - 0.5;
    const y = raw[i + 1] / LANDMARK_INPUT - 0.5;
    out.push({ x: rect.cx + (cos * x - sin * y) * rect.width, y: rect.cy + (sin * x + cos * y) * rect.height });
  }
  return out;
}

/** The landmarks MediaPipe frames the next crop with: wrist, the thumb's first joints, and each finger's base and middle joint. */
const ROI_LANDMARKS = [0, 1, 2, 3, 5, 6, 9, 10, 13, 14, 17, 18];

/** The next frame's square from this frame's landmarks (image pixels): turned wrist → knuckles up, 2 × their extent. */
export function handRectFromLandmarks(landmarks: readonly Point[]): RotatedRect {
  const pts = ROI_LANDMARKS.map((i) => landmarks[i]);
  const wrist = landmarks[0];
  const knuckles = { x: ((landmarks[5].x + landmarks[13].x) / 2 + landmarks[9].x) / 2, y: ((landmarks[5].y + landmarks[13].y) / 2 + landmarks[9].y) / 2 };
  const rotation = rotationFrom(wrist, knuckles);
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const center = { x: (Math.max(...xs) + Math.min(...xs)) / 2, y: (Math.max(...ys) + Math.min(...ys)) / 2 };
  // Their extent in the hand's own frame (turned back by the rotation).
  const cos = Math.cos(-rotation);
  const sin = Math.sin(-rotation);
  const local = pts.map((p) => ({ x: cos * (p.x - center.x) - sin * (p.y - center.y), y: sin * (p.x - center.x) + cos * (p.y - center.y) }));
  const lx = local.map((p) => p.x);
  const ly = local.map((p) => p.y);
  const mid = { x: (Math.max(...lx) + Math.min(...lx)) / 2, y: (Math.max(...ly) + Math.min(...ly)) / 2 };
  const c = Math.cos(rotation);
  const s = Math.sin(rotation);
  const rect = {
    cx: center.x + c * mid.x - s * mid.y,
    cy: center.y + s * mid.x + c * mid.y,
    width: Math.max(...lx) - Math.min(...lx),
    height: Math.max(...ly) - Math.min(...ly),
    rotation,
  };
  return transformRect(rect, 2.0, -0.1);
}
