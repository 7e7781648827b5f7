import { memo, type MouseEvent } from 'react';
import { Link } from 'react-router-dom';
import type { EpisodeOutcome } from '../../app/library/sampleQueries';
import type { SampleRecord } from '../../app/records';
import { TeamSampleMark } from '../team/TeamIssues';
import { useThumbnailUrl } from './useThumbnailUrl';

/**
 * The sample's path over its thumbnail (normalized coordinates, so it fits the image box whatever
 * its size): the line, the start, and where the gripper closes (filled) or opens (ring).
 */
function PathOverlay({ path }: { path: NonNullable<SampleRecord['path']> }) {
  const pts = path.points;
  if (!pts.length) return null;
  const changes = pts.filter((p, i) => p.gripper !== (i === 0 ? path.initialGripper : pts[i - 1].gripper));
  return (
    <svg className="thumb-path" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true" data-testid="thumbnail-path">
      <polyline points={pts.map((p) => `${p.x},${p.y}`).join(' ')} fill="none" stroke="#3ddc84" strokeWidth={2} vectorEffect="non-scaling-stroke" />
      <circle cx={pts[0].x} cy={pts[0].y} r={0.025} fill="#3ddc84" />
      {changes.map((p, i) => <circle key={i} cx={p.x} cy={p.y} r={0.03} fill={p.gripper === 'closed' ? '#ff5a5a' : 'none'} stroke="#ff5a5a" strokeWidth={2} vectorEffect="non-scaling-stroke" />)}
    </svg>
  );
}

export const StatusBadge = ({ status }: { status: SampleRecord['status'] }) => <span className={`badge badge-${status}`}>{status}</span>;

interface ItemProps {
  sample: SampleRecord | undefined;
  id: string;
  href: string;
  selected: boolean;
  /** A click on the box, or Ctrl/⌘/Shift+click on the item (which then does not open it). */
  onSelect: (id: string, e: MouseEvent) => void;
}

const nameOf = (sample: SampleRecord | undefined, id: string) => sample?.provenance.fileName ?? sample?.instruction ?? id;

/** Ctrl/⌘/Shift+click selects instead of opening, as in a file manager. */
const selectOnModifiedClick = (id: string, onSelect: ItemProps['onSelect']) => (e: MouseEvent) => {
  if (!e.ctrlKey && !e.metaKey && !e.shiftKey) return;
  e.preventDefault();
  onSelect(id, e);
};

function SelectBox({ id, sample, selected, onSelect }: Omit<ItemProps, 'href'>) {
  return (
    <input
      type="checkbox"
      className="select-box"
      aria-label={`Select ${nameOf(sample, id)}`}
      checked={selected}
      onClick={(e) => { e.stopPropagation(); onSelect(id, e); }}
      onChange={() => undefined}
    />
  );
}

export const SampleTile = memo(function SampleTile({ sample, id, href, selected, onSelect }: ItemProps) {
  const url = useThumbnailUrl(sample?.assetId);
  return (
    <div className={`sample-tile-wrap${selected ? ' selected' : ''}`}>
      <Link to={href} className="sample-tile" data-testid="sample-tile" aria-label={sample ? nameOf(sample, id) : 'loading'} onClick={selectOnModifiedClick(id, onSelect)}>
        <div className="thumb">
          {url ? (
            <span className="thumb-frame">
              <img src={url} alt="" draggable={false} data-testid="thumbnail" />
              {sample?.path && <PathOverlay path={sample.path} />}
            </span>
          ) : <div className="thumb-placeholder" />}
        </div>
        <div className="tile-meta">
          {sample && <StatusBadge status={sample.status} />}
          {sample && <TeamSampleMark datasetId={sample.datasetId} sampleId={id} />}
          <span className="tile-text" title={sample?.instruction}>{sample?.instruction || <em className="muted">no instruction</em>}</span>
        </div>
      </Link>
      <SelectBox id={id} sample={sample} selected={selected} onSelect={onSelect} />
    </div>
  );
});

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** The run's result, for a sample made from an episode; nothing for the others. */
export function OutcomeBadge({ outcome }: { outcome: EpisodeOutcome | undefined }) {
  if (!outcome) return <span />;
  if (outcome.success === null) return <span className="muted">no verdict</span>;
  return <span className={`outcome outcome-${outcome.success ? 'success' : 'failure'}`}>{outcome.success ? 'success' : 'failure'}</span>;
}

/** One line of the list view; its columns are the list header's (SampleListHeader). */
export const SampleRow = memo(function SampleRow({ sample, id, href, selected, onSelect, outcome }: ItemProps & { outcome: EpisodeOutcome | undefined }) {
  const url = useThumbnailUrl(sample?.assetId);
  return (
    <div className={`sample-row-wrap${selected ? ' selected' : ''}`}>
      <SelectBox id={id} sample={sample} selected={selected} onSelect={onSelect} />
      <Link to={href} className="sample-row" data-testid="sample-row" onClick={selectOnModifiedClick(id, onSelect)}>
        <div className="row-thumb">{url && <img src={url} alt="" draggable={false} />}</div>
        <span className="row-instruction">
          <span className="row-text" data-testid="row-instruction">{sample?.instruction || <em className="muted">no instruction</em>}</span>
          <span className="muted row-file">{sample?.provenance.fileName ?? ''}</span>
        </span>
        <span className="muted">{sample?.source}</span>
        <span>{sample && <StatusBadge status={sample.status} />}</span>
        <OutcomeBadge outcome={outcome} />
        <span className="muted row-points">{sample?.path ? `${sample.path.points.length} pts` : '—'}</span>
        <span className="muted row-date">{sample ? dateTime.format(sample.updatedAt) : ''}</span>
      </Link>
    </div>
  );
});
