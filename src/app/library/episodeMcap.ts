/**
 * "Save as MCAP" for an episode in the Library, headless: reads the episode record (a live
 * recording or an imported episode), its frame assets, calibration and paths with
 * `readStoredEpisode` (the episode player reads through it too, so its errors say nothing of
 * MCAP), writes them with `writeEpisodeMcap` (src/formats/mcap/writer.ts, topics in
 * docs/ROSBAG.md) and saves the file through the export sink (a file the user picks, or a download).
 *
 * - Live recording: every recorded frame, states and timestamps per step, the end effector from
 *   the state's first three values (ee.x/y/z, as the recorder stores them), K and world→camera
 *   from the robot's camera, and each path the run followed from the step it was first used.
 * - Imported episode: the states, timestamps and end-effector positions of every frame; one frame
 *   per sample (the sample's first frame, as stored) with its path and instruction; the
 *   calibration the import used.
 */
import { flattenMatrix, projectionFromIntrinsics } from '../../core/camera/projection';
import type { Path } from '../../core/path';
import { openSink, type ExportSink } from '../../exporters/sink';
import type { McapEpisode } from '../../formats/mcap/writer';
import { isLiveEpisode, type LiveEpisodeData } from '../../robot/liveEpisode';
import { getAsset } from '../../storage/assets';
import { getCalibration } from '../../storage/calibrations';
import { getDataset } from '../../storage/datasets';
import { episodeData, getEpisode, listEpisodes } from '../../storage/episodes';
import { getSamples, querySampleIds } from '../../storage/samples';
import type { EpisodeRecord, SampleRecord } from '../../storage/types';

/** The stored episode cannot be read (deleted, unknown layout, a frame image gone). */
export class EpisodeReadError extends Error {}
export class EpisodeMcapError extends Error {}

/** One line for the Library's episode list. */
export interface EpisodeListing {
  id: string;
  kind: 'live' | 'imported';
  task: string;
  steps: number;
  /** Frames that go into the MCAP. */
  frames: number;
  label: string;
}

const rows = (flat: ArrayLike<number>, n: number, width: number): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, j) => Number(flat[i * width + j])));

async function assetBytes(id: string, what: string): Promise<Uint8Array> {
  const a = await getAsset(id);
  if (!a) throw new EpisodeReadError(`${what}: its image (asset ${id.slice(0, 12)}…) is no longer in the studio, so the episode cannot be read whole. Open /recovery to check the database.`);
  return new Uint8Array(await a.blob.arrayBuffer());
}

/** JPEG (FF D8 FF) or PNG (89 'PNG'), by their first bytes. */
const isJpegOrPng = (b: Uint8Array) => (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) || (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47);

async function episodeSamples(e: EpisodeRecord): Promise<SampleRecord[]> {
  const ids = await querySampleIds(e.datasetId, { source: 'episode' });
  return (await getSamples(ids)).filter((s): s is SampleRecord => !!s && s.provenance.episodeId === e.id).sort((a, b) => (a.provenance.frameStart ?? 0) - (b.provenance.frameStart ?? 0));
}

async function liveEpisode(e: EpisodeRecord, d: LiveEpisodeData): Promise<McapEpisode> {
  const frames: McapEpisode['frames'] = [];
  for (let i = 0; i < d.frames.length; i++) if (d.frames[i]) frames.push({ step: i, data: await assetBytes(d.frames[i], `step ${i} of the recording`) });
  const cam = d.camera;
  let paths: McapEpisode['paths'] = d.paths.map((p) => ({ step: Math.min(Math.max(0, p.atStep), d.states.length - 1), instruction: d.instruction, path: p.path }));
  if (!paths.length && d.sampleId) {
    // A teleop run follows no path: the Library sample's path (projected from the run) stands for it.
    const [sample] = await getSamples([d.sampleId]);
    if (sample?.path) paths = [{ step: 0, instruction: sample.instruction, path: sample.path }];
  }
  return {
    startTimeNs: BigInt(Math.round(d.startedAt ?? e.createdAt)) * 1_000_000n,
    timestamps: d.timestamps,
    stateNames: d.stateNames,
    states: d.states,
    eePositions: d.states.map((s) => s.slice(0, 3)),
    frames,
    camera: cam?.worldToCamera ? { projection: projectionFromIntrinsics(flattenMatrix(cam.K), flattenMatrix(cam.worldToCamera)), width: cam.width, height: cam.height } : undefined,
    paths,
    library: 'path-studio (live recording)',
  };
}

async function importedEpisode(e: EpisodeRecord): Promise<McapEpisode> {
  const d = episodeData(e)!;
  const samples = await episodeSamples(e);
  const frames: McapEpisode['frames'] = [];
  const paths: { step: number; instruction: string; path: Path }[] = [];
  for (const s of samples) {
    const step = s.provenance.frameStart ?? 0;
    frames.push({ step, data: await assetBytes(s.assetId, `frame ${step} of ${d.source.name} episode ${d.source.episodeIndex}`) });
    if (s.path) paths.push({ step, instruction: s.instruction, path: s.path });
  }
  const cal = d.calibrationId ? await getCalibration(d.calibrationId) : undefined;
  return {
    startTimeNs: BigInt(Math.round(e.createdAt)) * 1_000_000n,
    timestamps: Array.from(d.timestamps),
    stateNames: d.stateNames,
    states: rows(d.states, d.length, d.stateNames.length),
    eePositions: rows(d.eePositions, d.length, 3),
    frames,
    camera: cal ? { projection: cal.projection, width: cal.width, height: cal.height } : undefined,
    paths,
    library: `path-studio (imported from ${d.source.format} ${d.source.name})`,
  };
}

/**
 * The stored episode as rows, frame images, calibration and paths (the shape the MCAP writer
 * takes; the episode player reads it too). Its errors (EpisodeReadError) fit either use.
 */
export async function readStoredEpisode(episodeId: string): Promise<{ record: EpisodeRecord; episode: McapEpisode }> {
  const record = await getEpisode(episodeId);
  if (!record) throw new EpisodeReadError('This episode is no longer in the studio (it was deleted). Reload the page.');
  if (isLiveEpisode(record.data)) {
    const d = record.data;
    if (!d.states.length) throw new EpisodeReadError('This recording has no steps yet: there is nothing in it.');
    return { record, episode: await liveEpisode(record, d) };
  }
  if (episodeData(record)) return { record, episode: await importedEpisode(record) };
  throw new EpisodeReadError('This episode was written in a layout the studio does not know, so the studio cannot read it.');
}

/** A file name from the dataset and episode (letters, digits, - and _). */
export function mcapFileName(datasetName: string, record: EpisodeRecord): string {
  const slug = (s: string) => s.normalize('NFKD').replace(/[^\w-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60);
  const d = episodeData(record);
  const which = d ? `episode_${d.source.episodeIndex}` : new Date(record.createdAt).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return `${slug(datasetName) || 'episode'}-${which}.mcap`;
}

export interface SavedMcap {
  fileName: string;
  bytes: number;
  frames: number;
  steps: number;
}

/**
 * Writes the episode as MCAP and saves it where the user picks (must run in a click handler:
 * the file picker needs the gesture). Null when the user closed the picker.
 */
export async function saveEpisodeAsMcap(episodeId: string, open: (name: string, mime: string, ext: string) => Promise<ExportSink | null> = openSink): Promise<SavedMcap | null> {
  const record = await getEpisode(episodeId);
  const dataset = record ? await getDataset(record.datasetId) : undefined;
  const fileName = record ? mcapFileName(dataset?.name ?? '', record) : 'episode.mcap';
  // The picker opens first, while the click's user activation is still valid.
  const sink = await open(fileName, 'application/octet-stream', 'mcap');
  if (!sink) return null;
  try {
    const { episode } = await readStoredEpisode(episodeId);
    const odd = episode.frames.find((f) => !isJpegOrPng(f.data));
    if (odd) throw new EpisodeMcapError(`The image of step ${odd.step} is neither JPEG nor PNG; an MCAP CompressedImage holds JPEG or PNG.`);
    // The MCAP writer and its ROS message libraries load on first use, not with the Library.
    const { writeEpisodeMcap } = await import('../../formats/mcap/writer');
    const bytes = await writeEpisodeMcap(episode);
    await sink.write(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    await sink.close();
    return { fileName: sink.name, bytes: bytes.byteLength, frames: episode.frames.length, steps: episode.states.length };
  } catch (e) {
    await sink.abort();
    throw e;
  }
}

/** The dataset's episodes for the Library's list, oldest first. */
export async function listEpisodesForMcap(datasetId: string): Promise<EpisodeListing[]> {
  const out: EpisodeListing[] = [];
  const episodes = await listEpisodes(datasetId);
  const perEpisode = new Map<string, number>();
  if (episodes.some((e) => episodeData(e))) {
    for (const s of await getSamples(await querySampleIds(datasetId, { source: 'episode' }))) {
      const id = s?.provenance.episodeId;
      if (id) perEpisode.set(id, (perEpisode.get(id) ?? 0) + 1);
    }
  }
  for (const e of episodes) {
    if (isLiveEpisode(e.data)) {
      const d = e.data;
      out.push({ id: e.id, kind: 'live', task: d.instruction, steps: d.states.length, frames: d.frames.filter(Boolean).length, label: `live ${d.mode} run${d.status === 'recording' ? ' (incomplete)' : ''}` });
    } else {
      const d = episodeData(e);
      if (!d) continue;
      out.push({ id: e.id, kind: 'imported', task: e.task, steps: d.length, frames: perEpisode.get(e.id) ?? 0, label: `${d.source.name} episode ${d.source.episodeIndex}` });
    }
  }
  return out;
}
