import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom';
import { SectionError } from './common/SectionError';
import { Shell } from './Shell';

import DatasetPage from './library/DatasetPage';
import LibraryPage from './library/LibraryPage';

// The Library is the landing section and ships in the entry chunk: a lazy route would suspend on
// first load, and React holds a shown Suspense fallback for ~300 ms before revealing the content.
// Every other section loads lazily (initial JS budget).
const AnnotatePage = lazy(() => import('./annotate/AnnotatePage'));
const ImportPage = lazy(() => import('./import/ImportPage'));
const LivePage = lazy(() => import('./live/LivePage'));
const ModelsPage = lazy(() => import('./models/ModelsPage'));
const ExportPage = lazy(() => import('./export/ExportPage'));
const SettingsPage = lazy(() => import('./settings/SettingsPage'));
const RecoveryPage = lazy(() => import('./recovery/RecoveryPage'));
const PlayerPage = lazy(() => import('./player/PlayerPage'));

const page = (el: ReactNode) => <Suspense fallback={<div className="page-loading" aria-busy="true">Loading…</div>}>{el}</Suspense>;
/** A route with its own error screen, so one bad record breaks one section at most. */
const section = (path: string, el: ReactNode) => ({ path, element: page(el), errorElement: <SectionError /> });

/** Every section is deep-linkable. */
export const routes = [
  // Outside the shell: reachable even when the shell itself cannot render.
  section('/recovery', <RecoveryPage />),
  {
    path: '/',
    element: <Shell />,
    errorElement: <SectionError />,
    children: [
      { index: true, element: <Navigate to="/library" replace /> },
      section('library', <LibraryPage />),
      section('library/:datasetId', <DatasetPage />),
      section('annotate', <AnnotatePage />),
      section('annotate/:datasetId', <AnnotatePage />),
      section('annotate/:datasetId/:sampleId', <AnnotatePage />),
      section('import', <ImportPage />),
      section('import/:kind', <ImportPage />),
      section('import/:kind/:datasetId', <ImportPage />),
      section('player/:episodeId', <PlayerPage />),
      section('live', <LivePage />),
      section('models', <ModelsPage />),
      section('export', <ExportPage />),
      section('settings', <SettingsPage />),
      { path: '*', element: <div className="empty-state"><h2>Page not found</h2><p>That address is not part of Path Studio.</p></div> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  return <RouterProvider router={router} />;
}
