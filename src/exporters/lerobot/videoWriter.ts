/**
 * One MP4 video file written from RGBA frames: WebCodecs `VideoEncoder` through mediabunny's
 * `VideoSampleSource`, muxed by mediabunny into an in-memory MP4 (moov first, "fast start").
 * Browser only. H.264 where the browser can encode it (Debian Chromium can, via OpenH264);
 * otherwise VP9, then AV1 — lerobot decodes all three with torchcodec/pyav.
 */
import { BufferTarget, canEncodeVideo, Mp4OutputFormat, Output, QUALITY_HIGH, VideoSample, VideoSampleSource, type VideoCodec } from 'mediabunny';

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
