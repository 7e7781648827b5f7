/**
 * A video of a hand with known truth, for the hand tracker's browser test and benchmark: the hand
 * moves along a smooth arc, pinches (thumb to index) and lets go, rendered by handRenderer.ts and
 * encoded by ffmpeg (H.264). Truth per frame: the grasp point (midway between thumb and index tips)
 * and the aperture; the close and open frames are where the true aperture crosses the gripper
 * thresholds (close below 0.35, open above 0.5 — src/tracking/hands/gripperFromAperture.ts).
 */
import { spawn } from 'node:child_process';
import { graspPointOf, handJointsImage, type HandPose } from './handModel.ts';
import { renderHandFrame } from './handRenderer.ts';

export interface HandVideoSpec {
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** The pinch closes over [closeStart, closeStart + ramp) and opens over [openStart, openStart + ramp). */
  closeStart: number;
  openStart: number;
  ramp: number;
}

export interface HandVideoTruth {
  /** Grasp point per frame, pixels. */
  grasp: { x: number; y: number }[];
  /** Thumb–index distance over wrist–middle-knuckle distance per frame. */
  aperture: number[];
  closeFrame: number;
  openFrame: number;
}

const CLOSE_BELOW = 0.35;
const OPEN_ABOVE = 0.5;

const smooth = (t: number): number => { const c = Math.min(1, Math.max(0, t)); return c * c * (3 - 2 * c); };

/** The pose on frame `f`: the wrist on an arc across the lower middle of the image, the pinch ramped. */
export function handPoseAt(spec: HandVideoSpec, f: number): HandPose {
  const t = f / Math.max(1, spec.frames - 1);
  const size = spec.height * 0.46;
  const x = spec.width * (0.38 + 0.24 * t);
  const y = spec.height * (0.8 - 0.08 * Math.sin(Math.PI * t));
  const pinch = smooth((f - spec.closeStart) / spec.ramp) - smooth((f - spec.openStart) / spec.ramp);
  return { wrist: [x, y], size, roll: 0.15 - 0.25 * t, pinch };
}

export function handVideoTruth(spec: HandVideoSpec): HandVideoTruth {
  const grasp: HandVideoTruth['grasp'] = [];
  const aperture: number[] = [];
  for (let f = 0; f < spec.frames; f++) {
    const j = handJointsImage(handPoseAt(spec, f));
    const [x, y] = graspPointOf(j);
    grasp.push({ x, y });
    aperture.push(Math.hypot(j[4]![0] - j[8]![0], j[4]![1] - j[8]![1]) / Math.hypot(j[0]![0] - j[9]![0], j[0]![1] - j[9]![1]));
  }
  const closeFrame = aperture.findIndex((a) => a < CLOSE_BELOW);
  const openFrame = aperture.findIndex((a, f) => f > closeFrame && a > OPEN_ABOVE);
  return { grasp, aperture, closeFrame, openFrame };
}

/** Renders the video to `file` (MP4, H.264, yuv420p) and returns its truth. */
export async function renderHandVideo(spec: HandVideoSpec, file: string): Promise<HandVideoTruth> {
  const { width, height } = spec;
  const ffmpeg = spawn('ffmpeg', [
    '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(spec.fps), '-i', '-',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-g', String(spec.fps), '-pix_fmt', 'yuv420p', '-movflags', '+faststart', file,
  ], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve, reject) => {
    ffmpeg.on('error', reject);
    ffmpeg.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${stderr}`))));
  });
  for (let f = 0; f < spec.frames; f++) {
    const frame = renderHandFrame(handPoseAt(spec, f), width, height);
    if (!ffmpeg.stdin.write(frame.data)) await new Promise((r) => ffmpeg.stdin.once('drain', r));
  }
  ffmpeg.stdin.end();
  await exited;
  return handVideoTruth(spec);
}

/** The browser test's clip: two seconds, a grasp in the middle. */
export const E2E_HAND_VIDEO: HandVideoSpec = { width: 960, height: 540, fps: 30, frames: 60, closeStart: 14, openStart: 38, ramp: 8 };
