import Dexie from 'dexie';
import { getDb } from './db';
import { episodeOutcomes } from './sampleOutcomes';
import { querySampleIds, type SampleFilter } from './samples';
import { SAMPLE_SOURCES, SAMPLE_STATUSES } from './types';

/**
 * A dataset's sample ids ordered by a column of the Library's list. Wherever IndexedDB can order
 * them (last change, instruction, path points, status, source) only index keys are read, no record,
 * so the first screenful of a 100k-sample dataset comes from a `limit`ed index walk.
 */
export const SAMPLE_SORT_KEYS = ['instruction', 'source', 'status', 'outcome', 'length', 'updated'] as const;
export type SampleSortKey = (typeof SAMPLE_SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';

export interface SampleSort {
  key: SampleSortKey;
  dir: SortDirection;
}

const ORDER = '[datasetId+order]';
const POINTS = '[datasetId+path.points.length]';

type Bounds = readonly [unknown[], unknown[]];
const whole = (datasetId: string, ...prefix: unknown[]): Bounds => [[datasetId, ...prefix, Dexie.minKey], [datasetId, ...prefix, Dexie.maxKey]];

async function indexIds(index: string, [lower, upper]: Bounds, dir: SortDirection, limit?: number): Promise<string[]> {
  let c = getDb().samples.where(index).between(lower, upper);
  if (dir === 'desc') c = c.reverse();
  if (limit !== undefined) c = c.limit(limit);
  return (await c.primaryKeys()) as string[];
}

/** One group after another (each status, each source), queue order inside a group. */
async function groupedIds(index: string, datasetId: string, groups: readonly string[], dir: SortDirection, limit?: number): Promise<string[]> {
  let out: string[] = [];
  for (const g of dir === 'asc' ? groups : [...groups].reverse()) {
    if (limit !== undefined && out.length >= limit) break;
    out = out.concat(await indexIds(index, whole(datasetId, g), dir, limit === undefined ? undefined : limit - out.length));
  }
  return out;
}

/**
 * `ranked` (already in the sort's order) and then every other sample in queue order: the samples
 * with no value for the column stay last in both directions. For a page, the first `limit` queue
 * ids are enough: at most `ranked.length` of them are ranked.
 */
async function thenTheRest(datasetId: string, ranked: string[], limit?: number): Promise<string[]> {
  if (limit !== undefined && ranked.length >= limit) return ranked.slice(0, limit);
  const isRanked = new Set(ranked);
  const rest = (await indexIds(ORDER, whole(datasetId), 'asc', limit)).filter((id) => !isRanked.has(id));
  return ranked.concat(rest).slice(0, limit);
}

/** By the number of path points; samples without a path last. */
async function idsByLength(datasetId: string, dir: SortDirection, limit?: number): Promise<string[]> {
  return thenTheRest(datasetId, await indexIds(POINTS, whole(datasetId), dir, limit), limit);
}

/**
 * Failure before success (ascending), then runs without a verdict, then the samples that come
 * from no episode. Only the samples made from episodes are read.
 */
async function idsByOutcome(datasetId: string, dir: SortDirection, limit?: number): Promise<string[]> {
  const [fromEpisodes, outcomes] = await Promise.all([
    getDb().samples.where('[datasetId+source+order]').between(...whole(datasetId, 'episode')).toArray(),
    episodeOutcomes(datasetId),
  ]);
  const groups: string[][] = [[], [], []]; // failure, success, no verdict
  for (const s of fromEpisodes) {
    const outcome = s.provenance.episodeId === undefined ? undefined : outcomes.get(s.provenance.episodeId);
    if (outcome) groups[outcome.success === null ? 2 : outcome.success ? 1 : 0].push(s.id);
  }
  if (dir === 'desc') [groups[0], groups[1]] = [groups[1], groups[0]];
  return thenTheRest(datasetId, groups.flat(), limit);
}

async function sortedIds(datasetId: string, { key, dir }: SampleSort, limit?: number): Promise<string[]> {
  switch (key) {
    case 'updated':
      return indexIds('[datasetId+updatedAt]', whole(datasetId), dir, limit);
    case 'instruction':
      return indexIds('[datasetId+instruction]', whole(datasetId), dir, limit);
    case 'status':
      return groupedIds('[datasetId+status+order]', datasetId, SAMPLE_STATUSES, dir, limit);
    case 'source':
      return groupedIds('[datasetId+source+order]', datasetId, [...SAMPLE_SOURCES].sort(), dir, limit);
    case 'length':
      return idsByLength(datasetId, dir, limit);
    case 'outcome':
      return idsByOutcome(datasetId, dir, limit);
  }
}

/**
 * Ids in the sort's order, narrowed by the filter. Status is ordered as the workflow goes (draft,
 * done, reviewed, rejected), instructions by their characters (IndexedDB's order: capitals first);
 * samples without a path (length) or an outcome come last either way. With a filter, the sorted
 * keys are intersected with the filter's ids.
 */
export async function querySortedSampleIds(datasetId: string, sort: SampleSort, filter: SampleFilter = {}, limit?: number): Promise<string[]> {
  if (!filter.status && !filter.source && !filter.text?.trim()) return sortedIds(datasetId, sort, limit);
  const [ordered, matching] = await Promise.all([sortedIds(datasetId, sort), querySampleIds(datasetId, filter)]);
  const keep = new Set(matching);
  const out = ordered.filter((id) => keep.has(id));
  return limit === undefined ? out : out.slice(0, limit);
}
