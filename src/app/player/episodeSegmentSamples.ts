/**
 * The stored side of re-cutting an episode: its samples with their frame ranges, and Apply — the
 * drafts that go and the new drafts (first frame's image, the path over the segment) written in
 * ONE transaction (storage's replaceSamples), undoable once from its toast or the returned step.
 */
import type { Path } from '../../core/path';
import { getSamples, querySampleIds, replaceSamples, unreplaceSamples, type NewSample } from '../../storage/samples';
import type { AssetRecord, SampleRecord } from '../../storage/types';
import { reportUndoable, type UndoStep } from '../library/sampleActions';
import type { FrameImages } from './episodeFrames';
import { frameAsset } from './frameSample';
import type { EpisodeSegment, PlayerEpisode } from './playerEpisode';
import type { CutReplacement, SegmentSample } from './segmentCuts';

/** The episode's samples that say which frames they were made from. */
export async function loadSegmentSamples(episode: PlayerEpisode): Promise<SegmentSample[]> {
  const ids = await querySampleIds(episode.datasetId, { source: 'episode' });
  const records = (await getSamples(ids)).filter((s): s is SampleRecord => !!s && s.provenance.episodeId === episode.id);
  return records
    .filter((s) => Number.isInteger(s.provenance.frameStart) && Number.isInteger(s.provenance.frameEnd))
    .map((s) => ({ id: s.id, status: s.status, instruction: s.instruction, frameStart: s.provenance.frameStart!, frameEnd: s.provenance.frameEnd! }));
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export interface ApplyCutsInput {
  episode: PlayerEpisode;
  frames: FrameImages;
  pathOver: (segment: EpisodeSegment) => Path | null;
  replacement: CutReplacement;
  /** Runs after Apply and after its undo (the player reloads the segments). */
  changed: () => void;
}

export async function applySegmentCuts({ episode, frames, pathOver, replacement, changed }: ApplyCutsInput): Promise<UndoStep> {
  // Frames are decoded before the transaction: IndexedDB commits a transaction left waiting on other work.
  const assets: AssetRecord[] = [];
  const add: NewSample[] = [];
  for (const { segment, instruction } of replacement.make) {
    const image = await frameAsset(episode, frames, segment.start);
    assets.push(...image.assets);
    add.push({
      assetId: image.assetId,
      instruction,
      path: pathOver(segment),
      source: 'episode',
      provenance: { episodeId: episode.id, frameStart: segment.start, frameEnd: segment.end, note: `${episode.label}, frames ${segment.start}–${segment.end}` },
    });
  }
  const { removed, added } = await replaceSamples(episode.datasetId, replacement.remove, assets, add);
  const message = `Re-cut ${episode.label}: ${plural(removed.length, 'draft')} replaced by ${plural(added.length, 'new draft')}.`;
  return reportUndoable(message, () => unreplaceSamples(added.map((s) => s.id), removed), `${episode.label}: the segments are back as they were.`, changed);
}
