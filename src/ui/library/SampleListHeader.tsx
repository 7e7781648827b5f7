/**
 * The list view's column headers: a click sorts by the column, another reverses it (the sort is in
 * the address). Records carry no reviewer's name, so there is no reviewer column.
 */
import type { SampleSort, SampleSortKey } from '../../app/library/sampleQueries';

const COLUMNS: { key: SampleSortKey; label: string; title: string }[] = [
  { key: 'instruction', label: 'Instruction', title: 'The instruction (the task of an episode)' },
  { key: 'source', label: 'Source', title: 'Where the sample came from' },
  { key: 'status', label: 'Status', title: 'In workflow order: draft, done, reviewed, rejected' },
  { key: 'outcome', label: 'Outcome', title: 'How the run or episode the sample came from ended' },
  { key: 'length', label: 'Length', title: 'Points of the path' },
  { key: 'updated', label: 'Updated', title: 'Last change' },
];

export function SampleListHeader({ sort, onSort }: { sort: SampleSort | null; onSort: (key: SampleSortKey) => void }) {
  return (
    <div className="sample-list-head" role="row" aria-label="Sort the list by">
      <span className="list-head-box" />
      <div className="sample-row sample-list-columns">
        <span />
        {COLUMNS.map((c) => {
          const dir = sort?.key === c.key ? sort.dir : null;
          return (
            <span key={c.key} role="columnheader" aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'}>
              <button type="button" className={`list-sort${dir ? ' active' : ''}`} title={`${c.title}. Click to sort, again to reverse.`} onClick={() => onSort(c.key)}>
                {c.label}
                <span aria-hidden="true" className="sort-arrow">{dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}</span>
              </button>
            </span>
          );
        })}
      </div>
    </div>
  );
}
