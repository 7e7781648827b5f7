/**
 * Thin loader: opens a LeRobot v2.1/v3.0 folder as an EpisodeSource. Parquet through hyparquet
 * (only the needed columns are read), videos through the mediabunny frame reader.
 */
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer } from 'hyparquet';
import type { DatasetFiles, EpisodeSource, EpisodeTable, FrameReader } from '../episodes/source';
import { openVideoFile, type VideoFile } from '../episodes/videoFrames';
import { episodesFromV21, episodesFromV3Rows, tasksFromV3Rows, v3EpisodeColumns, type EpisodeEntry } from './episodesIndex';
import { parseLeRobotInfo } from './info';
import { parseSimCalibration, type SimCalibration } from './simCalibration';

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
    throw new DatasetError(`${path} could not be read as parquet: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function readText(files: DatasetFiles, path: string): Promise<string | null> {
  const blob = files.get(path);
  return blob ? blob.text() : null;
}

const num = (v: unknown) => (typeof v === 'bigint' ? Number(v) : Number(v));
const vec = (v: unknown): number[] => (Array.isArray(v) ? v.map(num) : v instanceof Float32Array || v instanceof Float64Array ? Array.from(v) : [num(v)]);

export interface OpenLeRobotOptions {
  /** Check the video files for decodability and length (browser only; tests in Node skip it). */
  checkVideos?: boolean;
}

/** Opens the dataset; throws DatasetError with a message naming the file for fatal problems. */
export async function openLeRobotDataset(files: DatasetFiles, opts: OpenLeRobotOptions = {}): Promise<EpisodeSource> {
  const infoText = await readText(files, 'meta/info.json');
  if (infoText === null) throw new DatasetError(`No meta/info.json in “${files.name}”: pick the dataset's root folder (the one holding meta/, data/ and videos/).`);
  const parsed = parseLeRobotInfo(infoText);
  if (!parsed.ok) throw new DatasetError(parsed.error);
  const info = parsed.value;

  let entries: EpisodeEntry[];
  if (info.version === 'v3.0') {
    const taskRows = files.get('meta/tasks.parquet') ? await readParquet(files, 'meta/tasks.parquet') : [];
    const epFiles = files.paths().filter((p) => p.startsWith('meta/episodes/') && p.endsWith('.parquet')).sort();
    if (!epFiles.length) throw new DatasetError('meta/episodes/ has no parquet files (LeRobot v3.0 keeps the episode index there).');
    const rows = (await Promise.all(epFiles.map((p) => readParquet(files, p, v3EpisodeColumns(info))))).flat();
    const r = episodesFromV3Rows(info, rows, tasksFromV3Rows(taskRows));
    if (!r.ok) throw new DatasetError(r.error);
    entries = r.value;
  } else {
    const epText = await readText(files, 'meta/episodes.jsonl');
    if (epText === null) throw new DatasetError('meta/episodes.jsonl is missing (LeRobot v2.1 lists its episodes there).');
    const r = episodesFromV21(info, epText, await readText(files, 'meta/tasks.jsonl'));
    if (!r.ok) throw new DatasetError(r.error);
    entries = r.value;
  }
  if (!entries.length) throw new DatasetError('The dataset lists no episodes.');

  const missingData = [...new Set(entries.map((e) => e.dataPath))].filter((p) => !files.get(p));
  if (missingData.length) throw new DatasetError(`Data file${missingData.length > 1 ? 's' : ''} missing: ${missingData.slice(0, 5).join(', ')}${missingData.length > 5 ? ` and ${missingData.length - 5} more` : ''}.`);

  const sim = parseSimCalibration(info.raw);
  if (sim && !sim.ok) throw new DatasetError(sim.error);
  const simCal: SimCalibration | null = sim?.ok ? sim.value : null;

  const problems: string[] = [];
  const cameras = info.cameras.map((c) => {
    const paths = [...new Set(entries.map((e) => e.videos[c.key]?.path).filter((p): p is string => !!p))];
    const missing = paths.filter((p) => !files.get(p));
    const count = paths.length === 1 ? 'video file' : missing.length === paths.length ? `all ${paths.length} video files` : `${missing.length} of ${paths.length} video files`;
    if (missing.length) problems.push(`Camera ${c.key}: ${count} missing (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}); its frames cannot be shown or imported.`);
    if (c.storage === 'image') problems.push(`Camera ${c.key} stores images inside parquet; only video cameras are read.`);
    return { key: c.key, width: c.width, height: c.height, codec: c.codec, missingFiles: c.storage === 'image' ? ['(images in parquet)'] : missing };
  });

  const dataCache = new Map<string, Promise<Record<string, unknown>[]>>();
  const videoCache = new Map<string, Promise<VideoFile>>();
  const dataColumns = ['observation.state', 'action', 'timestamp', 'episode_index', 'frame_index', 'next.success'];

  const source: EpisodeSource = {
    format: info.version === 'v3.0' ? 'lerobot-v3.0' : 'lerobot-v2.1',
    name: files.name,
    fps: info.fps,
    robotType: info.robotType,
    stateNames: info.stateNames,
    actionNames: info.actionNames,
    cameras,
    episodes: entries.map((e) => ({ index: e.index, task: e.task, length: e.length, success: simCal?.episodes.find((s) => s.index === e.index)?.success })),
    problems,
    eeStateIndices: simCal && simCal.eeFeature === 'observation.state' ? simCal.eeIndices : eeIndicesFromNames(info.stateNames),
    gripperIsClosure01: !!simCal,
    calibration(camera, episode) {
      const cam = simCal?.cameras[camera];
      const projection = cam?.perEpisode[episode];
      return cam && projection ? { projection, width: cam.width, height: cam.height, origin: 'simulator metadata (meta/info.json → path_studio)' } : null;
    },
    async readEpisode(index) {
      const entry = entries.find((e) => e.index === index);
      if (!entry) throw new DatasetError(`Episode ${index} is not in the dataset.`);
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
        states: mine.map((r) => vec(r['observation.state'])),
        actions: mine.map((r) => (r.action === undefined ? [] : vec(r.action))),
        timestamps: mine.map((r) => num(r.timestamp)),
        success: info.features['next.success'] ? mine.map((r) => !!r['next.success']) : null,
      };
      return table;
    },
    async frameReader(episode, camera) {
      const entry = entries.find((e) => e.index === episode);
      const ref = entry?.videos[camera];
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
    if (cam.missingFiles.length) continue;
    // Opening the reader for every episode checks decodability and each file's length.
    for (const ep of source.episodes) await source.frameReader(ep.index, cam.key);
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
