/**
 * One MP4 video file written from RGBA frames: WebCodecs `VideoEncoder` through mediabunny's
 * `VideoSampleSource`, muxed by mediabunny into an in-memory MP4 (moov first, "fast start").
 * Browser only. H.264 where the browser can encode it (Debian Chromium can, via OpenH264);
 * otherwise VP9, then AV1 — lerobot decodes all three with torchcodec/pyav.
 */
import { BufferSource, BufferTarget, canEncodeVideo, Input, MP4, Mp4OutputFormat, Output, QUALITY_HIGH, VideoSample, VideoSampleSource, type VideoCodec } from 'mediabunny';

export interface ChosenCodec {
  codec: VideoCodec;
  /** The name lerobot's info.json uses (`video.codec`). */
  lerobotName: string;
}

export async function chooseVideoCodec(width: number, height: number): Promise<ChosenCodec> {
  const candidates: ChosenCodec[] = [
    { codec: 'avc', lerobotName: 'h264' },
    { codec: 'vp9', lerobotName: 'vp9' },
    { codec: 'av1', lerobotName: 'av1' },
  ];
  for (const c of candidates) if (await canEncodeVideo(c.codec, { width, height })) return c;
  throw new Error(`This browser cannot encode video at ${width}×${height} (no H.264, VP9 or AV1 encoder in WebCodecs). Use a recent Chromium-based browser for LeRobot export.`);
}

export class Mp4FileWriter {
  private frames = 0;

  private constructor(private readonly output: Output, private readonly target: BufferTarget, private readonly source: VideoSampleSource, readonly width: number, readonly height: number, readonly fps: number) {}

  static async create(width: number, height: number, fps: number, codec: VideoCodec): Promise<Mp4FileWriter> {
    const target = new BufferTarget();
    const output = new Output({ format: new Mp4OutputFormat({ fastStart: 'in-memory' }), target });
    // GOP of 2 frames, as lerobot's own encoder: cheap random access for training loaders.
    const source = new VideoSampleSource({ codec, bitrate: QUALITY_HIGH, keyFrameInterval: 2 / fps, sizeChangeBehavior: 'deny' });
    output.addVideoTrack(source, { frameRate: fps });
    await output.start();
    return new Mp4FileWriter(output, target, source, width, height, fps);
  }

  get frameCount(): number {
    return this.frames;
  }

  /** Appends one RGBA frame (width × height × 4 bytes). */
  async add(rgba: Uint8Array | Uint8ClampedArray): Promise<void> {
    const sample = new VideoSample(rgba, { format: 'RGBA', codedWidth: this.width, codedHeight: this.height, timestamp: this.frames / this.fps, duration: 1 / this.fps });
    try {
      await this.source.add(sample);
    } finally {
      sample.close();
    }
    this.frames++;
  }

  async finish(): Promise<Uint8Array> {
    await this.output.finalize();
    return new Uint8Array(this.target.buffer!);
  }

  async cancel(): Promise<void> {
    await this.output.cancel().catch(() => undefined);
  }
}

/**
 * The pixel format ffmpeg/ffprobe report for a stream (what lerobot writes as `video.pix_fmt`),
 * from the codec, the codec string of its decoder config and its colour range. ffmpeg's H.264
 * decoder names full-range 8-bit streams `yuvj…` (Chromium's OpenH264 encoder writes full range);
 * its VP9 and AV1 decoders keep `yuv…` and report the range separately. Null where the codec
 * string does not tell (an H.264 profile that may carry other bit depths or chroma formats).
 */
export function ffmpegPixelFormat(codec: string, codecString: string, fullRange: boolean): string | null {
  const parts = codecString.split('.');
  const name = (chroma: '420' | '422' | '444' | 'gray', depth: number) => {
    const base = chroma === 'gray' ? 'gray' : `yuv${chroma}p`;
    return depth > 8 ? `${base}${depth}le` : base;
  };
  if (codec === 'avc') {
    const profile = parseInt((parts[1] ?? '').slice(0, 2), 16);
    // Baseline, Main, Extended, High: 8-bit 4:2:0 only.
    if (![66, 77, 88, 100].includes(profile)) return null;
    return fullRange ? 'yuvj420p' : 'yuv420p';
  }
  if (codec === 'vp9') {
    const depth = Number(parts[3] ?? 8);
    const chroma = ({ '02': '422', '03': '444' } as const)[parts[4] as '02' | '03'] ?? '420';
    return name(chroma, depth);
  }
  if (codec === 'av1') {
    const depth = Number(parts[3] ?? 8);
    if (parts[4] === '1') return name('gray', depth);
    const chroma = ({ '100': '422', '000': '444' } as const)[(parts[5] ?? '110').slice(0, 3) as '100' | '000'] ?? '420';
    return name(chroma, depth);
  }
  return null;
}

/** Reads a finished MP4's video stream back (header and first packet) and names its pixel format as ffprobe would. */
export async function probePixelFormat(mp4: Uint8Array): Promise<string> {
  const input = new Input({ source: new BufferSource(mp4), formats: [MP4] });
  try {
    const track = await input.getPrimaryVideoTrack();
    if (!track) throw new Error('the MP4 just written has no video track');
    const config = await track.getDecoderConfig();
    const colour = await track.getColorSpace();
    const fmt = ffmpegPixelFormat(track.codec ?? '', config?.codec ?? '', colour.fullRange === true);
    if (!fmt) throw new Error(`cannot tell the pixel format of the ${config?.codec ?? track.codec ?? 'unknown'} stream this browser wrote; LeRobot export supports H.264 (Baseline/Main/High), VP9 and AV1`);
    return fmt;
  } finally {
    input.dispose();
  }
}
