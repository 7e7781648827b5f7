/**
 * "The frame at time t" over an episode video, for the episode importer and the LeRobot exporter.
 * Opening (and every error message about unreadable files and codecs) is `src/video/openVideo`;
 * this adds mediabunny's CanvasSink, which decodes each packet at most once for increasing times.
 * (`src/video/FrameSource` is the other reader: frames by index with a cache, for scrubbing.)
 */
import { CanvasSink } from 'mediabunny';
import { openVideo } from './openVideo';
import { VideoImportError } from './videoErrors';

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

/** Another decoder behind the same interface where WebCodecs is absent (the CLI passes ffmpeg's). */
let nodeOpener: ((blob: Blob, fileName: string) => Promise<VideoFile>) | null = null;
export function setVideoFileOpener(open: typeof nodeOpener): void {
  nodeOpener = open;
}

/** Opens a video file; throws VideoImportError naming the file and codec when it cannot be read. */
export async function openVideoFile(blob: Blob, fileName: string): Promise<VideoFile> {
  if (nodeOpener) return nodeOpener(blob, fileName);
  const { input, track } = await openVideo(blob, fileName);
  const [codec, duration] = await Promise.all([track.getCodecParameterString().then((c) => c ?? track.codec ?? 'unknown'), track.computeDuration()]);
  const sink = new CanvasSink(track, { poolSize: 2 });
  const toBitmap = async (wrapped: { canvas: HTMLCanvasElement | OffscreenCanvas } | null, t: number) => {
    if (!wrapped) throw new VideoImportError(fileName, `there is no frame at ${t.toFixed(3)} s.`);
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
