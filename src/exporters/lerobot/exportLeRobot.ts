/**
 * Streams the episodes of a dataset as a LeRobot v3.0 dataset inside a ZIP (one top folder named
 * after the dataset). Imported episodes (a stored video) and live recordings (one JPEG per control
 * step) alike. For every frame: the camera frame, the path of the frame's segment (from the
 * dataset's samples, as annotators left them; for a live run the path it followed) as a fixed-size
 * feature, and the camera frame with that path drawn by the HAMSTER overlay renderer as a second
 * video. Episodes are grouped into files of at most `framesPerFile` frames; each group's videos
 * and data parquet are finished and streamed out before the next group starts, so memory holds
 * one group. This file plans from storage and supplies the browser's frames (canvas) and encoder
 * (WebCodecs); the writing itself is writeEpisodes.ts, which the command line shares with ffmpeg.
 */
import { ALL_SOURCES, outcomeOf, sampleMatches, taskMatches, type ExportFilter, type Outcome } from '../exportFilter';
import { getAsset } from '../../storage/assets';
import { getDataset } from '../../storage/datasets';
import { episodeData, listEpisodes, type EpisodeData } from '../../storage/episodes';
import type { EpisodeRecord } from '../../storage/types';
import { getSamples, querySampleIds } from '../../storage/samples';
import { openVideoFile } from '../../video/videoFrames';
import { pumpToSink, type ExportSink } from '../sink';
import { liveExportRows, type LiveExportRows } from './liveEpisodeSource';
import { pathsPerFrame, type SegmentPath } from '../../formats/lerobot/pathFeature';
import { chooseVideoCodec, Mp4FileWriter, probePixelFormat } from './videoWriter';
import { leRobotFiles, type EpisodeToWrite, type VideoEncoding } from './writeEpisodes';
import { makeStoredZip } from '../../formats/zip/zipWriter';

/** Where an episode's frames are: a stored video (imported episodes) or one image per frame (live recordings). */
export type PlannedFrames =
  | { kind: 'video'; videoAssetId: string; fileName: string; fromTimestamp: number }
  | { kind: 'images'; assetIds: string[] };

/** One episode as the exporter writes it, whichever way it was made. */
export interface PlannedEpisode extends EpisodeToWrite {
  id: string;
  frames: PlannedFrames;
}

export interface LeRobotPlan {
  datasetId: string;
  datasetName: string;
  episodes: PlannedEpisode[];
  skipped: { episodeId: string; task: string; reason: string }[];
  /** Episodes of the dataset by outcome, and those the filter leaves out (outcome or task). */
  byOutcome: Record<Outcome, number>;
  filteredOut: number;
  totalFrames: number;
  /** Frames that have a path (the rest get path_valid = false and the plain frame as overlay). */
  framesWithPath: number;
}

/** The camera key live recordings are exported under (the simulator's LeRobot writer uses the same). */
export const LIVE_CAMERA_KEY = 'observation.images.front';

const row = (flat: ArrayLike<number>, width: number, i: number) => Array.prototype.slice.call(flat, i * width, (i + 1) * width) as number[];

function importedEpisode(e: EpisodeRecord, data: EpisodeData, segments: SegmentPath[]): PlannedEpisode | string {
  const frames = data.frames[0];
  if (!data.length) return 'has no frames';
  if (!frames?.videoAssetId) return 'has no stored video (the file was too large to keep; re-import it with its video)';
  const sw = data.stateNames.length, aw = data.actionNames.length;
  return {
    id: e.id, task: e.task, length: data.length, fps: data.fps, width: frames.width, height: frames.height, camera: frames.camera,
    stateNames: data.stateNames, actionNames: data.actionNames,
    state: (i) => row(data.states, sw, i), action: (i) => row(data.actions, aw, i),
    frames: { kind: 'video', videoAssetId: frames.videoAssetId, fileName: frames.fileName, fromTimestamp: frames.fromTimestamp },
    segments, provenance: { source_episode_id: e.id, source: data.source, success: data.success },
  };
}

async function liveEpisode(e: EpisodeRecord, rows: LiveExportRows, librarySegments: SegmentPath[]): Promise<PlannedEpisode | string> {
  let { width, height } = rows.camera ?? { width: 0, height: 0 };
  if (!width || !height) {
    // Older recordings without CameraInfo: the frame images know their size.
    const asset = await getAsset(rows.frameAssetIds[0]);
    if (!asset) return 'its first frame is missing from storage';
    const bmp = await createImageBitmap(asset.blob);
    ({ width, height } = bmp);
    bmp.close();
  }
  return {
    id: e.id, task: e.task, length: rows.length, fps: rows.fps, width, height, camera: LIVE_CAMERA_KEY,
    stateNames: rows.stateNames, actionNames: rows.actionNames,
    state: (i) => rows.states[i], action: (i) => rows.actions[i],
    frames: { kind: 'images', assetIds: rows.frameAssetIds },
    segments: rows.segments.length ? rows.segments : librarySegments,
    provenance: { source_episode_id: e.id, ...rows.provenance },
  };
}

/**
 * By default every episode with a verdict of success or none goes in (failed and e-stopped runs
 * stay out), with the paths of its samples that are not rejected.
 */
export const DEFAULT_LEROBOT_FILTER: ExportFilter = { statuses: ['draft', 'done', 'reviewed'], sources: ALL_SOURCES, outcomes: ['success', 'none'], task: '' };

export async function planLeRobotExport(datasetId: string, filter: ExportFilter = DEFAULT_LEROBOT_FILTER): Promise<LeRobotPlan> {
  const dataset = await getDataset(datasetId);
  if (!dataset) throw new Error('That dataset no longer exists.');
  const segmentsByEpisode = new Map<string, SegmentPath[]>();
  const ids = await querySampleIds(datasetId);
  for (let i = 0; i < ids.length; i += 500) {
    for (const s of await getSamples(ids.slice(i, i + 500))) {
      const ep = s?.provenance.episodeId;
      // The paths come from the samples the filter keeps (its task text applies to episodes).
      if (!s || !ep || !s.path || s.path.points.length === 0 || !sampleMatches({ ...filter, task: '' }, s)) continue;
      const list = segmentsByEpisode.get(ep) ?? [];
      list.push({ frameStart: s.provenance.frameStart ?? 0, frameEnd: s.provenance.frameEnd ?? Number.MAX_SAFE_INTEGER, path: s.path });
      segmentsByEpisode.set(ep, list);
    }
  }
  const episodes: PlannedEpisode[] = [];
  const skipped: LeRobotPlan['skipped'] = [];
  let first: PlannedEpisode | null = null;
  const byOutcome: Record<Outcome, number> = { success: 0, failure: 0, none: 0 };
  let filteredOut = 0;
  for (const e of await listEpisodes(datasetId)) {
    const outcome = outcomeOf((e.data as { success?: unknown }).success);
    byOutcome[outcome]++;
    if (!filter.outcomes.includes(outcome) || !taskMatches(filter, e.task)) { filteredOut++; continue; }
    const skip = (reason: string) => skipped.push({ episodeId: e.id, task: e.task, reason });
    const librarySegments = segmentsByEpisode.get(e.id) ?? [];
    const imported = episodeData(e);
    const live = imported ? null : liveExportRows(e.data);
    let planned: PlannedEpisode | string;
    if (imported) planned = importedEpisode(e, imported, librarySegments);
    else if (live && 'rows' in live) planned = await liveEpisode(e, live.rows, librarySegments);
    else planned = live?.skip ?? 'is not an imported or recorded episode';
    if (typeof planned === 'string') { skip(planned); continue; }
    if (planned.frames.kind === 'video' && !(await getAsset(planned.frames.videoAssetId))) { skip('its video is missing from storage'); continue; }
    if (!planned.stateNames.length || !planned.actionNames.length) { skip(`has no ${planned.stateNames.length ? 'action' : 'state'} columns; lerobot policies train on observation.state and action`); continue; }
    first ??= planned;
    if (planned.fps !== first.fps || planned.width !== first.width || planned.height !== first.height) { skip(`has ${planned.fps} fps at ${planned.width}×${planned.height}, unlike the first episode (${first.fps} fps at ${first.width}×${first.height}); a LeRobot dataset has one rate and frame size`); continue; }
    if (planned.stateNames.join() !== first.stateNames.join() || planned.actionNames.join() !== first.actionNames.join()) { skip('has other state/action columns than the first episode'); continue; }
    episodes.push(planned);
  }
  const totalFrames = episodes.reduce((n, e) => n + e.length, 0);
  const framesWithPath = episodes.reduce((n, e) => n + pathsPerFrame(e.length, e.segments).filter(Boolean).length, 0);
  return { datasetId, datasetName: dataset.name, episodes, skipped, byOutcome, filteredOut, totalFrames, framesWithPath };
}

export interface LeRobotExportOptions {
  signal?: AbortSignal;
  /** Frames done and the total. */
  onProgress?: (frames: number, total: number) => void;
  framesPerFile?: number;
  /** Top folder inside the zip. */
  folder: string;
}

/** The episode's frames as bitmaps, in order, exactly `ep.length` of them (the caller closes each). */
async function* episodeBitmaps(ep: PlannedEpisode): AsyncGenerator<ImageBitmap> {
  const f = ep.frames;
  if (f.kind === 'images') {
    for (const id of f.assetIds) {
      const asset = await getAsset(id);
      if (!asset) throw new Error(`A frame of episode "${ep.task}" is missing from storage (asset ${id.slice(0, 12)}…).`);
      yield await createImageBitmap(asset.blob);
    }
    return;
  }
  const asset = await getAsset(f.videoAssetId);
  if (!asset) throw new Error(`The video of episode "${ep.task}" is missing from storage.`);
  const video = await openVideoFile(asset.blob, f.fileName);
  try {
    // Half a frame after the nominal time, as the importer reads them: rounding never picks the previous frame.
    const times = Array.from({ length: ep.length }, (_, i) => f.fromTimestamp + (i + 0.5) / ep.fps);
    let n = 0;
    for await (const bitmap of video.framesAt(times)) {
      n++;
      yield bitmap;
    }
    if (n !== ep.length) throw new Error(`The video of episode "${ep.task}" (${f.fileName}) has ${n} frames where ${ep.length} were expected.`);
  } finally {
    video.close();
  }
}

async function* leRobotEntries(plan: LeRobotPlan, o: LeRobotExportOptions) {
  const { width, height } = plan.episodes[0];
  const chosen = await chooseVideoCodec(width, height);
  const video: VideoEncoding = {
    lerobotName: chosen.lerobotName,
    create: (w, h, fps) => Mp4FileWriter.create(w, h, fps, chosen.codec),
    pixelFormat: probePixelFormat,
  };
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  async function* frames(ep: PlannedEpisode) {
    for await (const bitmap of episodeBitmaps(ep)) {
      ctx.drawImage(bitmap, 0, 0, width, height);
      bitmap.close();
      yield ctx.getImageData(0, 0, width, height).data;
    }
  }
  const now = new Date();
  for await (const f of leRobotFiles(plan.episodes, {
    video, frames, source: { dataset: plan.datasetName, dataset_id: plan.datasetId },
    framesPerFile: o.framesPerFile, signal: o.signal, onFrame: (done) => o.onProgress?.(done, plan.totalFrames),
  })) yield { name: `${o.folder}/${f.path}`, data: f.data, lastModified: now };
}

/** Writes the LeRobot zip into `sink`; returns the bytes written. Cancel or failure discards the file. */
export async function writeLeRobotZip(plan: LeRobotPlan, sink: ExportSink, o: LeRobotExportOptions): Promise<number> {
  if (!plan.episodes.length) throw new Error('No episode can be exported (see the list of skipped episodes).');
  return pumpToSink(makeStoredZip(leRobotEntries(plan, o)), sink, { signal: o.signal });
}
