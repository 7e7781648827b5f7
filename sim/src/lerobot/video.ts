/**
 * H.264 encoding through the ffmpeg CLI (Node has no WebCodecs): raw RGB frames are piped into
 * libx264 and asked for as yuv420p MP4; the pixel format info.json states is read back from the
 * finished file by ffprobe, as the studio's export reads it (docs/EXPORT.md). Bit-exact flags and
 * no metadata keep the output deterministic for identical frames.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';

export const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';
export const FFPROBE = process.env.FFPROBE_PATH ?? 'ffprobe';

export class Mp4Writer {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<void>;
  private stderr = '';
  frames = 0;

  constructor(readonly path: string, readonly width: number, readonly height: number, readonly fps: number) {
    this.proc = spawn(FFMPEG, [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0',
      // LeRobot encodes with short GOPs (g=2) so random frame access stays cheap when training.
      '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-g', '2', '-pix_fmt', 'yuv420p',
      '-threads', '2', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact',
      '-movflags', '+faststart', path,
    ]);
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve, reject) => {
      this.proc.on('error', (err) => reject(new Error(`cannot run ${FFMPEG}: ${err.message}`)));
      this.proc.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${this.stderr.trim()}`))));
    });
    this.exited.catch(() => undefined); // surfaced by finish()
  }

  /** Appends one RGB frame (width·height·3 bytes); waits when ffmpeg's input pipe is full. */
  async write(rgb: Uint8Array): Promise<void> {
    if (rgb.length !== this.width * this.height * 3) throw new Error('frame size does not match the video size');
    this.frames++;
    if (!this.proc.stdin.write(Buffer.from(rgb))) {
      await new Promise<void>((resolve) => this.proc.stdin.once('drain', resolve));
    }
  }

  async finish(): Promise<void> {
    this.proc.stdin.end();
    await this.exited;
  }

  /** The finished file's pixel format as ffprobe names it (info.json's `video.pix_fmt`). */
  pixelFormat(): string {
    const r = spawnSync(FFPROBE, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=pix_fmt', '-of', 'json', this.path], { encoding: 'utf8' });
    if (r.error) throw new Error(`cannot run ${FFPROBE}: ${r.error.message}`);
    const pixFmt = (JSON.parse(r.stdout || '{}') as { streams?: { pix_fmt?: string }[] }).streams?.[0]?.pix_fmt;
    if (r.status !== 0 || !pixFmt) throw new Error(`ffprobe cannot read the pixel format of ${this.path}: ${r.stderr.trim() || `exit ${r.status}`}`);
    return pixFmt;
  }
}
