/**
 * Minimal frame reader over mediabunny (demux) + WebCodecs (decode), used by the episode importer.
 * Written here because the shared `src/video/` module did not exist when this importer was built;
 * it only needs "the frame at time t" for a few timestamps per episode.
 */
import { ALL_FORMATS, BlobSource, CanvasSink, Input, type InputVideoTrack } from 'mediabunny';

export interface VideoFile {
  fileName: string;
  codec: string;
  width: number;
  height: number;
  duration: number;
  /** The frame shown at `seconds` (the last frame starting at or before it). */
  frameAt(seconds: number): Promise<ImageBitmap>;
  /** Frames at increasing timestamps, decoding each packet at most once. */
  framesAt(seconds: number[]): AsyncGenerator<ImageBitmap>;
  close(): void;
}

export class VideoError extends Error {}

/** Opens a video file; throws VideoError naming the file and codec when this browser cannot decode it. */
export async function openVideoFile(blob: Blob, fileName: string): Promise<VideoFile> {
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  let track: InputVideoTrack | null;
  try {
    track = await input.getPrimaryVideoTrack();
  } catch (e) {
    input.dispose();
    throw new VideoError(`${fileName} could not be opened as a video (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!track) {
    input.dispose();
    throw new VideoError(`${fileName} has no video track.`);
  }
  const codec = (await track.getCodecParameterString().catch(() => null)) ?? track.codec ?? 'unknown';
  if (!(await track.canDecode())) {
    input.dispose();
    throw new VideoError(`${fileName} uses the ${track.codec ?? 'unknown'} codec (${codec}), which this browser cannot decode. Re-encode it to H.264, VP9 or AV1 (e.g. \`ffmpeg -i in.mp4 -c:v libx264 -pix_fmt yuv420p out.mp4\`).`);
  }
  const duration = await track.computeDuration();
  const sink = new CanvasSink(track, { poolSize: 2 });
  const toBitmap = async (wrapped: { canvas: HTMLCanvasElement | OffscreenCanvas } | null, t: number) => {
    if (!wrapped) throw new VideoError(`${fileName} has no frame at ${t.toFixed(3)} s.`);
    return createImageBitmap(wrapped.canvas);
  };
  return {
    fileName,
    codec,
    width: track.displayWidth,
    height: track.displayHeight,
    duration,
    frameAt: async (t) => toBitmap(await sink.getCanvas(t), t),
    async *framesAt(times) {
      let k = 0;
      for await (const c of sink.canvasesAtTimestamps(times)) yield await toBitmap(c, times[k++]);
    },
    close: () => input.dispose(),
  };
}
