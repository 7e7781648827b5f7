/**
 * Streams the episodes of a dataset as a LeRobot v3.0 dataset inside a ZIP (one top folder named
 * after the dataset). For every frame: the camera frame (decoded from the stored video), the path
 * of the frame's segment (from the dataset's samples, as annotators left them) as a fixed-size
 * feature, and the camera frame with that path drawn by the HAMSTER overlay renderer as a second
 * video. Episodes are grouped into files of at most `framesPerFile` frames; each group's videos
 * and data parquet are finished and streamed out before the next group starts, so memory holds
 * one group.
 */
import type { Path } from '../../core/path';
import { drawPathOverlay } from '../../core/overlay';
import { getAsset } from '../../storage/assets';
import { getDataset } from '../../storage/datasets';
import { episodeData, listEpisodes, type EpisodeData } from '../../storage/episodes';
import { getSamples, querySampleIds } from '../../storage/samples';
import { openVideoFile } from '../../importers/episodes/videoFrames';
import { pumpToSink, type ExportSink } from '../sink';
import { LeRobotLayout, videoPath } from './layout';
import { pathFeature, pathsPerFrame, type SegmentPath } from './pathFeature';
import { chooseVideoCodec, Mp4FileWriter } from './videoWriter';
import { makeStoredZip } from '../zip/zipWriter';

export interface PlannedEpisode {
  id: string;
  task: string;
  data: EpisodeData;
  videoAssetId: string;
  segments: SegmentPath[];
}

export interface LeRobotPlan {
  datasetId: string;
  datasetName: string;
  episodes: PlannedEpisode[];
  skipped: { episodeId: string; task: string; reason: string }[];
  totalFrames: number;
  /** Frames that have a path (the rest get path_valid = false and the plain frame as overlay). */
  framesWithPath: number;
}

export async function planLeRobotExport(datasetId: string): Promise<LeRobotPlan> {
  const dataset = await getDataset(datasetId);
  if (!dataset) throw new Error('That dataset no longer exists.');
  const segmentsByEpisode = new Map<string, SegmentPath[]>();
  const ids = await querySampleIds(datasetId);
  for (let i = 0; i < ids.length; i += 500) {
    for (const s of await getSamples(ids.slice(i, i + 500))) {
      const ep = s?.provenance.episodeId;
      if (!s || !ep || !s.path || s.path.points.length === 0 || s.status === 'rejected') continue;
      const list = segmentsByEpisode.get(ep) ?? [];
      list.push({ frameStart: s.provenance.frameStart ?? 0, frameEnd: s.provenance.frameEnd ?? Number.MAX_SAFE_INTEGER, path: s.path });
      segmentsByEpisode.set(ep, list);
    }
  }
  const episodes: PlannedEpisode[] = [];
  const skipped: LeRobotPlan['skipped'] = [];
  let first: EpisodeData | null = null;
  for (const e of await listEpisodes(datasetId)) {
    const data = episodeData(e);
    const skip = (reason: string) => skipped.push({ episodeId: e.id, task: e.task, reason });
    if (!data) { skip('is not an imported or recorded episode'); continue; }
    const frames = data.frames[0];
    if (!data.length) { skip('has no frames'); continue; }
    if (!frames?.videoAssetId) { skip('has no stored video (the file was too large to keep; re-import it with its video)'); continue; }
    if (!(await getAsset(frames.videoAssetId))) { skip('its video is missing from storage'); continue; }
    first ??= data;
    const f0 = first.frames[0];
    if (data.fps !== first.fps || frames.width !== f0.width || frames.height !== f0.height) { skip(`has ${data.fps} fps at ${frames.width}×${frames.height}, unlike the first episode (${first.fps} fps at ${f0.width}×${f0.height}); a LeRobot dataset has one rate and frame size`); continue; }
    if (data.stateNames.join() !== first.stateNames.join() || data.actionNames.join() !== first.actionNames.join()) { skip('has other state/action columns than the first episode'); continue; }
    episodes.push({ id: e.id, task: e.task, data, videoAssetId: frames.videoAssetId, segments: segmentsByEpisode.get(e.id) ?? [] });
  }
  const totalFrames = episodes.reduce((n, e) => n + e.data.length, 0);
  const framesWithPath = episodes.reduce((n, e) => n + pathsPerFrame(e.data.length, e.segments).filter(Boolean).length, 0);
  return { datasetId, datasetName: dataset.name, episodes, skipped, totalFrames, framesWithPath };
}

export interface LeRobotExportOptions {
  signal?: AbortSignal;
  /** Frames done and the total. */
  onProgress?: (frames: number, total: number) => void;
  framesPerFile?: number;
  /** Top folder inside the zip. */
  folder: string;
}

const row = (flat: ArrayLike<number>, width: number, i: number) => Array.prototype.slice.call(flat, i * width, (i + 1) * width) as number[];

async function* leRobotEntries(plan: LeRobotPlan, o: LeRobotExportOptions) {
  const ep0 = plan.episodes[0].data;
  const { width, height, camera } = ep0.frames[0];
  const chosen = await chooseVideoCodec(width, height);
  const cameraKey = camera;
  const overlayKey = `${camera}_path_overlay`;
  const layout = new LeRobotLayout({
    fps: ep0.fps, robotType: 'unknown', stateNames: ep0.stateNames, actionNames: ep0.actionNames, width, height, cameraKey, overlayKey,
    videoCodec: chosen.lerobotName, source: { dataset: plan.datasetName, dataset_id: plan.datasetId },
  });
  const framesPerFile = o.framesPerFile ?? 3000;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const now = new Date();
  let cameraOut: Mp4FileWriter | null = null;
  let overlayOut: Mp4FileWriter | null = null;
  let done = 0;
  const entry = (path: string, data: Uint8Array) => ({ name: `${o.folder}/${path}`, data, lastModified: now });

  async function* closeGroup() {
    if (!cameraOut || !overlayOut) return;
    const group = layout.currentGroup;
    yield entry(videoPath(cameraKey, group), await cameraOut.finish());
    yield entry(videoPath(overlayKey, group), await overlayOut.finish());
    cameraOut = overlayOut = null;
    const data = layout.closeGroup();
    if (data) yield entry(data.path, data.data);
  }

  try {
    for (const ep of plan.episodes) {
      if (o.signal?.aborted) throw new DOMException('Export cancelled', 'AbortError');
      if (cameraOut && cameraOut.frameCount + ep.data.length > framesPerFile) yield* closeGroup();
      cameraOut ??= await Mp4FileWriter.create(width, height, ep0.fps, chosen.codec);
      overlayOut ??= await Mp4FileWriter.create(width, height, ep0.fps, chosen.codec);
      const d = ep.data;
      const refs = d.frames[0];
      const asset = (await getAsset(ep.videoAssetId))!;
      const video = await openVideoFile(asset.blob, refs.fileName);
      const paths: (Path | null)[] = pathsPerFrame(d.length, ep.segments);
      const videoFrom = cameraOut.frameCount / ep0.fps;
      const cameraSample: Uint8Array[] = [];
      const overlaySample: Uint8Array[] = [];
      try {
        // Half a frame after the nominal time, as the importer reads them: rounding never picks the previous frame.
        const times = Array.from({ length: d.length }, (_, i) => refs.fromTimestamp + (i + 0.5) / d.fps);
        let i = 0;
        for await (const bitmap of video.framesAt(times)) {
          if (o.signal?.aborted) { bitmap.close(); throw new DOMException('Export cancelled', 'AbortError'); }
          ctx.drawImage(bitmap, 0, 0, width, height);
          bitmap.close();
          const rgba = ctx.getImageData(0, 0, width, height).data;
          await cameraOut.add(rgba);
          const path = paths[i];
          if (path) drawPathOverlay({ width, height, data: rgba }, path);
          await overlayOut.add(rgba);
          if (i % 10 === 0) {
            cameraSample.push(new Uint8Array(ctx.getImageData(0, 0, width, height).data));
            overlaySample.push(new Uint8Array(rgba));
          }
          i++;
          o.onProgress?.(++done, plan.totalFrames);
        }
        if (i !== d.length) throw new Error(`The video of episode "${ep.task}" (${refs.fileName}) has ${i} frames where ${d.length} were expected.`);
      } finally {
        video.close();
      }
      const stateWidth = d.stateNames.length;
      const actionWidth = d.actionNames.length;
      layout.addEpisode({
        task: ep.task,
        states: Array.from({ length: d.length }, (_, i) => row(d.states, stateWidth, i)),
        actions: Array.from({ length: d.length }, (_, i) => row(d.actions, actionWidth, i)),
        paths: paths.map((p) => pathFeature(p)),
        pathValid: paths.map((p) => p !== null),
        cameraSample, overlaySample, videoFrom,
        provenance: { source_episode_id: ep.id, source: d.source, success: d.success },
      });
    }
    yield* closeGroup();
    for (const e of layout.metaEntries()) yield entry(e.path, e.data);
  } finally {
    await (cameraOut as Mp4FileWriter | null)?.cancel();
    await (overlayOut as Mp4FileWriter | null)?.cancel();
  }
}

/** Writes the LeRobot zip into `sink`; returns the bytes written. Cancel or failure discards the file. */
export async function writeLeRobotZip(plan: LeRobotPlan, sink: ExportSink, o: LeRobotExportOptions): Promise<number> {
  if (!plan.episodes.length) throw new Error('No episode can be exported (see the list of skipped episodes).');
  return pumpToSink(makeStoredZip(leRobotEntries(plan, o)), sink, { signal: o.signal });
}
