import { isLiveEpisode } from '../robot/liveEpisode';
import { getDb } from './db';

/** How the run behind an episode ended: from the robot, the operator or the imported data. */
export interface EpisodeOutcome {
  /** A live run recorded by the studio (not an imported episode). */
  live: boolean;
  /** null: no verdict (no success topic, no operator verdict, no flag in the imported data). */
  success: boolean | null;
}

/**
 * The outcome of every episode of the dataset, by episode id: what a sample made from an episode
 * (`provenance.episodeId`) shows in its outcome column. Episode records are read one by one and
 * only their verdict is kept, so their step arrays are not held.
 */
export async function episodeOutcomes(datasetId: string): Promise<Map<string, EpisodeOutcome>> {
  const out = new Map<string, EpisodeOutcome>();
  await getDb().episodes.where('datasetId').equals(datasetId).each((e) => {
    const success = (e.data as { success?: unknown }).success;
    out.set(e.id, { live: isLiveEpisode(e.data), success: typeof success === 'boolean' ? success : null });
  });
  return out;
}
