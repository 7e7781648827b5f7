/**
 * `convert`: a dataset on disk → path-labelled HAMSTER/VILA SFT zip without a browser. Every step
 * is the studio's: the episode readers (openEpisodeSource), the episode → paths analysis
 * (analyzeEpisode with the import screen's defaults), the SFT record and zip layout
 * (src/exporters/hamster), the zip writer and the sink pump. What differs is where the frames and
 * the output go: frames are decoded by ffmpeg (nodeMedia.ts) and each episode's images are
 * streamed straight into the zip, where the studio stores samples in IndexedDB first
 * (importEpisodes) and exports them later — so memory stays flat for thousands of episodes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Projection } from '../core/camera/projection';
import type { Path } from '../core/path';
import { projectionFromIntrinsics } from '../core/camera/projection';
import { SKIP_REASON_TEXT, auditSample } from '../exporters/hamster/audit';
import { exportInfo } from '../exporters/hamster/exportHamster';
import { imageFileName, INFO_FILE, TRAIN_FILE, VALIDATION_FILE } from '../formats/hamster/layout';
import { DEFAULT_HAMSTER_OPTIONS, type HamsterExportOptions, type HamsterPlan } from '../exporters/hamster/plan';
import { sftRecord } from '../formats/hamster/records';
import { validationImages } from '../exporters/hamster/split';
import { pumpToSink, type ExportSink } from '../exporters/sink';
import { makeStoredZip, type ZipInput } from '../formats/zip/zipWriter';
import { analyzeEpisode, gripperColumn, type Segmentation } from '../importers/episodes/analyze';
import { DEFAULT_HYSTERESIS } from '../importers/episodes/gripperEvents';
import { endEffectorPositions, ImportError, type EeSource } from '../importers/episodes/importEpisodes';
import { formatIndexRanges } from '../importers/episodes/inspection';
import type { Segment } from '../importers/episodes/segments';
import type { EpisodeSource, EpisodeSummary, EpisodeTable, FrameReader, MetadataCalibration } from '../importers/episodes/source';
import { encodePng, rgbaOf, type NodeBitmap } from './nodeMedia';
import { CliInputError } from './nodeFiles';

export { ImportError };

export interface ConvertOptions {
  out: string;
  camera?: string;
  /** Episode indices to convert (default: every episode with frames from the camera). */
  episodes?: number[];
  calibration?: { projection: Projection; width: number; height: number; origin: string };
  segmentation: Segmentation;
  epsilon: number;
  validationFraction: number;
  seed: number;
  onEpisode?: (done: number, total: number) => void;
}

export interface ConvertReport {
  file: string;
  episodes: number;
  samples: number;
  images: number;
  bytes: number;
  problems: string[];
}

/** The import screen's default camera: the one with frames for the most episodes. */
function pickCamera(source: EpisodeSource, wanted?: string) {
  if (wanted) {
    const cam = source.cameras.find((c) => c.key === wanted);
    if (!cam) throw new ImportError(`The dataset has no camera “${wanted}”. Its cameras: ${source.cameras.map((c) => c.key).join(', ') || 'none'}.`);
    return cam;
  }
  const without = (c: EpisodeSource['cameras'][number]) => (c.episodesWithoutFrames ?? (c.missingFiles.length ? source.episodes.map((e) => e.index) : [])).length;
  const cam = [...source.cameras].sort((a, b) => without(a) - without(b))[0];
  if (!cam) throw new ImportError(`${source.name} has no camera, so there are no frames to make paths on.`);
  return cam;
}

/**
 * A calibration file: `{"width", "height", "projection": [12 numbers, row-major 3×4]}` or
 * `{"width", "height", "K": 3×3, "worldToCamera": 4×4}` (OpenCV optical frame, metres).
 */
export function readCalibrationFile(file: string): NonNullable<ConvertOptions['calibration']> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliInputError(`--calibration ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not JSON (${(e as Error).message})`}.`);
  }
  const c = raw as { width?: unknown; height?: unknown; projection?: unknown; K?: unknown; worldToCamera?: unknown };
  const bad = (what: string) => new CliInputError(`--calibration ${file}: ${what}. Give {"width", "height", "projection": [12 numbers]} or {"width", "height", "K": [[3×3]], "worldToCamera": [[4×4]]} (docs/CLI.md).`);
  if (!Number.isInteger(c.width) || !Number.isInteger(c.height) || (c.width as number) <= 0 || (c.height as number) <= 0) throw bad('"width" and "height" must be the frame size in pixels');
  let projection: number[];
  try {
    projection = Array.isArray(c.projection) ? (c.projection as unknown[]).flat(1) as number[] : projectionFromIntrinsics(c.K as number[], c.worldToCamera as number[]);
  } catch (e) {
    throw bad(`no usable "projection" or "K" + "worldToCamera" (${(e as Error).message})`);
  }
  if (projection.length !== 12 || !projection.every((v) => typeof v === 'number' && Number.isFinite(v))) throw bad(`"projection" must be 12 finite numbers (3×4, row-major), got ${projection.length}`);
  return { projection, width: c.width as number, height: c.height as number, origin: `calibration file ${file}` };
}

/** Writes to `<file>.partial` and renames it on close, so a failed run never leaves a file that looks complete. */
async function diskSink(file: string): Promise<ExportSink> {
  const partial = `${file}.partial`;
  const fh = await open(partial, 'w');
  return {
    name: file,
    write: async (chunk) => { await fh.write(new Uint8Array(await chunk.arrayBuffer())); },
    close: async () => { await fh.close(); await rename(partial, file); },
    abort: async () => { await fh.close().catch(() => undefined); await rm(partial, { force: true }); },
  };
}

export const fileStem = (s: string) => s.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'dataset';

/** What every conversion settles before the first episode: the camera, the episodes, where the end effector and gripper are. */
export interface ConversionPlan {
  cam: EpisodeSource['cameras'][number];
  episodes: number[];
  ee: EeSource;
  gripper: number | null;
  hysteresis: typeof DEFAULT_HYSTERESIS & { inverted: boolean };
  /** The calibration of the first episode (its width × height is the frames'). */
  firstCal: MetadataCalibration;
  problems: string[];
}

/** Checks the input as the import screen does; throws ImportError with the screen's message. */
export function planConversion(source: EpisodeSource, o: ConvertOptions): ConversionPlan {
  const cam = pickCamera(source, o.camera);
  const without = new Set(cam.episodesWithoutFrames ?? (cam.missingFiles.length ? source.episodes.map((e) => e.index) : []));
  if (without.size === source.episodes.length) {
    throw new ImportError(`Camera ${cam.key} has no frames in this folder (missing: ${cam.missingFiles.slice(0, 3).join(', ')}). Pick another camera or add the video files.`);
  }
  const problems: string[] = [];
  let episodes: number[];
  if (o.episodes) {
    const unknown = o.episodes.filter((i) => !source.episodes.some((e) => e.index === i));
    if (unknown.length) throw new ImportError(`Episode${unknown.length === 1 ? '' : 's'} ${formatIndexRanges(unknown)} ${unknown.length === 1 ? 'is' : 'are'} not in the dataset (it has ${formatIndexRanges(source.episodes.map((e) => e.index))}).`);
    const lacking = o.episodes.filter((i) => without.has(i));
    if (lacking.length) throw new ImportError(`Camera ${cam.key} has no frames for episode${lacking.length === 1 ? '' : 's'} ${formatIndexRanges(lacking)} (their video files are missing). Leave ${lacking.length === 1 ? 'it' : 'them'} out or add the files.`);
    episodes = o.episodes;
  } else {
    episodes = source.episodes.map((e) => e.index).filter((i) => !without.has(i));
    if (without.size) problems.push(`Episodes ${formatIndexRanges([...without])} were left out: camera ${cam.key} has no frames for them.`);
  }
  if (!source.eeStateIndices) {
    throw new ImportError(`${source.name}: no end-effector position among the state columns (${source.stateNames.join(', ') || 'none'}). The studio computes it from a URDF by forward kinematics (Import → Episodes); the command line reads it from state columns (ee.x/ee.y/ee.z, eef_pos…) only.`);
  }
  const firstCal = o.calibration ?? source.calibration(cam.key, episodes[0]);
  if (!firstCal) throw new ImportError(noCalibration(source, cam.key, episodes[0]));
  return {
    cam, episodes, problems, firstCal,
    ee: { kind: 'state', indices: source.eeStateIndices },
    gripper: source.gripperStateIndex ?? gripperColumn(source.stateNames),
    hysteresis: { ...DEFAULT_HYSTERESIS, inverted: !source.gripperIsClosure01 },
  };
}

const noCalibration = (source: EpisodeSource, camera: string, index: number) =>
  `${source.name}, episode ${index}: the dataset stores no calibration for ${camera}. Calibrate the camera by clicks in the studio, or pass --calibration FILE (docs/CLI.md).`;

export interface AnalyzedEpisode {
  index: number;
  summary: EpisodeSummary;
  label: string;
  table: EpisodeTable;
  cal: MetadataCalibration;
  segments: Segment[];
  paths: Path[];
  reader: FrameReader;
}

/** One episode read and turned into segments and paths exactly as the import screen does with its defaults. */
export async function analyzedEpisode(source: EpisodeSource, plan: ConversionPlan, o: ConvertOptions, index: number): Promise<AnalyzedEpisode> {
  const summary = source.episodes.find((e) => e.index === index)!;
  const label = `${source.name}, episode ${index}`;
  const table = await source.readEpisode(index);
  const cal = o.calibration ?? source.calibration(plan.cam.key, index);
  if (!cal) throw new ImportError(noCalibration(source, plan.cam.key, index));
  const gripper = plan.gripper;
  const analysis = analyzeEpisode(endEffectorPositions(table, plan.ee), {
    projection: cal.projection, width: cal.width, height: cal.height,
    gripperSignal: gripper === null ? null : table.states.map((s) => s[gripper]),
    gripperAbsolute: source.gripperIsClosure01,
    hysteresis: plan.hysteresis,
    segmentation: o.segmentation,
    epsilon: o.epsilon,
    label,
  });
  if (!analysis.ok) throw new ImportError(analysis.error);
  const reader = await source.frameReader(index, plan.cam.key);
  if (!reader) throw new ImportError(`${label}: no frames for camera ${plan.cam.key}.`);
  return { index, summary, label, table, cal, segments: analysis.value.segments, paths: analysis.value.paths, reader };
}

/** The frame's RGBA, refused (with the import screen's message) when its size is not the calibration's. */
export function checkedFrame(bitmap: ImageBitmap, ep: AnalyzedEpisode): NodeBitmap {
  const frame = rgbaOf(bitmap);
  if (frame.width !== ep.cal.width || frame.height !== ep.cal.height) {
    throw new ImportError(`${ep.reader.fileName}: frames are ${frame.width}×${frame.height} but the calibration is for ${ep.cal.width}×${ep.cal.height}.`);
  }
  return frame;
}

/** Writes to `<folder>.partial/` and renames it on success; refuses a folder that already exists. */
export async function partialFolder(folder: string): Promise<{ partial: string; commit(): Promise<void>; abort(): Promise<void> }> {
  if (existsSync(folder)) throw new CliInputError(`${folder} already exists. Remove it or pick another --out.`);
  const partial = `${folder}.partial`;
  await rm(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  return {
    partial,
    commit: () => rename(partial, folder),
    abort: () => rm(partial, { recursive: true, force: true }),
  };
}

/** Converts `source` into `<out>/<name>-hamster-sft.zip` (the studio's export file name). */
export async function convertToHamster(source: EpisodeSource, o: ConvertOptions): Promise<ConvertReport> {
  const plan = planConversion(source, o);
  const { episodes, problems } = plan;
  const options: HamsterExportOptions = { ...DEFAULT_HAMSTER_OPTIONS, validationFraction: o.validationFraction, seed: o.seed };

  mkdirSync(o.out, { recursive: true });
  const file = join(o.out, `${fileStem(source.name)}-hamster-sft.zip`);
  // Records are small: kept until the end, when the split is known; images are streamed as made.
  const records: { id: string; image: string; assetId: string; instruction: string; path: Path }[] = [];
  const skipped: HamsterPlan['summary']['skipped'] = [];
  const written = new Set<string>();
  let imageBytes = 0;

  async function* imageEntries(): AsyncGenerator<ZipInput> {
    for (let k = 0; k < episodes.length; k++) {
      const ep = await analyzedEpisode(source, plan, o, episodes[k]);
      const { index, summary, label, segments, paths, reader } = ep;
      let s = 0;
      for await (const { bitmap } of reader.frames(segments.map((seg) => seg.start))) {
        const png = encodePng(checkedFrame(bitmap, ep));
        bitmap.close();
        const assetId = createHash('sha256').update(png).digest('hex');
        const image = imageFileName(assetId, 'image/png');
        const id = `${fileStem(source.name)}-ep${index}-s${s}`;
        const instruction = summary.task;
        const audit = auditSample({ instruction, path: paths[s] });
        if (audit.skip) skipped.push({ sampleId: id, fileName: `${label}, frame ${segments[s].start}`, status: 'done', reason: audit.skip });
        else {
          records.push({ id, image, assetId, instruction, path: paths[s] });
          if (!written.has(assetId)) {
            written.add(assetId);
            imageBytes += png.byteLength;
            yield { name: image, data: png };
          }
        }
        s++;
      }
      if (s !== segments.length) throw new ImportError(`${reader.fileName}: could only decode ${s} of ${segments.length} frames for ${label}.`);
      o.onEpisode?.(k + 1, episodes.length);
    }
  }

  async function* splitJson(split: 'train' | 'validation', val: Set<string>): AsyncGenerator<string> {
    yield '[';
    let first = true;
    for (const r of records) {
      if (val.has(r.assetId) !== (split === 'validation')) continue;
      yield (first ? '\n' : ',\n') + JSON.stringify(sftRecord(r.id, r.image, r.instruction, r.path, options));
      first = false;
    }
    yield '\n]\n';
  }

  async function* entries(): AsyncGenerator<ZipInput> {
    yield* imageEntries();
    const val = validationImages(records.map((r) => r.assetId), options.validationFraction, options.seed);
    const valSamples = records.filter((r) => val.has(r.assetId)).length;
    const now = new Date();
    yield { name: TRAIN_FILE, data: splitJson('train', val), lastModified: now };
    if (valSamples) yield { name: VALIDATION_FILE, data: splitJson('validation', val), lastModified: now };
    const summary: HamsterPlan['summary'] = {
      datasetId: source.name, datasetName: source.name, total: records.length + skipped.length,
      byStatus: { draft: 0, done: records.length + skipped.length, reviewed: 0, rejected: 0 },
      bySource: { image: 0, video: 0, episode: records.length + skipped.length, model: 0, import: 0 },
      included: records.length,
      train: { samples: records.length - valSamples, images: written.size - val.size },
      validation: { samples: valSamples, images: val.size },
      images: written.size, imageBytes, skipped, warnings: [],
    };
    yield { name: INFO_FILE, data: JSON.stringify(exportInfo({ summary, samples: [], assets: [] }, options, now), null, 2) + '\n', lastModified: now };
  }

  const bytes = await pumpToSink(makeStoredZip(entries()), await diskSink(file));
  if (skipped.length) problems.push(`${skipped.length} sample${skipped.length === 1 ? '' : 's'} left out: ${skipped.slice(0, 3).map((s) => `${s.fileName} ${SKIP_REASON_TEXT[s.reason]}`).join('; ')}.`);
  return { file, episodes: episodes.length, samples: records.length, images: written.size, bytes, problems };
}
