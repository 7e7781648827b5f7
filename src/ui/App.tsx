import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom';
import { Shell } from './Shell';

// Sections load lazily so the first paint ships only the shell and the Library (initial JS budget).
const LibraryPage = lazy(() => import('./library/LibraryPage'));
const DatasetPage = lazy(() => import('./library/DatasetPage'));
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
