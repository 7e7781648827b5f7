/**
 * The LeRobot v3.0 export's orchestration, shared by the studio (exportLeRobot.ts: frames from
 * IndexedDB, WebCodecs encoder) and the command line (src/cli/convertLeRobot.ts: frames from a
 * dataset reader, ffmpeg encoder). For every frame: the camera frame into the camera video, the
 * frame with its segment's path drawn by the HAMSTER overlay renderer into the overlay video, and
 * the frame's state, action and path feature into the layout (layout.ts). Episodes are grouped
 * into files of at most `framesPerFile` frames; each group's videos and data parquet are yielded
 * before the next group starts, so memory holds one group.
 *
 * No DOM, no storage: where frames come from and how video is encoded are passed in.
 */
import type { Path } from '../../core/path';
import { drawPathOverlay } from '../../core/overlay';
import { LeRobotLayout } from '../../formats/lerobot/layout';
import { videoPath } from '../../formats/lerobot/v3Writer';
import { pathFeature, pathsPerFrame, type SegmentPath } from '../../formats/lerobot/pathFeature';

/** What the writer needs of one episode (the studio's PlannedEpisode and the CLI's episodes both are). */
export interface EpisodeToWrite {
  task: string;
  length: number;
  fps: number;
  width: number;
  height: number;
  camera: string;
  stateNames: string[];
  actionNames: string[];
  state: (i: number) => ArrayLike<number>;
  action: (i: number) => ArrayLike<number>;
  segments: SegmentPath[];
  provenance: Record<string, unknown>;
}

/** One video file being written. */
export interface VideoFileOut {
  readonly frameCount: number;
  /** Appends one RGBA frame (width × height × 4 bytes). The caller may change `rgba` once this resolves. */
  add(rgba: Uint8Array | Uint8ClampedArray): Promise<void>;
  /** The finished MP4. */
  finish(): Promise<Uint8Array>;
  cancel(): Promise<void>;
}

/** How videos are encoded: WebCodecs + mediabunny in the browser, ffmpeg on the command line. */
export interface VideoEncoding {
  /** The name info.json's `video.codec` gets (`h264`…). */
  lerobotName: string;
  create(width: number, height: number, fps: number): Promise<VideoFileOut>;
  /** The pixel format of a finished file's stream, as ffprobe names it (info.json's `video.pix_fmt`). */
  pixelFormat(mp4: Uint8Array): Promise<string>;
}

export interface WriteEpisodesOptions<E extends EpisodeToWrite> {
  video: VideoEncoding;
  /** The episode's frames as RGBA, in order, exactly `ep.length` of them, each `width × height × 4` bytes; the writer may draw on them. */
  frames: (ep: E) => AsyncIterable<Uint8ClampedArray>;
  /** info.json's `robot_type`. */
  robotType?: string;
  /** info.json's `path_studio_export.source`. */
  source: Record<string, unknown>;
  framesPerFile?: number;
  signal?: AbortSignal;
  /** Frames done. */
  onFrame?: (done: number) => void;
  /** An episode written (its index among `episodes`). */
  onEpisode?: (k: number) => void;
}

/**
 * The dataset's files (paths relative to its root: meta/…, data/…, videos/…), in writing order.
 * `episodes` may be produced one at a time (the command line reads each as it is written); the
 * first one fixes fps, frame size, camera and columns, as in the studio's plan.
 */
export async function* leRobotFiles<E extends EpisodeToWrite>(episodes: Iterable<E> | AsyncIterable<E>, o: WriteEpisodesOptions<E>): AsyncGenerator<{ path: string; data: Uint8Array }> {
  let layout: LeRobotLayout | null = null;
  let width = 0, height = 0, fps = 0, cameraKey = '', overlayKey = '';
  const framesPerFile = o.framesPerFile ?? 3000;
  let cameraOut: VideoFileOut | null = null;
  let overlayOut: VideoFileOut | null = null;
  let done = 0;
  let k = 0;
  const cancelled = () => new DOMException('Export cancelled', 'AbortError');

  async function* closeGroup() {
    if (!layout || !cameraOut || !overlayOut) return;
    const group = layout.currentGroup;
    for (const [key, out] of [[cameraKey, cameraOut], [overlayKey, overlayOut]] as const) {
      const mp4 = await out.finish();
      layout.recordVideo(key, await o.video.pixelFormat(mp4));
      yield { path: videoPath(key, group), data: mp4 };
    }
    cameraOut = overlayOut = null;
    const data = layout.closeGroup();
    if (data) yield data;
  }

  try {
    for await (const ep of episodes) {
      if (o.signal?.aborted) throw cancelled();
      if (!layout) {
        ({ width, height, fps, camera: cameraKey } = ep);
        overlayKey = `${cameraKey}_path_overlay`;
        layout = new LeRobotLayout({
          fps, robotType: o.robotType ?? 'unknown', stateNames: ep.stateNames, actionNames: ep.actionNames, width, height, cameraKey, overlayKey,
          videoCodec: o.video.lerobotName, source: o.source,
        });
      }
      const frameBytes = width * height * 4;
      if (cameraOut && cameraOut.frameCount + ep.length > framesPerFile) yield* closeGroup();
      cameraOut ??= await o.video.create(width, height, fps);
      overlayOut ??= await o.video.create(width, height, fps);
      const paths: (Path | null)[] = pathsPerFrame(ep.length, ep.segments);
      const videoFrom = cameraOut.frameCount / fps;
      const cameraSample: Uint8Array[] = [];
      const overlaySample: Uint8Array[] = [];
      let i = 0;
      for await (const rgba of o.frames(ep)) {
        if (o.signal?.aborted) throw cancelled();
        if (rgba.length !== frameBytes) throw new Error(`A frame of episode "${ep.task}" has ${rgba.length} bytes where ${width}×${height} RGBA has ${frameBytes}.`);
        await cameraOut.add(rgba);
        if (i % 10 === 0) cameraSample.push(new Uint8Array(rgba));
        const path = paths[i];
        if (path) drawPathOverlay({ width, height, data: rgba }, path);
        await overlayOut.add(rgba);
        if (i % 10 === 0) overlaySample.push(new Uint8Array(rgba));
        i++;
        o.onFrame?.(++done);
      }
      if (i !== ep.length) throw new Error(`Episode "${ep.task}" gave ${i} frames where ${ep.length} were expected.`);
      layout.addEpisode({
        task: ep.task,
        states: Array.from({ length: ep.length }, (_, f) => ep.state(f)),
        actions: Array.from({ length: ep.length }, (_, f) => ep.action(f)),
        paths: paths.map((p) => pathFeature(p)),
        pathValid: paths.map((p) => p !== null),
        cameraSample, overlaySample, videoFrom,
        provenance: ep.provenance,
      });
      o.onEpisode?.(k++);
    }
    if (!layout) throw new Error('No episode can be exported (see the list of skipped episodes).');
    yield* closeGroup();
    yield* layout.metaEntries();
  } finally {
    await (cameraOut as VideoFileOut | null)?.cancel();
    await (overlayOut as VideoFileOut | null)?.cancel();
  }
}
