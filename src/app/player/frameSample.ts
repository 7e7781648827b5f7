/**
 * "Make a sample at this frame": a draft sample in the episode's dataset whose image is the
 * frame's (its stored asset when the step has one, else the decoded frame stored as a new JPEG
 * asset, as video import stores frames), whose path is the end effector's from this frame on and
 * whose instruction is the episode's task. Written like every imported sample (one transaction).
 */
import type { Path } from '../../core/path';
import { frameToAsset } from '../../importers/video/makeVideoSamples';
import { getAsset } from '../../storage/assets';
import { sha256Hex } from '../../storage/hash';
import { addSamplesWithAssets } from '../../storage/samples';
import type { AssetRecord, SampleRecord } from '../../storage/types';
import type { FrameImages } from './episodeFrames';
import { segmentAt } from './episodeTrack';
import type { PlayerEpisode } from './playerEpisode';

/** The stored asset holding the step's image (assets are keyed by the SHA-256 of their bytes), if it is still there. */
async function storedAssetId(episode: PlayerEpisode, step: number): Promise<string | null> {
  const bytes = episode.storedFrames.get(step);
  if (!bytes) return null;
  const id = await sha256Hex(bytes);
  return (await getAsset(id)) ? id : null;
}

/** The step's image as an asset: the stored one when it is there, else the decoded frame as a new asset (to be written with its sample). */
export async function frameAsset(episode: PlayerEpisode, frames: FrameImages, step: number): Promise<{ assetId: string; assets: AssetRecord[] }> {
  const stored = await storedAssetId(episode, step);
  if (stored) return { assetId: stored, assets: [] };
  const image = await frames.image(step);
  if (!image || image.step !== step) throw new Error(`Frame ${step} of ${episode.label} has no image in the studio, so no sample can be made from it.`);
  const asset = await frameToAsset(image.bitmap);
  return { assetId: asset.id, assets: [asset] };
}

export async function makeSampleAtFrame(episode: PlayerEpisode, frames: FrameImages, step: number, path: Path | null): Promise<SampleRecord> {
  const { assetId, assets } = await frameAsset(episode, frames, step);
  const [sample] = await addSamplesWithAssets(episode.datasetId, assets, [{
    assetId,
    instruction: episode.task,
    path,
    source: 'episode',
    provenance: { episodeId: episode.id, frameStart: step, frameEnd: segmentAt(episode.segments, step).end, note: `${episode.label}, frame ${step}` },
  }]);
  return sample;
}
