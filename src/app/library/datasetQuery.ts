/**
 * What the dataset page shows, kept in its address so a view can be linked and survives a reload:
 * `?status=done&source=image&q=cube` (filters), `?view=list`, `?sort=updated&dir=desc`.
 */
import { SAMPLE_SOURCES, SAMPLE_STATUSES, type SampleSource, type SampleStatus } from '../../storage/types';
import { SAMPLE_SORT_KEYS, type SampleSort, type SampleSortKey } from '../../storage/sampleSort';
import type { SampleFilter } from '../../storage/samples';

export type DatasetView = 'grid' | 'list';

export interface DatasetQuery {
  filter: SampleFilter;
  /** null: queue order. */
  sort: SampleSort | null;
  view: DatasetView;
}

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined => (values as readonly string[]).includes(v ?? '') ? (v as T) : undefined;

export function parseDatasetQuery(search: string): DatasetQuery {
  const p = new URLSearchParams(search);
  const key = oneOf(SAMPLE_SORT_KEYS, p.get('sort'));
  return {
    filter: {
      status: oneOf<SampleStatus>(SAMPLE_STATUSES, p.get('status')),
      source: oneOf<SampleSource>(SAMPLE_SOURCES, p.get('source')),
      text: p.get('q') || undefined,
    },
    sort: key ? { key, dir: p.get('dir') === 'desc' ? 'desc' : 'asc' } : null,
    view: p.get('view') === 'list' ? 'list' : 'grid',
  };
}

/** `search` with `key` set to `value`, or removed when there is none. */
export function withParam(search: string, key: string, value: string | undefined): string {
  const p = new URLSearchParams(search);
  if (value) p.set(key, value);
  else p.delete(key);
  return p.toString();
}

/** The newest changes first; every other column starts ascending. */
const firstDirection = (key: SampleSortKey) => (key === 'updated' ? 'desc' : 'asc');

/** A click on a column's header: sort by it, or reverse it when it is already the sort. */
export function withSortBy(search: string, key: SampleSortKey): string {
  const current = parseDatasetQuery(search).sort;
  const dir = current?.key === key ? (current.dir === 'asc' ? 'desc' : 'asc') : firstDirection(key);
  return withParam(withParam(search, 'sort', key), 'dir', dir);
}

export const withQueueOrder = (search: string) => withParam(withParam(search, 'sort', undefined), 'dir', undefined);

/** Filters cleared; the view and the sort stay. */
export const withoutFilters = (search: string) => ['status', 'source', 'q'].reduce((s, k) => withParam(s, k, undefined), search);

export const sameFilter = (a: SampleFilter, b: SampleFilter) => a.status === b.status && a.source === b.source && a.text === b.text;
export const sameSort = (a: SampleSort | null, b: SampleSort | null) => a?.key === b?.key && a?.dir === b?.dir;
