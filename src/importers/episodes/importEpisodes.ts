/**
 * Orchestrates an episode import (runs in the episode import worker): for each chosen episode read
 * the table, compute the end effector (state columns or forward kinematics), project, make paths,
 * grab each segment's first frame and write episode + samples in one transaction. A failure rolls
 * back everything this run wrote; cancelling keeps the episodes already finished.
 */
import { createSHA256 } from 'hash-wasm';
import type { Vec3 } from '../../core/camera/projection';
import type { BagImportOptions } from '../../formats/rosbag2/options';
import { makeCalibration, type EpisodeCalibrationRecord } from '../../storage/calibrations';
import { createDataset } from '../../storage/datasets';
import { deleteDatasetIfEmpty, rollbackEpisodeWrites, saveEpisodeWithSamples, type EpisodeData, type EpisodeWriteResult, type NewEpisodeSample } from '../../storage/episodes';
import { assetKeys } from '../../storage/hash';
import type { AssetRecord } from '../../storage/types';
import { analyzeEpisode, type Segmentation } from './analyze';
import type { HysteresisOptions } from './gripperEvents';
import { formatIndexRanges, type ColumnRole } from './inspection';
import { endEffectorTrack, type FkPlan } from './kinematics';
import { robotMeshAssets, storedRobotModel, type RobotFiles } from './robotModel';
import type { DatasetFiles, EpisodeSource, EpisodeTable } from './source';

/** `robot`: the URDF folder, stored with the episodes for the player's 3D view. */
export type EeSource = { kind: 'state'; indices: [number, number, number] } | { kind: 'fk'; plan: FkPlan; origin: string; robot?: RobotFiles };
export type CalibrationChoice =
  | { kind: 'metadata' }
  | { kind: 'saved'; id: string; projection: number[]; width: number; height: number };

export interface EpisodeImportOptions {
  /** Target dataset, or null to create one named `newDatasetName` (taken back if the import fails). */
  datasetId: string | null;
  newDatasetName?: string;
  camera: string;
  episodes: number[];
  /** Edited instructions by episode index (default: the dataset's task). */
  instructions: Record<number, string>;
  segmentation: Segmentation;
  /** Explicit cuts per episode, overriding `segmentation` for that episode. */
  cuts: Record<number, number[]>;
  gripperColumn: number | null;
  hysteresis: HysteresisOptions;
  epsilon: number;
  calibration: CalibrationChoice;
  ee: EeSource;
  /** Store the video file(s) as assets so exports can re-read frames (skipped above this size). */
  maxVideoAssetBytes: number;
  /** Column roles the user chose (feature key → role); the worker opens the dataset with them. */
  roles?: Record<string, ColumnRole>;
  /** ROS bags: the choices the screen read the bag with; the worker reads it with the same. */
  bag?: BagImportOptions;
}

export interface EpisodeImportReport {
  datasetId: string;
  episodes: number;
  samples: number;
  cancelled: boolean;
  problems: string[];
}

export class ImportError extends Error {}

/** End-effector positions for one episode from the chosen source. */
export function endEffectorPositions(table: EpisodeTable, ee: EeSource): Vec3[] {
  if (ee.kind === 'fk') return endEffectorTrack(ee.plan, table.states);
  if (table.eePositions) return table.eePositions.map((p) => [p[0], p[1], p[2]]);
  const [a, b, c] = ee.indices;
  return table.states.map((s) => [s[a], s[b], s[c]]);
}

/** Where the end-effector positions come from, in words, for a message about a bad value. */
export function describeEeSource(table: EpisodeTable, ee: EeSource, stateNames: string[]): string {
  if (ee.kind === 'fk') return `forward kinematics (${ee.origin}) of the joint columns`;
  if (table.eePositions) return 'the dataset\'s end-effector column';
  const width = table.states[0]?.length ?? 0;
  const named = ee.indices.map((i) => stateNames[i] ?? `state value ${i}`).join(', ');
  if (ee.indices.some((i) => i >= width)) return `${named}, but this episode's state has ${width} value${width === 1 ? '' : 's'} (no state column such as observation.state?) — choose the end-effector columns in the import step`;
  return named;
}

async function frameAsset(bitmap: ImageBitmap): Promise<AssetRecord> {
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  const scale = Math.min(1, 256 / Math.max(width, height));
  const thumbCanvas = new OffscreenCanvas(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)));
  thumbCanvas.getContext('2d')!.drawImage(bitmap, 0, 0, thumbCanvas.width, thumbCanvas.height);
  bitmap.close();
  // PNG keeps the frame's pixels exactly as decoded (JPEG would add a second generation of loss).
  const [blob, thumbnail] = await Promise.all([canvas.convertToBlob({ type: 'image/png' }), thumbCanvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 })]);
  return { ...(await assetKeys(blob)), blob, mime: 'image/png', size: blob.size, width, height, thumbnail, createdAt: Date.now() };
}

/** SHA-256 of a Blob read in 4 MB slices, so a large video is never held in memory whole. */
export async function streamedSha256(blob: Blob): Promise<string> {
  const hash = await createSHA256();
  hash.init();
  for (let at = 0; at < blob.size; at += 4 << 20) hash.update(new Uint8Array(await blob.slice(at, at + (4 << 20)).arrayBuffer()));
  return hash.digest('hex');
}

export async function importEpisodes(
  source: EpisodeSource,
  files: DatasetFiles | null,
  opts: EpisodeImportOptions,
  progress: (done: number, total: number) => void = () => {},
  signal?: AbortSignal,
): Promise<EpisodeImportReport> {
  const camera = source.cameras.find((c) => c.key === opts.camera);
  if (!camera) throw new ImportError(`The dataset has no camera “${opts.camera}”.`);
  const without = new Set(camera.episodesWithoutFrames ?? (camera.missingFiles.length ? source.episodes.map((e) => e.index) : []));
  const lacking = opts.episodes.filter((i) => without.has(i));
  if (lacking.length && lacking.length === without.size && without.size === source.episodes.length) {
    throw new ImportError(`Camera ${camera.key} has no frames in this folder (missing: ${camera.missingFiles.slice(0, 3).join(', ')}). Pick another camera or add the video files.`);
  }
  if (lacking.length) throw new ImportError(`Camera ${camera.key} has no frames for episode${lacking.length === 1 ? '' : 's'} ${formatIndexRanges(lacking)} (their video files are missing). Untick ${lacking.length === 1 ? 'it' : 'them'} or add the files.`);
  const written: EpisodeWriteResult[] = [];
  let datasetId = opts.datasetId;
  const createdDataset = !datasetId;
  const videoAssets = new Map<string, string | null>();
  const problems: string[] = [];
  let samples = 0;
  progress(0, opts.episodes.length);
  try {
    const robot = opts.ee.kind === 'fk' && opts.ee.robot ? opts.ee.robot : null;
    const robotMeshes = robot ? await robotMeshAssets(robot, streamedSha256) : null;
    if (robotMeshes?.problem) problems.push(robotMeshes.problem);
    for (let k = 0; k < opts.episodes.length; k++) {
      if (signal?.aborted) {
        if (createdDataset && datasetId && !written.length) await deleteDatasetIfEmpty(datasetId);
        return { datasetId: datasetId ?? '', episodes: written.length, samples, cancelled: true, problems };
      }
      const index = opts.episodes[k];
      const summary = source.episodes.find((e) => e.index === index);
      if (!summary) throw new ImportError(`Episode ${index} is not in the dataset.`);
      const label = `${source.name}, episode ${index}`;
      const table = await source.readEpisode(index);

      let calibration: EpisodeCalibrationRecord | undefined;
      let projection: number[], width: number, height: number, calibrationId: string | undefined;
      if (opts.calibration.kind === 'metadata') {
        const cal = source.calibration(opts.camera, index);
        if (!cal) throw new ImportError(`${label}: the dataset stores no calibration for ${opts.camera}. Calibrate the camera by clicks first.`);
        ({ projection, width, height } = cal);
        calibration = makeCalibration({ datasetId: '', camera: opts.camera, projection, width, height, source: 'metadata', sourceName: source.name, episodeIndex: index, label: cal.origin });
      } else {
        ({ projection, width, height } = opts.calibration);
        calibrationId = opts.calibration.id;
      }

      const ee = endEffectorPositions(table, opts.ee);
      const analysis = analyzeEpisode(ee, {
        projection, width, height,
        gripperSignal: opts.gripperColumn === null ? null : table.states.map((s) => s[opts.gripperColumn!]),
        gripperAbsolute: source.gripperIsClosure01,
        hysteresis: opts.hysteresis,
        segmentation: opts.cuts[index] ? { kind: 'cuts', cuts: opts.cuts[index] } : opts.segmentation,
        epsilon: opts.epsilon,
        label,
        eeSource: describeEeSource(table, opts.ee, source.stateNames),
      });
      if (!analysis.ok) throw new ImportError(analysis.error);
      const { segments, paths, states } = analysis.value;

      const reader = await source.frameReader(index, opts.camera);
      if (!reader) throw new ImportError(`${label}: no frames for camera ${opts.camera}.`);
      const assets: AssetRecord[] = [];
      const starts = segments.map((s) => s.start);
      for await (const { bitmap } of reader.frames(starts)) assets.push(await frameAsset(bitmap));
      if (assets.length !== segments.length) throw new ImportError(`${reader.fileName}: could only decode ${assets.length} of ${segments.length} frames for ${label}.`);
      if (assets[0].width !== width || assets[0].height !== height) {
        throw new ImportError(`${reader.fileName}: frames are ${assets[0].width}×${assets[0].height} but the calibration is for ${width}×${height}.`);
      }

      // The video file itself, once per file, so frames stay reachable (export, episode browser).
      const videoBlob = files?.get(reader.fileName);
      if (videoBlob && !videoAssets.has(reader.fileName)) {
        if (videoBlob.size <= opts.maxVideoAssetBytes) {
          const id = await streamedSha256(videoBlob);
          assets.push({ id, blob: videoBlob, mime: 'video/mp4', size: videoBlob.size, width, height, createdAt: Date.now() });
          videoAssets.set(reader.fileName, id);
        } else {
          videoAssets.set(reader.fileName, null);
          problems.push(`${reader.fileName} (${Math.round(videoBlob.size / 1e6)} MB) was not copied into the studio; episodes refer to it by name.`);
        }
      }
      const videoAssetId = videoAssets.get(reader.fileName) ?? undefined;

      const instruction = opts.instructions[index] ?? summary.task;
      const newSamples: NewEpisodeSample[] = segments.map((s, i) => ({ assetId: assets[i].id, instruction, path: paths[i], frameStart: s.start, frameEnd: s.end }));
      const flat = (rows: number[][], width_: number) => {
        const out = new Float32Array(rows.length * width_);
        rows.forEach((r, i) => out.set(r.slice(0, width_), i * width_));
        return out;
      };
      const data: EpisodeData = {
        kind: 'imported-episode',
        source: { format: source.format, name: source.name, episodeIndex: index },
        length: table.states.length,
        fps: source.fps,
        stateNames: source.stateNames,
        actionNames: source.actionNames,
        states: flat(table.states, source.stateNames.length),
        actions: flat(table.actions, source.actionNames.length),
        timestamps: Float64Array.from(table.timestamps),
        eePositions: flat(ee.map((p) => [...p]), 3),
        eeOrigin: opts.ee.kind === 'fk' ? opts.ee.origin : 'state columns',
        frames: [{ camera: opts.camera, videoAssetId, fileName: reader.fileName, fromTimestamp: reader.fromTimestamp, fps: source.fps, width, height }],
        calibrationId,
        gripperClosed: Uint8Array.from(states.map((s) => (s === 'closed' ? 1 : 0))),
        segments,
        success: summary.success ?? (table.success ? table.success[table.success.length - 1] : undefined),
        robot: robot && robotMeshes && opts.ee.kind === 'fk' ? storedRobotModel(robot, robotMeshes.meshes, opts.ee.plan, table.states) : undefined,
      };
      // The meshes go with every episode's write: stored once (by hash), and each write stands alone.
      if (robotMeshes) assets.push(...robotMeshes.assets);
      datasetId ??= (await createDataset(opts.newDatasetName?.trim() || source.name)).id;
      if (calibration) calibration.datasetId = datasetId;
      written.push(await saveEpisodeWithSamples(datasetId, { task: instruction, data, calibration, assets, samples: newSamples }));
      samples += newSamples.length;
      progress(k + 1, opts.episodes.length);
    }
    return { datasetId: datasetId!, episodes: written.length, samples, cancelled: false, problems };
  } catch (e) {
    await rollbackEpisodeWrites(written);
    if (createdDataset && datasetId) await deleteDatasetIfEmpty(datasetId);
    throw e;
  }
}
