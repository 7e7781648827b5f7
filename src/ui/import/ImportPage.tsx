import { lazy, Suspense } from 'react';
import { NavLink, useParams } from 'react-router-dom';

// Each importer is its own lazily loaded panel: demuxers, HDF5 and parquet readers stay out of
// the initial bundle.
const VideoImportPanel = lazy(() => import('./video/VideoImportPanel'));
const EpisodeImportPanel = lazy(() => import('./episodes/EpisodeImportPanel'));

const tabs = [
  { id: 'video', label: 'Videos', hint: 'Action-free videos: track a point into a path' },
  { id: 'episodes', label: 'Robot & sim episodes', hint: 'LeRobot, robomimic/LIBERO HDF5, simulator datasets' },
];

export default function ImportPage() {
  const { kind = 'video' } = useParams();
  return (
    <section className="page">
      <header className="page-header">
        <h1>Import</h1>
        <nav className="tabs" aria-label="Import kinds">
          {tabs.map((t) => (
            <NavLink key={t.id} to={`/import/${t.id}`} title={t.hint} className={() => `tab${kind === t.id ? ' active' : ''}`}>{t.label}</NavLink>
          ))}
        </nav>
      </header>
      <p className="muted">Images go straight into a dataset: open it in the Library and drop them there.</p>
      <Suspense fallback={<div className="page-loading">Loading…</div>}>
        {kind === 'episodes' ? <EpisodeImportPanel /> : <VideoImportPanel />}
      </Suspense>
    </section>
  );
}
