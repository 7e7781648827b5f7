import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom';
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

const page = (el: ReactNode) => <Suspense fallback={<div className="page-loading" aria-busy="true">Loading…</div>}>{el}</Suspense>;

/** Every section is deep-linkable. */
export const routes = [
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <Navigate to="/library" replace /> },
      { path: 'library', element: page(<LibraryPage />) },
      { path: 'library/:datasetId', element: page(<DatasetPage />) },
      { path: 'annotate', element: page(<AnnotatePage />) },
      { path: 'annotate/:datasetId', element: page(<AnnotatePage />) },
      { path: 'annotate/:datasetId/:sampleId', element: page(<AnnotatePage />) },
      { path: 'import', element: page(<ImportPage />) },
      { path: 'import/:kind', element: page(<ImportPage />) },
      { path: 'import/:kind/:datasetId', element: page(<ImportPage />) },
      { path: 'live', element: page(<LivePage />) },
      { path: 'models', element: page(<ModelsPage />) },
      { path: 'export', element: page(<ExportPage />) },
      { path: 'settings', element: page(<SettingsPage />) },
      { path: '*', element: <div className="empty-state"><h2>Page not found</h2><p>That address is not part of Path Studio.</p></div> },
    ],
  },
];

const router = createBrowserRouter(routes);

export function App() {
  return <RouterProvider router={router} />;
}
