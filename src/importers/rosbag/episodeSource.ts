/**
 * A read ROS bag as an EpisodeSource for the episode importer: the camera topic's frames (decoded
 * to ImageBitmaps when shown or imported), states sampled at each frame, the episodes of the cut,
 * the calibration from CameraInfo + /tf. The bag reading itself is src/formats (pure).
 */
import type { BagReader } from '../../formats/mcap/bag';
import { imagePayload, rawToRgba } from '../../formats/rosbag2/images';
import type { RobotSeries } from '../../formats/rosbag2/series';
import { DatasetError } from '../lerobot/dataset';
import type { EpisodeSource, FrameReader } from '../episodes/source';
import type { BagFacts } from './facts';

async function bitmapOf(msg: unknown, topic: string): Promise<ImageBitmap> {
  const p = imagePayload(msg, topic);
  if (p.kind === 'compressed') return createImageBitmap(new Blob([p.data as Uint8Array<ArrayBuffer>], { type: p.mime }));
  return createImageBitmap(new ImageData(rawToRgba(p, topic) as Uint8ClampedArray<ArrayBuffer>, p.width, p.height));
}

/** The episodes of a read series; `onClose` lets go of the bag (see BagSession). */
export function bagEpisodeSource(bag: BagReader, name: string, s: RobotSeries, problems: string[], facts: BagFacts, onClose: () => void): EpisodeSource {
  const t = s.frameTimesNs;
  const seconds = t.length > 1 ? Number(t[t.length - 1] - t[0]) / 1e9 : 0;
  const fps = seconds > 0 ? Math.round(((t.length - 1) / seconds) * 100) / 100 : 30;
  const cam = s.camera;
  const episode = (i: number) => {
    const e = s.episodes.find((x) => x.index === i);
    if (!e) throw new DatasetError(`${name} has no episode ${i}.`);
    return e;
  };
  return {
    format: bag.format,
    name,
    fps,
    robotType: null,
    stateNames: s.stateNames,
    actionNames: [],
    cameras: [{ key: cam.topic, width: cam.width, height: cam.height, codec: /Compressed/.test(cam.type) ? 'jpeg/png' : 'raw', missingFiles: [] }],
    episodes: s.episodes.map((e) => ({ index: e.index, task: e.task, length: e.end - e.start })),
    problems,
    bag: facts,
    eeStateIndices: s.eeStateIndices,
    gripperStateIndex: s.gripperColumn,
    gripperIsClosure01: false,
    calibration: (camera) => (camera === cam.topic && s.calibration ? s.calibration : null),
    async readEpisode(i) {
      const e = episode(i);
      const t0 = t[e.start];
      return { states: s.states.slice(e.start, e.end), actions: s.states.slice(e.start, e.end).map(() => []), timestamps: t.slice(e.start, e.end).map((x) => Number(x - t0) / 1e9), success: null };
    },
    async frameReader(i, camera): Promise<FrameReader | null> {
      if (camera !== cam.topic) return null;
      const e = episode(i);
      async function* frames(indices: number[]) {
        const want = new Set(indices);
        if (!want.size) return;
        const first = Math.min(...indices), last = Math.max(...indices);
        if (first < 0 || e.start + last >= e.end) throw new DatasetError(`${name}: frame ${first < 0 ? first : last} is outside episode ${i} (${e.end - e.start} frames).`);
        let k = e.start + first;
        // Messages sharing the first frame's time that come before it are skipped by count.
        let skip = t.slice(e.start, e.start + first).filter((x) => x === t[e.start + first]).length;
        for await (const m of bag.messages({ topics: [cam.topic], startNs: t[e.start + first], endNs: t[e.start + last] })) {
          if (skip > 0) { skip--; continue; }
          const index = k - e.start;
          k++;
          if (want.has(index)) yield { index, bitmap: await bitmapOf(bag.decode(m.topic, m.data), m.topic) };
          if (index >= last) return;
        }
      }
      return {
        fileName: `${name} ${cam.topic}`,
        fromTimestamp: 0,
        async frame(index) {
          for await (const f of frames([index])) return f.bitmap;
          throw new DatasetError(`${name}: frame ${index} of episode ${i} could not be read from ${cam.topic}.`);
        },
        frames,
      };
    },
    close: onClose,
  };
}
