/**
 * The dataset page's first query — its first screenful of ids and the status counts — started by
 * main.tsx before React's first render when the address is a dataset page, so the database works
 * while React renders the shell (that render was on the way to the Library's first paint, before
 * the query). The page's controller takes the answer once; any other load queries afresh.
 */
import { hasFilter, parseDatasetQuery, type DatasetQuery } from './datasetQuery';
import { countByStatus, querySampleIds, querySortedSampleIds } from './sampleQueries';
import type { SampleStatus } from '../records';

/** The first screenful of ids; the full list (100k ids is fine) follows. */
export const FIRST_PAGE = 240;
/** An answer older than this is not used (the page opened late; something may have changed). */
const FRESH_MS = 3000;

export interface FirstPage {
  ids: string[];
  counts: Record<SampleStatus, number>;
  /** Null: every id is in `ids` (no more to read). */
  limit: number | undefined;
}

/** The ids of the dataset for `query`, or the first `limit` of them. */
export function listSampleIds(datasetId: string, query: DatasetQuery, limit?: number): Promise<string[]> {
  return query.sort ? querySortedSampleIds(datasetId, query.sort, query.filter, limit) : querySampleIds(datasetId, query.filter, limit);
}

export function queryFirstPage(datasetId: string, query: DatasetQuery): Promise<FirstPage> {
  // A filtered sort reads the whole sorted list anyway: one query, not two.
  const limit = query.sort && hasFilter(query) ? undefined : FIRST_PAGE;
  performance.mark('library:query-start');
  return Promise.all([listSampleIds(datasetId, query, limit), countByStatus(datasetId)]).then(([ids, counts]) => {
    performance.measure('library:first-query', 'library:query-start');
    return { ids, counts, limit };
  });
}

let early: { key: string; at: number; answer: Promise<FirstPage> } | null = null;
const keyOf = (datasetId: string, search: string) => `${datasetId}?${new URLSearchParams(search).toString()}`;

/** Starts the first query when `pathname` is a dataset page (main.tsx, before the first render). */
export function startFirstPageEarly(pathname: string, search: string): void {
  const m = /^\/library\/([^/]+)\/?$/.exec(pathname);
  if (!m) return;
  const datasetId = decodeURIComponent(m[1]);
  const answer = queryFirstPage(datasetId, parseDatasetQuery(search));
  answer.catch(() => undefined); // the page reports a failure when it asks
  early = { key: keyOf(datasetId, search), at: performance.now(), answer };
}

/** The early answer for this page if it is for the same address and fresh, else a new query. */
export function takeFirstPage(datasetId: string, search: string, query: DatasetQuery): Promise<FirstPage> {
  const e = early;
  early = null;
  if (e && e.key === keyOf(datasetId, search) && performance.now() - e.at < FRESH_MS) return e.answer;
  return queryFirstPage(datasetId, query);
}
