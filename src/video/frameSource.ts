import { VideoSampleSink, type VideoSample } from 'mediabunny';
import { frameAtTime } from './frameIndex';
import { openVideo, type OpenedVideo } from './openVideo';
import { errorMessage } from '../core/errorMessage';

/**
 * Frames of a stored video, decoded on demand for display. Stepping forward and playing reuse
 * one decoding iterator (a single-keyframe file is not decoded from the start for every frame);
 * recent frames stay in a small cache so stepping back is instant. Every VideoSample is closed.
 */
export class FrameSource {
  private sink: VideoSampleSink;
  private iterator?: AsyncGenerator<VideoSample, void, unknown>;
  /** Index of the frame the iterator yields next (its position). */
  private iteratorNext = -1;
  private readonly cache = new Map<number, ImageBitmap>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly opened: OpenedVideo, readonly frameTimes: number[], private readonly maxCached: number, readonly name: string) {
    this.sink = new VideoSampleSink(opened.track);
  }

  static async open(blob: Blob, name: string, frameTimes: number[], maxCachedBytes = 256 << 20): Promise<FrameSource> {
    const opened = await openVideo(blob, name);
    const w = await opened.track.getDisplayWidth(), h = await opened.track.getDisplayHeight();
    return new FrameSource(opened, frameTimes, Math.max(8, Math.floor(maxCachedBytes / (w * h * 4))), name);
  }

  get frameCount(): number {
    return this.frameTimes.length;
  }

  /** The frame as an ImageBitmap (owned by the cache: do not close it). Calls run one at a time. */
  frame(index: number): Promise<ImageBitmap> {
    // A decoder error names the file and the frame: "Decoder error." alone tells the user nothing.
    const run = this.queue.then(() => this.decode(index)).catch((e: unknown) => {
      this.iterator = undefined;
      const why = errorMessage(e);
      throw new Error(`${this.name}: frame ${index + 1} cannot be decoded (${why}). The file may be damaged; import it again from a good copy.`, { cause: e });
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decode(index: number): Promise<ImageBitmap> {
    const i = Math.max(0, Math.min(this.frameCount - 1, index));
    const hit = this.cache.get(i);
    if (hit) {
      this.cache.delete(i);
      this.cache.set(i, hit);
      return hit;
    }
    // Close enough ahead: keep decoding forward; otherwise restart from the nearest keyframe.
    if (!this.iterator || i < this.iteratorNext || i - this.iteratorNext > 45) {
      await this.iterator?.return();
      this.iterator = this.sink.samples(this.frameTimes[i]);
      this.iteratorNext = i;
    }
    for (;;) {
      const { value: sample, done } = await this.iterator.next();
      if (done || !sample) {
        this.iterator = undefined;
        throw new Error('the video ends before it');
      }
      const at = frameAtTime(this.frameTimes, sample.timestamp);
      this.iteratorNext = at + 1;
      const frame = sample.toVideoFrame();
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(frame);
      } finally {
        frame.close();
        sample.close();
      }
      this.remember(at, bitmap);
      if (at >= i) return bitmap;
    }
  }

  private remember(index: number, bitmap: ImageBitmap): void {
    this.cache.get(index)?.close();
    this.cache.set(index, bitmap);
    while (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value!;
      this.cache.get(oldest)?.close();
      this.cache.delete(oldest);
    }
  }

  dispose(): void {
    void this.iterator?.return();
    for (const b of this.cache.values()) b.close();
    this.cache.clear();
    this.opened.input.dispose();
  }
}
