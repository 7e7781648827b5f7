/**
 * Loader: a LeRobot v2.0/v2.1/v3.0 folder as it comes from the hub (whole, a subset, or with its
 * folders renamed) as an inspection and an EpisodeSource. Parquet through hyparquet (only the
 * needed columns are read), videos through the mediabunny frame reader.
 */
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer } from 'hyparquet';
import { codecFromFourcc, formatIndexRanges, type ColumnRole, type DatasetInspection, type InspectedCamera } from '../episodes/inspection';
import { makeLocator } from '../episodes/locate';
import type { CameraDescription, DatasetFiles, EpisodeSource, EpisodeTable, FrameReader } from '../episodes/source';
import { openVideoFile, type VideoFile } from '../../video/videoFrames';
import { sampleEntryFourccs } from '../../video/sniffCodec';
import { datasetColumns, offsetOfRole, vectorLayouts, type VectorLayout } from './columns';
import { episodesFromV21, episodesFromV3Rows, tasksFromV3Rows, v3EpisodeColumns, type EpisodeEntry, type EpisodeVideoRef } from '../../formats/lerobot/episodesIndex';
import { flatNames, parseLeRobotInfo, type LeRobotInfo } from '../../formats/lerobot/info';
import { parseSimCalibration, type SimCalibration } from './simCalibration';
import { errorMessage } from '../../core/errorMessage';

export class DatasetError extends Error {}

function asyncBuffer(blob: Blob): AsyncBuffer {
  return { byteLength: blob.size, slice: (start, end) => blob.slice(start, end).arrayBuffer() };
}

/** Reads the wanted columns that the file has (writers differ in which optional columns they keep). */
async function readParquet(files: DatasetFiles, path: string, columns?: string[]): Promise<Record<string, unknown>[]> {
  const blob = files.get(path);
  if (!blob) throw new DatasetError(`${path} is missing from the folder.`);
  try {
    const file = asyncBuffer(blob);
    const metadata = await parquetMetadataAsync(file);
    const present = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
    return await parquetReadObjects({ file, metadata, columns: columns?.filter((c) => present.has(c)) });
  } catch (e) {
    throw new DatasetError(`${path} could not be read as parquet: ${errorMessage(e)}`);
  }
}

async function readText(files: DatasetFiles, path: string): Promise<string | null> {
  const blob = files.get(path);
  return blob ? blob.text() : null;
}

const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : Number(v));

export interface OpenLeRobotOptions {
  /** Check the video files for decodability and length (browser only; tests in Node skip it). */
  checkVideos?: boolean;
  /** Column roles chosen by the user (feature key → role), overriding the detected ones. */
  roles?: Record<string, ColumnRole>;
}

/** An episode that is on disk, with its files where they were found. */
interface PresentEntry extends EpisodeEntry {
  /** Camera key → null when the camera's file for this episode is missing. */
  found: Record<string, EpisodeVideoRef | null>;
}

interface Scan {
  info: LeRobotInfo;
  entries: PresentEntry[];
  inspection: DatasetInspection;
  state: VectorLayout;
  action: VectorLayout;
  simCal: SimCalibration | null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "a → b" for the first moved file, and how many more. */
function movedNote(moved: [string, string][]): string {
  return `${moved[0][0]} → ${moved[0][1]}${moved.length > 1 ? ` (and ${moved.length - 1} more)` : ''}`;
}

/** Codec of an MP4 video track from its sample entry (the `moov` box sits at either end of the file). */
async function sniffVideoCodec(blob: Blob): Promise<string | null> {
  const span = 1 << 20;
  const head = new Uint8Array(await blob.slice(0, span).arrayBuffer());
  const tail = blob.size > span ? new Uint8Array(await blob.slice(Math.max(span, blob.size - span)).arrayBuffer()) : new Uint8Array(0);
  const audio = new Set(['mp4a', 'ac-3', 'ec-3', 'Opus', 'fLaC', 'alac', 'tx3g', 'text', 'wvtt']);
  const fourcc = [...sampleEntryFourccs(head), ...sampleEntryFourccs(tail)].find((f) => !audio.has(f));
  return fourcc ? codecFromFourcc(fourcc) : null;
}

/** Reads meta/, finds what is on disk and where, and describes it; throws DatasetError only when nothing can be read. */
async function scanLeRobot(files: DatasetFiles, roles: Record<string, ColumnRole> = {}): Promise<Scan> {
  const infoText = await readText(files, 'meta/info.json');
  if (infoText === null) throw new DatasetError(`No meta/info.json in “${files.name}”: pick the dataset's root folder (the one holding meta/, data/ and videos/).`);
  const parsed = parseLeRobotInfo(infoText);
  if (!parsed.ok) throw new DatasetError(parsed.error);
  const info = parsed.value;

  let listed: EpisodeEntry[];
  if (info.version === 'v3.0') {
    const taskRows = files.get('meta/tasks.parquet') ? await readParquet(files, 'meta/tasks.parquet') : [];
    const epFiles = files.paths().filter((p) => p.startsWith('meta/episodes/') && p.endsWith('.parquet')).sort();
    if (!epFiles.length) throw new DatasetError('meta/episodes/ has no parquet files (LeRobot v3.0 keeps the episode index there).');
    const rows = (await Promise.all(epFiles.map((p) => readParquet(files, p, v3EpisodeColumns(info))))).flat();
    const r = episodesFromV3Rows(info, rows, tasksFromV3Rows(taskRows));
    if (!r.ok) throw new DatasetError(r.error);
    listed = r.value;
  } else {
    const epText = await readText(files, 'meta/episodes.jsonl');
    if (epText === null) throw new DatasetError(`meta/episodes.jsonl is missing (LeRobot ${info.version} lists its episodes there).`);
    const r = episodesFromV21(info, epText, await readText(files, 'meta/tasks.jsonl'));
    if (!r.ok) throw new DatasetError(r.error);
    listed = r.value;
  }
  if (!listed.length) throw new DatasetError('The dataset lists no episodes.');

  const problems: string[] = [];
  const locate = makeLocator(files);

  // Episodes whose data file is on disk (possibly found by name elsewhere); the rest are named once.
  const dataFound = new Map<string, string | null>();
  const movedData: [string, string][] = [];
  for (const p of new Set(listed.map((e) => e.dataPath))) {
    const at = locate(p);
    dataFound.set(p, at?.path ?? null);
    if (at?.moved) movedData.push([p, at.path]);
  }
  const absent = listed.filter((e) => !dataFound.get(e.dataPath)).map((e) => e.index);
  const presentListed = listed.filter((e) => dataFound.get(e.dataPath));
  if (!presentListed.length) {
    const missing = [...new Set(listed.map((e) => e.dataPath))];
    throw new DatasetError(`None of the ${plural(listed.length, 'episode')} listed in meta/ has its data file in this folder (${plural(missing.length, 'data file')} missing: ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}). Download the data/ folder too, or pick the dataset's root folder.`);
  }
  if (absent.length) problems.push(`${absent.length} of ${listed.length} episodes listed in meta/ are not in this folder: ${formatIndexRanges(absent)}. The ${plural(presentListed.length, 'episode')} on disk can be imported.`);
  if (movedData.length) problems.push(`Data files are not where meta/info.json's data_path puts them; found by name: ${movedNote(movedData)}.`);

  const sim = parseSimCalibration(info.raw);
  if (sim && !sim.ok) throw new DatasetError(sim.error);
  const simCal: SimCalibration | null = sim?.ok ? sim.value : null;

  // Columns and their roles; nothing is left out without a word.
  const columns = datasetColumns(info.features, roles);
  for (const c of columns) {
    const f = info.features[c.key];
    const given = flatNames(f.names);
    if (c.role !== 'camera' && given && given.length && given.length !== c.names.length) {
      problems.push(`Column ${c.key}: meta/info.json gives ${plural(given.length, 'name')} for ${plural(c.names.length, 'value')}; they are called ${c.names[0]}…${c.names[c.names.length - 1]}.`);
    }
  }
  const unused = columns.filter((c) => c.role === 'ignore' && /^(float|int|uint|bool|double)/.test(c.dtype));
  if (unused.length) problems.push(`${plural(unused.length, 'column')} not used (unknown name${unused.length === 1 ? '' : 's'}): ${unused.map((c) => `${c.key} (${plural(c.names.length, 'value')})`).join(', ')}. Set a role in the column table to use ${unused.length === 1 ? 'it' : 'them'}.`);
  const { state, action } = vectorLayouts(columns);
  const numeric = columns.filter((c) => c.role !== 'camera' && c.role !== 'index').map((c) => c.key);
  if (!state.parts.length) problems.push(`No state column found (looked for observation.state, state, observation.state.*, observation.eef_*…; the dataset has ${numeric.join(', ') || 'no numeric columns'}). Set a role in the column table.`);
  if (!action.parts.length) problems.push(`No action column found (looked for action, actions, action.*; the dataset has ${numeric.join(', ') || 'no numeric columns'}).`);

  // Cameras: each episode's file, found where the template says or by name elsewhere.
  const entries: PresentEntry[] = presentListed.map((e) => ({ ...e, dataPath: dataFound.get(e.dataPath)!, found: {} }));
  const cameras: InspectedCamera[] = [];
  for (const cam of info.cameras) {
    if (cam.storage === 'image') {
      problems.push(`Camera ${cam.key} stores images inside parquet; only video cameras are read.`);
      cameras.push({ key: cam.key, codec: null, width: cam.width, height: cam.height, found: [], missing: [], episodesWithout: entries.map((e) => e.index) });
      continue;
    }
    const found = new Set<string>(), missing = new Set<string>(), moved = new Map<string, string>();
    const without: number[] = [];
    for (const e of entries) {
      const ref = e.videos[cam.key];
      const at = ref ? locate(ref.path, cam.key) : null;
      if (!ref || !at) {
        if (ref) missing.add(ref.path);
        without.push(e.index);
        e.found[cam.key] = null;
        continue;
      }
      found.add(at.path);
      if (at.moved) moved.set(ref.path, at.path);
      e.found[cam.key] = { ...ref, path: at.path };
    }
    const total = found.size + missing.size;
    if (moved.size) problems.push(`Camera ${cam.key}: video files are not where meta/info.json's video_path puts them; found by name: ${movedNote([...moved])}.`);
    if (missing.size) {
      const count = total === 1 ? 'video file' : missing.size === total ? `all ${total} video files` : `${missing.size} of ${total} video files`;
      const list = [...missing];
      const effect = without.length === entries.length ? 'its frames cannot be shown or imported' : `episode${without.length === 1 ? '' : 's'} ${formatIndexRanges(without)} ${without.length === 1 ? 'has' : 'have'} no frames from it; the others do`;
      problems.push(`Camera ${cam.key}: ${count} missing (${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''}); ${effect}.`);
    }
    const first = [...found][0];
    cameras.push({ key: cam.key, codec: first ? await sniffVideoCodec(files.get(first)!) : null, width: cam.width, height: cam.height, found: [...found], missing: [...missing], episodesWithout: without });
  }

  const inspection: DatasetInspection = {
    format: 'lerobot',
    version: info.version,
    fps: info.fps,
    episodes: { listed: listed.length, present: entries.length, absent },
    columns,
    cameras,
    problems,
  };
  return { info, entries, inspection, state, action, simCal };
}

/** What the folder holds (episodes on disk, columns and roles, cameras' files), without reading any frame. */
export async function inspectLeRobotDataset(files: DatasetFiles, roles?: Record<string, ColumnRole>): Promise<DatasetInspection> {
  return (await scanLeRobot(files, roles)).inspection;
}

/** Every value of a cell as a flat list of numbers (lists, nested lists, typed arrays, scalars). */
function flatValues(v: unknown, out: number[] = []): number[] {
  if (Array.isArray(v)) for (const x of v) flatValues(x, out);
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) for (const x of Array.from(v as unknown as ArrayLike<number | bigint>)) out.push(Number(x));
  else out.push(num(v));
  return out;
}

/** Opens the dataset; throws DatasetError with a message naming the file for fatal problems. */
export async function openLeRobotDataset(files: DatasetFiles, opts: OpenLeRobotOptions = {}): Promise<EpisodeSource> {
  const { info, entries, inspection, state, action, simCal } = await scanLeRobot(files, opts.roles);

  const cameras: CameraDescription[] = inspection.cameras.map((c) => ({
    key: c.key, width: c.width, height: c.height, codec: c.codec,
    missingFiles: info.cameras.find((x) => x.key === c.key)?.storage === 'image' ? ['(images in parquet)'] : c.missing,
    episodesWithoutFrames: c.episodesWithout,
  }));

  const simEe = simCal ? state.parts.find((p) => p.key === simCal.eeFeature) : undefined;
  const eeOffset = offsetOfRole(inspection.columns, state, 'ee');
  const eeStateIndices: [number, number, number] | null = simCal && simEe
    ? (simCal.eeIndices.map((i) => simEe.offset + i) as [number, number, number])
    : eeOffset !== null ? [eeOffset, eeOffset + 1, eeOffset + 2] : eeIndicesFromNames(state.names);

  const dataCache = new Map<string, Promise<Record<string, unknown>[]>>();
  const videoCache = new Map<string, Promise<VideoFile>>();
  const dataColumns = [...state.parts.map((p) => p.key), ...action.parts.map((p) => p.key), 'timestamp', 'episode_index', 'frame_index', 'next.success'];
  const assemble = (rows: Record<string, unknown>[], layout: VectorLayout, where: string): number[][] => {
    for (const p of layout.parts) {
      if (rows.length && rows[0][p.key] === undefined) throw new DatasetError(`${where} has no column “${p.key}”, which meta/info.json lists. Set its role to “not used” in the column table, or check the file.`);
    }
    const width = layout.names.length;
    return rows.map((r) => {
      const out = new Array<number>(width);
      for (const p of layout.parts) {
        const v = flatValues(r[p.key]);
        for (let i = 0; i < p.width; i++) out[p.offset + i] = v[i] ?? NaN;
      }
      return out;
    });
  };

  const source: EpisodeSource = {
    format: info.version === 'v3.0' ? 'lerobot-v3.0' : info.version === 'v2.0' ? 'lerobot-v2.0' : 'lerobot-v2.1',
    name: files.name,
    fps: info.fps,
    robotType: info.robotType,
    stateNames: state.names,
    actionNames: action.names,
    cameras,
    episodes: entries.map((e) => ({ index: e.index, task: e.task, length: e.length, success: simCal?.episodes.find((s) => s.index === e.index)?.success })),
    problems: inspection.problems,
    inspection,
    eeStateIndices,
    gripperStateIndex: offsetOfRole(inspection.columns, state, 'gripper'),
    gripperIsClosure01: !!simCal,
    calibration(camera, episode) {
      const cam = simCal?.cameras[camera];
      const projection = cam?.perEpisode[episode];
      return cam && projection ? { projection, width: cam.width, height: cam.height, origin: 'simulator metadata (meta/info.json → path_studio)' } : null;
    },
    async readEpisode(index) {
      const entry = entries.find((e) => e.index === index);
      if (!entry) throw new DatasetError(`Episode ${index} is not in this folder.`);
      let rows = dataCache.get(entry.dataPath);
      if (!rows) {
        rows = readParquet(files, entry.dataPath, dataColumns);
        // Keep at most a couple of data files decoded (v3 packs many episodes per file).
        if (dataCache.size > 2) dataCache.delete(dataCache.keys().next().value!);
        dataCache.set(entry.dataPath, rows);
      }
      const all = await rows;
      const mine = all.filter((r) => num(r.episode_index) === index).sort((a, b) => num(a.frame_index) - num(b.frame_index));
      if (mine.length !== entry.length) {
        throw new DatasetError(`${entry.dataPath}: episode ${index} has ${mine.length} rows but meta/episodes says ${entry.length} frames.`);
      }
      const table: EpisodeTable = {
        states: assemble(mine, state, entry.dataPath),
        actions: assemble(mine, action, entry.dataPath),
        timestamps: mine.map((r, i) => (r.timestamp === undefined ? i / info.fps : num(r.timestamp))),
        success: info.features['next.success'] ? mine.map((r) => !!r['next.success']) : null,
      };
      return table;
    },
    async frameReader(episode, camera) {
      const entry = entries.find((e) => e.index === episode);
      const ref = entry?.found[camera];
      if (!entry || !ref) return null;
      const blob = files.get(ref.path);
      if (!blob) return null;
      let video = videoCache.get(ref.path);
      if (!video) {
        video = openVideoFile(blob, ref.path);
        videoCache.set(ref.path, video);
      }
      const v = await video;
      const needEnd = ref.fromTimestamp + entry.length / info.fps;
      if (v.duration + 1.5 / info.fps < needEnd) {
        throw new DatasetError(`${ref.path} is ${v.duration.toFixed(2)} s long but episode ${episode} needs frames up to ${needEnd.toFixed(2)} s (parquet and video lengths disagree).`);
      }
      return episodeFrames(v, ref.fromTimestamp, info.fps);
    },
    close() {
      for (const v of videoCache.values()) void v.then((x) => x.close(), () => undefined);
      videoCache.clear();
      dataCache.clear();
    },
  };
  if (opts.checkVideos) await checkVideos(source);
  return source;
}

/** Opens every present video once: undecodable codecs and short files fail the import up front. */
async function checkVideos(source: EpisodeSource): Promise<void> {
  for (const cam of source.cameras) {
    const without = new Set(cam.episodesWithoutFrames ?? []);
    // Opening the reader for every episode checks decodability and each file's length.
    for (const ep of source.episodes) if (!without.has(ep.index)) await source.frameReader(ep.index, cam.key);
  }
}

/** Columns named like ee.x/ee.y/ee.z or eef_pos_0..2 hold the end effector position. */
export function eeIndicesFromNames(names: string[]): [number, number, number] | null {
  const lower = names.map((n) => n.toLowerCase());
  for (const pattern of [/^(ee|eef|end_effector|tcp)[._]?(pos[._]?)?([xyz])$/, /^(ee|eef|tcp)[._]?pos[._]?([012])$/]) {
    const idx = ['x', 'y', 'z'].map((axis, i) => lower.findIndex((n) => {
      const m = pattern.exec(n);
      return m && (m[m.length - 1] === axis || m[m.length - 1] === String(i));
    }));
    if (idx.every((i) => i >= 0)) return idx as [number, number, number];
  }
  return null;
}

/** Frame i of an episode lives at fromTimestamp + i / fps inside its (maybe concatenated) file. */
function episodeFrames(video: VideoFile, fromTimestamp: number, fps: number): FrameReader {
  // Half a frame later than the nominal time: the reader returns the last frame starting at or
  // before the query, so rounding in stored timestamps never picks the previous frame.
  const time = (i: number) => fromTimestamp + (i + 0.5) / fps;
  return {
    fileName: video.fileName,
    fromTimestamp,
    frame: (i) => video.frameAt(time(i)),
    async *frames(indices) {
      let k = 0;
      for await (const bitmap of video.framesAt(indices.map(time))) yield { index: indices[k++], bitmap };
    },
  };
}
