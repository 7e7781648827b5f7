/**
 * IndexedDB sink for live recordings: each chunk is one small transaction (frames into `assets`,
 * keyed by SHA-256 like every image; steps appended to the episode record), so a crash keeps the
 * episode up to the last chunk. Finishing marks it complete and adds one Library sample (first
 * frame + the path the run followed), so recorded runs show up and export like other episodes.
 *
 * The recorder (src/robot) only knows the `EpisodeSink` interface; this is the one place that
 * writes live episodes to the database.
 */
import { projectEpisodePath } from '../robot/cameraGeometry';
import { LIVE_EPISODE_FORMAT, type InterventionSegment, type LiveEpisodeData, type LivePathEntry } from '../robot/liveEpisode';
import type { EpisodeFinish, EpisodeHeader, EpisodeSink, StepChunk } from '../robot/recorder';
import type { Vec3 } from '../robot/types';
import { createDataset, listDatasets } from './datasets';
import { storedAssetIds } from './assets';
import { getDb } from './db';
import { guardedWrite } from './errors';
import { sha256Hex } from './hash';
import { newId } from './ids';
import { addSamplesWithAssets } from './samples';
import type { AssetRecord, EpisodeRecord } from './types';

export const LIVE_DATASET_NAME = 'Live recordings';

/** The dataset live runs go into by default (created on first use). */
export async function liveDatasetId(): Promise<string> {
  const existing = (await listDatasets()).find((d) => d.name === LIVE_DATASET_NAME && d.deletedAt === undefined);
  return existing ? existing.id : (await createDataset(LIVE_DATASET_NAME)).id;
}

const mimeOf = (format: string) => (/png/i.test(format) ? 'image/png' : 'image/jpeg');

export class IndexedDbEpisodeSink implements EpisodeSink {
  /** frame seq → asset id, for the episode being written. */
  private readonly frameAssets = new Map<number, string>();
  private datasetId = '';

  async begin(datasetId: string, header: EpisodeHeader): Promise<string> {
    const db = getDb();
    this.datasetId = datasetId;
    this.frameAssets.clear();
    const data: LiveEpisodeData = {
      ...header, format: LIVE_EPISODE_FORMAT, status: 'recording', frames: [], states: [], actions: [], timestamps: [], sources: [], latencyMs: [],
      paths: [], interventions: [], success: null, outcomeBy: null,
    };
    const record: EpisodeRecord = { id: newId(), datasetId, task: header.instruction, data: data as unknown as Record<string, unknown>, createdAt: Date.now() };
    await guardedWrite('start the recording', () => db.episodes.add(record));
    return record.id;
  }

  async append(episodeId: string, chunk: StepChunk, paths: LivePathEntry[], interventions: InterventionSegment[]): Promise<void> {
    const db = getDb();
    const camera = await this.cameraSize(episodeId);
    const assets: AssetRecord[] = [];
    for (const f of chunk.frames) {
      // No CRC-32 here: this runs beside the control loop at the camera's rate, and a recorded frame
      // reaches a ZIP export rarely (it is then read and checksummed there).
      const id = await sha256Hex(f.data);
      this.frameAssets.set(f.seq, id);
      assets.push({ id, blob: new Blob([f.data as Uint8Array<ArrayBuffer>], { type: mimeOf(f.format) }), mime: mimeOf(f.format), size: f.data.byteLength, width: camera.width, height: camera.height, createdAt: Date.now() });
    }
    await guardedWrite('save the recording', () =>
      db.transaction('rw', [db.assets, db.episodes], async () => {
        const existing = await storedAssetIds(assets.map((a) => a.id));
        await db.assets.bulkPut(assets.filter((a) => !existing.has(a.id)));
        const ep = await db.episodes.get(episodeId);
        if (!ep) throw new Error('the episode being recorded was deleted');
        const d = ep.data as unknown as LiveEpisodeData;
        d.frames.push(...chunk.frameSeqs.map((s) => this.frameAssets.get(s) ?? ''));
        d.states.push(...chunk.states);
        d.actions.push(...chunk.actions);
        d.timestamps.push(...chunk.timestamps);
        d.sources.push(...chunk.sources);
        d.latencyMs.push(...chunk.latencyMs);
        d.paths = paths;
        d.interventions = interventions;
        await db.episodes.put(ep);
      }),
    );
  }

  async finish(episodeId: string, finish: EpisodeFinish): Promise<void> {
    const db = getDb();
    const ep = await db.episodes.get(episodeId);
    if (!ep) return;
    const d = ep.data as unknown as LiveEpisodeData;
    Object.assign(d, { status: 'complete', success: finish.success, outcomeBy: finish.outcomeBy, endReason: finish.endReason, metrics: finish.metrics, endedAt: Date.now() });
    await guardedWrite('finish the recording', () => db.episodes.put(ep));
    const firstFrame = d.frames.find(Boolean);
    if (!firstFrame) return;
    // The Library sample: the first frame, the instruction and the path the robot followed.
    const path = d.paths.at(-1)?.path ?? (d.camera?.worldToCamera
      ? projectEpisodePath(d.states.map((s) => s.slice(0, 3) as Vec3), d.actions.map((a) => a[3]), d.camera.K.flat(), d.camera.worldToCamera.flat(), d.camera.width, d.camera.height)
      : null);
    const [sample] = await addSamplesWithAssets(this.datasetId || ep.datasetId, [], [{
      assetId: firstFrame, instruction: d.instruction, path, source: 'episode', status: 'draft',
      provenance: { episodeId, frameStart: 0, frameEnd: d.frames.length - 1, note: `live ${d.mode} run on ${d.robot.name}${d.success === null ? '' : d.success ? ' — success' : ' — failure'}` },
    }]);
    d.sampleId = sample.id;
    await guardedWrite('finish the recording', () => db.episodes.update(episodeId, { data: d as unknown as Record<string, unknown> }));
  }

  private async cameraSize(episodeId: string): Promise<{ width: number; height: number }> {
    const ep = await getDb().episodes.get(episodeId);
    const cam = (ep?.data as unknown as LiveEpisodeData | undefined)?.camera;
    return { width: cam?.width ?? 0, height: cam?.height ?? 0 };
  }
}

/** Live episodes, newest first (the console's recent list). */
export async function listLiveEpisodes(limit = 20): Promise<EpisodeRecord[]> {
  const all = await getDb().episodes.orderBy('createdAt').reverse().limit(limit * 3).toArray();
  return all.filter((e) => (e.data as { format?: string }).format === LIVE_EPISODE_FORMAT).slice(0, limit);
}

/** The operator's verdict on a finished episode (when the robot has no success topic). */
export async function setEpisodeVerdict(episodeId: string, success: boolean): Promise<void> {
  const db = getDb();
  await guardedWrite('save the verdict', () =>
    db.transaction('rw', db.episodes, async () => {
      const ep = await db.episodes.get(episodeId);
      if (!ep) return;
      const d = ep.data as unknown as LiveEpisodeData;
      d.success = success;
      d.outcomeBy = 'operator';
      await db.episodes.put(ep);
    }),
  );
}
