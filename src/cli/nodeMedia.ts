/**
 * The browser's media APIs the readers use, for Node: frames of a video through the system's
 * ffmpeg (no WebCodecs in Node) behind the studio's own `VideoFile` interface, and a minimal
 * `ImageBitmap` / `ImageData` / `createImageBitmap` (JPEG via jpeg-js, PNG via pngjs) for bag and
 * HDF5 frames. The readers themselves are unchanged: this only fills in what Node lacks.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { VideoFile } from '../video/videoFrames';
import { VideoImportError } from '../video/videoErrors';
import { diskPathOf } from './nodeFiles';

export const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
export const FFPROBE = process.env.FFPROBE_PATH ?? 'ffprobe';

/** A decoded frame in Node: RGBA pixels with the ImageBitmap members the readers touch. */
export class NodeBitmap {
  constructor(readonly width: number, readonly height: number, public data: Uint8ClampedArray) {}
  close(): void {
    this.data = new Uint8ClampedArray(0);
  }
}

/** RGBA of a frame a reader returned (always a NodeBitmap in Node). */
export function rgbaOf(bitmap: ImageBitmap): NodeBitmap {
  if (!(bitmap instanceof NodeBitmap)) throw new Error('a frame reader returned a browser ImageBitmap in Node');
  return bitmap;
}

class NodeImageData {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly colorSpace = 'srgb';
  constructor(a: Uint8ClampedArray | number, b: number, c?: number) {
    if (typeof a === 'number') {
      this.width = a;
      this.height = b;
      this.data = new Uint8ClampedArray(a * b * 4);
    } else {
      this.data = a;
      this.width = b;
      this.height = c ?? a.length / 4 / b;
    }
  }
}

/** Decodes a JPEG or PNG (what sensor_msgs/CompressedImage carries) to RGBA. */
export function decodeStill(bytes: Uint8Array): NodeBitmap {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return new NodeBitmap(png.width, png.height, new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength));
  }
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048 });
  return new NodeBitmap(img.width, img.height, new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength));
}

async function nodeCreateImageBitmap(source: unknown): Promise<NodeBitmap> {
  if (source instanceof NodeBitmap) return new NodeBitmap(source.width, source.height, source.data.slice());
  if (source instanceof NodeImageData) return new NodeBitmap(source.width, source.height, source.data);
  if (source instanceof Blob) return decodeStill(new Uint8Array(await source.arrayBuffer()));
  throw new Error('createImageBitmap in Node takes a Blob (JPEG/PNG), ImageData or a decoded frame');
}

/** Puts ImageData and createImageBitmap where the readers look for them (only where Node lacks them). */
export function installNodeImageApis(): void {
  const g = globalThis as Record<string, unknown>;
  g.ImageData ??= NodeImageData;
  g.createImageBitmap ??= nodeCreateImageBitmap;
}

/** PNG bytes of RGBA pixels (what the studio stores for an episode's frame: lossless). */
export function encodePng(frame: NodeBitmap): Uint8Array {
  const png = new PNG({ width: frame.width, height: frame.height });
  png.data = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  return PNG.sync.write(png, { colorType: 2, deflateLevel: 3 });
}

interface Probe {
  codec: string;
  width: number;
  height: number;
  startTime: number;
  /** Presentation times of every frame, sorted (seconds, the file's own timeline). */
  pts: number[];
  frameDuration: number;
}

function run(cmd: string, args: string[], fileName: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw new VideoImportError(fileName, `cannot run ${cmd} (${r.error.message}).`, `Install ffmpeg (apt install ffmpeg) or set ${cmd === FFMPEG ? 'FFMPEG_PATH' : 'FFPROBE_PATH'}.`);
  if (r.status !== 0) throw new VideoImportError(fileName, `is not a video ffprobe can read (${r.stderr.trim().split('\n').pop() || `exit ${r.status}`}).`);
  return r.stdout;
}

function probe(file: string, fileName: string): Probe {
  const info = JSON.parse(run(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,avg_frame_rate:format=start_time', '-of', 'json', file], fileName)) as {
    streams?: { codec_name: string; width: number; height: number; avg_frame_rate: string }[];
    format?: { start_time?: string };
  };
  const s = info.streams?.[0];
  if (!s) throw new VideoImportError(fileName, 'has no video track.');
  const pts = run(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], fileName)
    .split('\n').map((l) => parseFloat(l)).filter(Number.isFinite).sort((a, b) => a - b);
  if (!pts.length) throw new VideoImportError(fileName, 'has a video track without frames.');
  const [num, den] = s.avg_frame_rate.split('/').map(Number);
  const frameDuration = num > 0 && den > 0 ? den / num : pts.length > 1 ? (pts[pts.length - 1] - pts[0]) / (pts.length - 1) : 1 / 30;
  return { codec: s.codec_name, width: s.width, height: s.height, startTime: Number(info.format?.start_time ?? pts[0]) || 0, pts, frameDuration };
}

/** One ffmpeg process decoding the file to raw RGBA from frame `first` on, read frame by frame. */
class RawFrames {
  private readonly proc: ChildProcessByStdio<null, Readable, Readable>;
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private stderr = '';
  next: number;

  constructor(file: string, seekSeconds: number | null, first: number, private readonly frameBytes: number) {
    this.next = first;
    const seek = seekSeconds === null ? [] : ['-ss', seekSeconds.toFixed(6)];
    this.proc = spawn(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-nostdin', ...seek, '-i', file, '-map', '0:v:0', '-an', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc.on('error', () => undefined); // reported by read() as the stream's end
    this.chunks = this.proc.stdout[Symbol.asyncIterator]();
  }

  get errorText(): string {
    return this.stderr.trim().split('\n').slice(-2).join(' ');
  }

  /** The next frame's pixels (null at the end of the stream); a skipped frame is dropped uncopied and gives an empty array. */
  async read(keep = true): Promise<Uint8ClampedArray | null> {
    while (this.pendingBytes < this.frameBytes) {
      const r = await this.chunks.next();
      if (r.done) return null;
      this.pending.push(r.value);
      this.pendingBytes += r.value.length;
    }
    const frame = new Uint8ClampedArray(keep ? this.frameBytes : 0);
    let need = this.frameBytes;
    while (need > 0) {
      const head = this.pending[0];
      const n = Math.min(need, head.length);
      if (keep) frame.set(head.subarray(0, n), this.frameBytes - need);
      if (n === head.length) this.pending.shift();
      else this.pending[0] = head.subarray(n);
      need -= n;
    }
    this.pendingBytes -= this.frameBytes;
    this.next++;
    return frame;
  }

  close(): void {
    this.proc.stdout.destroy();
    this.proc.kill('SIGKILL');
  }
}

/** Frames further ahead than this are reached by a new ffmpeg seeking there, not by decoding through. */
const READ_AHEAD_BYTES = 48 << 20;

/**
 * `openVideoFile` for Node: the same VideoFile as mediabunny's in the browser (the frame shown at
 * time t is the last one starting at or before t), decoded by ffmpeg. Frames asked in increasing
 * time are read from one running ffmpeg; a jump back or far ahead starts one at that frame.
 */
export async function openVideoFileWithFfmpeg(blob: Blob, fileName: string): Promise<VideoFile> {
  let file = diskPathOf(blob);
  let tempDir: string | null = null;
  if (!file) {
    tempDir = mkdtempSync(join(tmpdir(), 'path-studio-cli-'));
    file = join(tempDir, 'video');
    writeFileSync(file, new Uint8Array(await blob.arrayBuffer()));
  }
  const p = probe(file, fileName);
  const frameBytes = p.width * p.height * 4;
  let stream: RawFrames | null = null;
  const indexAt = (t: number) => {
    // Last frame whose presentation time is at or before t (binary search).
    let lo = 0, hi = p.pts.length - 1, k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (p.pts[mid] <= t + 1e-9) { k = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return k;
  };
  const frameAtIndex = async (k: number, t: number): Promise<ImageBitmap> => {
    if (k < 0) throw new VideoImportError(fileName, `there is no frame at ${t.toFixed(3)} s.`);
    if (!stream || k < stream.next || (k - stream.next) * frameBytes > READ_AHEAD_BYTES) {
      stream?.close();
      // Seek to halfway between frame k-1 and k: ffmpeg then outputs frame k first.
      const seek = k === 0 ? null : (p.pts[k - 1] + p.pts[k]) / 2 - p.startTime;
      stream = new RawFrames(file, seek, k, frameBytes);
    }
    for (;;) {
      const at = stream.next;
      const data = await stream.read(at === k);
      if (!data) {
        const why = stream.errorText;
        stream.close();
        stream = null;
        throw new VideoImportError(fileName, `ffmpeg could not decode frame ${k} (${t.toFixed(3)} s)${why ? `: ${why}` : ''}.`);
      }
      if (at === k) return new NodeBitmap(p.width, p.height, data) as unknown as ImageBitmap;
    }
  };
  return {
    fileName,
    codec: p.codec,
    width: p.width,
    height: p.height,
    duration: p.pts[p.pts.length - 1] + p.frameDuration,
    frameAt: (t) => frameAtIndex(indexAt(t), t),
    async *framesAt(times) {
      for (const t of times) yield await frameAtIndex(indexAt(t), t);
    },
    close() {
      stream?.close();
      stream = null;
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
