/**
 * The LeRobot export's video encoding for Node (the studio's uses WebCodecs through mediabunny,
 * src/exporters/lerobot/videoWriter.ts): RGBA frames piped into the system's ffmpeg, libx264,
 * yuv420p, a key frame every 2 frames (lerobot's own GOP), no B-frames, MP4 with the index first —
 * the flags of the simulator's LeRobot writer (sim/src/lerobot/video.ts). `video.pix_fmt` is read
 * back from each finished file by ffprobe, as the studio reads it back from its own.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VideoEncoding, VideoFileOut } from '../exporters/lerobot/writeEpisodes';
import { FFMPEG, FFPROBE } from './nodeMedia';
import { CliInputError } from './nodeFiles';

/** Raised when ffmpeg cannot be run or fails: the message says what to do (exit 1, as a decoding failure). */
export class VideoEncodeError extends CliInputError {}

/** Bytes of frames queued for one encoder before `add` waits for ffmpeg to take them. */
const QUEUE_BYTES = 16 << 20;

class FfmpegMp4 implements VideoFileOut {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<void>;
  private stderr = '';
  private failure: Error | null = null;
  private frames = 0;

  constructor(private readonly file: string, readonly width: number, readonly height: number, fps: number) {
    this.proc = spawn(FFMPEG, [
      '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgba', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0',
      '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-g', '2', '-bf', '0', '-pix_fmt', 'yuv420p',
      '-threads', '1', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact',
      '-movflags', '+faststart', '-f', 'mp4', file,
    ]);
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc.stdin.on('error', () => undefined); // EPIPE when ffmpeg died: reported by exited
    this.exited = new Promise((resolve, reject) => {
      this.proc.on('error', (err) => reject(new VideoEncodeError(`cannot run ${FFMPEG} (${err.message}). Install ffmpeg with libx264 (apt install ffmpeg) or set FFMPEG_PATH.`)));
      this.proc.on('close', (code, signal) => (code === 0 ? resolve() : reject(new VideoEncodeError(`ffmpeg could not encode ${file} (${signal ?? `exit ${code}`}): ${this.stderr.trim().split('\n').slice(-2).join(' ') || 'no message'}`))));
    });
    this.exited.catch((e: Error) => { this.failure = e; });
  }

  get frameCount(): number {
    return this.frames;
  }

  async add(rgba: Uint8Array | Uint8ClampedArray): Promise<void> {
    if (this.failure) throw this.failure;
    // A copy: the caller draws the overlay on `rgba` as soon as this resolves, before the pipe has taken it.
    const stdin = this.proc.stdin;
    stdin.write(Buffer.from(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength)));
    this.frames++;
    // Frames queue up to QUEUE_BYTES before waiting for ffmpeg: waiting at the pipe's 16 KB mark
    // (every frame) ran the two encoders and the decoder in lockstep with this loop.
    if (stdin.writableLength > Math.max(QUEUE_BYTES, rgba.byteLength)) {
      await Promise.race([new Promise<void>((resolve) => stdin.once('drain', resolve)), this.exited]);
    }
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<Uint8Array> {
    this.proc.stdin.end();
    await this.exited;
    try {
      const mp4 = new Uint8Array(readFileSync(this.file));
      probed.set(mp4, probeFile(this.file));
      return mp4;
    } finally {
      rmSync(this.file, { force: true });
    }
  }

  async cancel(): Promise<void> {
    this.proc.stdin.destroy();
    this.proc.kill('SIGKILL');
    await this.exited.catch(() => undefined);
    rmSync(this.file, { force: true });
  }
}

type Stream = { codec_name: string; pix_fmt: string; width: number; height: number };

/** What ffprobe found in each finished file, probed before the file was removed. */
const probed = new WeakMap<Uint8Array, Stream>();

/** ffprobe's view of a video file's first video stream. */
export function probeFile(file: string): Stream {
  const r = spawnSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,pix_fmt,width,height', '-of', 'json', file], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error) throw new VideoEncodeError(`cannot run ${FFPROBE} (${r.error.message}). Install ffmpeg (apt install ffmpeg) or set FFPROBE_PATH.`);
  const stream = (JSON.parse(r.stdout || '{}') as { streams?: Stream[] }).streams?.[0];
  if (r.status !== 0 || !stream) throw new VideoEncodeError(`ffprobe cannot read the video just written, ${file} (${r.stderr.trim() || `exit ${r.status}`}).`);
  return stream;
}

/** H.264 by the system's ffmpeg, files written under a temporary folder until finished; `dispose` removes it. */
export function ffmpegH264Encoding(): VideoEncoding & { dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'path-studio-cli-video-'));
  let n = 0;
  return {
    lerobotName: 'h264',
    create: async (width, height, fps) => new FfmpegMp4(join(dir, `${n++}.mp4`), width, height, fps),
    pixelFormat: async (mp4) => {
      const stream = probed.get(mp4);
      if (!stream) throw new Error('pixelFormat: not a file this encoder finished');
      return stream.pix_fmt;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
