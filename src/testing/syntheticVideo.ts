/**
 * Synthetic test videos (Node only: tests, the browser test's Node side and benchmarks): a
 * textured patch moving over a static textured background along a known trajectory, encoded by
 * ffmpeg, optionally passing under an opaque bar (occlusion). Nothing large is committed: videos
 * are made at test time in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

export interface SyntheticVideoSpec {
  width: number;
  height: number;
  frames: number;
  fps?: number;
  /** Horizontal speed, whole pixels per frame. */
  speed: number;
  /** Vertical wobble amplitude in pixels: a triangle wave, 1 px/frame, between y0 − A and y0 + A. */
  wobble?: number;
  patchSize?: number;
  codec?: 'h264-lossless' | 'h264' | 'vp9' | 'av1' | 'vp8';
  /** x of an opaque vertical bar (width `occluderWidth`) drawn over the patch; none when undefined. */
  occluderX?: number;
  occluderWidth?: number;
  /** Seeds the textures. */
  seed?: number;
}

export interface SyntheticVideo {
  file: string;
  spec: Required<Omit<SyntheticVideoSpec, 'occluderX'>> & { occluderX?: number };
  /** The patch centre on every frame (pixel centre convention of the encoder's integer placement). */
  truth: { x: number; y: number }[];
  /** Frames where the patch is entirely hidden by the bar. */
  occludedFrames: number[];
}

/** Smooth random texture: random values on a coarse grid, bilinearly interpolated. */
function texture(width: number, height: number, cell: number, seed: number, lo: number, hi: number): PNG {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const grid = Array.from({ length: gw * gh }, () => lo + rand() * (hi - lo));
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const gx = x / cell, gy = y / cell;
      const ix = Math.floor(gx), iy = Math.floor(gy), fx = gx - ix, fy = gy - iy;
      const v = grid[iy * gw + ix] * (1 - fx) * (1 - fy) + grid[iy * gw + ix + 1] * fx * (1 - fy) + grid[(iy + 1) * gw + ix] * (1 - fx) * fy + grid[(iy + 1) * gw + ix + 1] * fx * fy;
      const i = (y * width + x) * 4;
      png.data[i] = v;
      png.data[i + 1] = (v * 0.8 + 30) & 255;
      png.data[i + 2] = 255 - v;
      png.data[i + 3] = 255;
    }
  return png;
}

const CODEC_ARGS: Record<NonNullable<SyntheticVideoSpec['codec']>, { ext: string; args: string[] }> = {
  'h264-lossless': { ext: 'mp4', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-qp', '0', '-pix_fmt', 'yuv420p'] },
  h264: { ext: 'mp4', args: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '30', '-pix_fmt', 'yuv420p', '-bf', '2'] },
  vp9: { ext: 'webm', args: ['-c:v', 'libvpx-vp9', '-crf', '35', '-b:v', '0', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p'] },
  vp8: { ext: 'webm', args: ['-c:v', 'libvpx', '-b:v', '1M', '-deadline', 'realtime', '-cpu-used', '8', '-pix_fmt', 'yuv420p'] },
  av1: { ext: 'mp4', args: ['-c:v', 'libaom-av1', '-crf', '40', '-cpu-used', '8', '-row-mt', '1', '-pix_fmt', 'yuv420p'] },
};

export function makeSyntheticVideo(spec: SyntheticVideoSpec, dir = mkdtempSync(join(tmpdir(), 'synthetic-video-'))): SyntheticVideo {
  const full = { fps: 30, wobble: 20, patchSize: 64, codec: 'h264-lossless' as const, occluderWidth: 96, seed: 7, ...spec };
  const { width, height, frames, fps, speed, wobble, patchSize, codec, seed } = full;
  const x0 = 24, y0 = Math.round(height / 2 - patchSize / 2);
  const bg = join(dir, 'bg.png'), patch = join(dir, 'patch.png');
  writeFileSync(bg, PNG.sync.write(texture(width, height, 24, seed, 70, 150)));
  writeFileSync(patch, PNG.sync.write(texture(patchSize, patchSize, 8, seed + 1, 0, 255)));

  let filter = `[0][1]overlay=x='${x0}+${speed}*n':y='${y0}+${wobble}-abs(${wobble}-mod(n,${4 * wobble})+${wobble})':eval=frame:format=rgb`;
  if (full.occluderX !== undefined) filter += `,drawbox=x=${full.occluderX}:y=0:w=${full.occluderWidth}:h=${height}:color=0x202020:t=fill`;
  const { ext, args } = CODEC_ARGS[codec];
  const file = join(dir, `moving-patch-${codec}-v${speed}.${ext}`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-framerate', String(fps), '-i', bg, '-loop', '1', '-framerate', String(fps), '-i', patch,
    '-filter_complex', filter, '-frames:v', String(frames), '-r', String(fps), ...args, file]);

  const truth = Array.from({ length: frames }, (_, n) => ({
    x: x0 + speed * n + patchSize / 2,
    y: y0 + triangleWave(n, wobble) + patchSize / 2,
  }));
  const occludedFrames = full.occluderX === undefined ? [] : truth.flatMap((p, n) => {
    const left = p.x - patchSize / 2;
    return left >= full.occluderX! && left + patchSize <= full.occluderX! + full.occluderWidth ? [n] : [];
  });
  return { file, spec: full, truth, occludedFrames };
}

/** Integer triangle wave: 0, 1 … A, A−1 … −A … 0, period 4A (matches the ffmpeg expression). */
function triangleWave(n: number, a: number): number {
  return a - Math.abs(a - (n % (4 * a)) + a);
}

/** Decodes a video to 8-bit luma frames with ffmpeg (the reference for unit tests). */
export function decodeLumaWithFfmpeg(file: string, width: number, height: number): Uint8Array[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 30 });
  const size = width * height;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, i) => new Uint8Array(raw.buffer, raw.byteOffset + i * size, size));
}
