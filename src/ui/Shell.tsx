import { useEffect } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { JobTray } from './common/JobTray';
import { Toasts } from './common/Toasts';
import { purgeExpiredDeletions } from '../app/datasets';
import { requestPersistentStorage } from '../app/settings/storageSettings';

const sections = [
  { to: '/library', label: 'Library', icon: '▦' },
  { to: '/annotate', label: 'Annotate', icon: '✎' },
  { to: '/import', label: 'Import', icon: '⇩' },
  { to: '/live', label: 'Live', icon: '◉' },
  { to: '/models', label: 'Models', icon: '◇' },
  { to: '/export', label: 'Export', icon: '⇧' },
  { to: '/settings', label: 'Settings', icon: '⚙' },
];

export function Shell() {
  useEffect(() => {
    void requestPersistentStorage();
    // Datasets deleted in an earlier visit are past their undo window: remove them for good.
    void purgeExpiredDeletions().catch(() => undefined);
  }, []);
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Sections">
        <div className="brand" title="Path Studio">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          <span>Path Studio</span>
        </div>
        {sections.map((s) => (
          <NavLink key={s.to} to={s.to} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
            <span className="nav-icon" aria-hidden="true">{s.icon}</span>
            {s.label}
          </NavLink>
        ))}
      </nav>
      <main className="content">
        <Outlet />
      </main>
      <JobTray />
      <Toasts />
    </div>
  );
}
