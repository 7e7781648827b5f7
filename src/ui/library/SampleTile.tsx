import { memo } from 'react';
import { Link } from 'react-router-dom';
import type { SampleRecord } from '../../app/records';
import { useThumbnailUrl } from './useThumbnailUrl';

export const StatusBadge = ({ status }: { status: SampleRecord['status'] }) => <span className={`badge badge-${status}`}>{status}</span>;

export const SampleTile = memo(function SampleTile({ sample, href }: { sample: SampleRecord | undefined; href: string }) {
  const url = useThumbnailUrl(sample?.assetId);
  return (
    <Link to={href} className="sample-tile" data-testid="sample-tile" aria-label={sample ? sample.provenance.fileName ?? sample.id : 'loading'}>
      <div className="thumb">{url ? <img src={url} alt="" draggable={false} data-testid="thumbnail" /> : <div className="thumb-placeholder" />}</div>
      <div className="tile-meta">
        {sample && <StatusBadge status={sample.status} />}
        <span className="tile-text" title={sample?.instruction}>{sample?.instruction || <em className="muted">no instruction</em>}</span>
      </div>
    </Link>
  );
});

export const SampleRow = memo(function SampleRow({ sample, href }: { sample: SampleRecord | undefined; href: string }) {
  const url = useThumbnailUrl(sample?.assetId);
  return (
    <Link to={href} className="sample-row" data-testid="sample-row">
      <div className="row-thumb">{url && <img src={url} alt="" draggable={false} />}</div>
      {sample && <StatusBadge status={sample.status} />}
      <span className="row-instruction">{sample?.instruction || <em className="muted">no instruction</em>}</span>
      <span className="muted row-source">{sample?.source}</span>
      <span className="muted row-file">{sample?.provenance.fileName ?? ''}</span>
      <span className="muted row-points">{sample?.path ? `${sample.path.points.length} pts` : '—'}</span>
    </Link>
  );
});
