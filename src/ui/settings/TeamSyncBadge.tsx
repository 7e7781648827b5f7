import { useSyncExternalStore } from 'react';
import { team, type SyncState } from '../../app/team/teamController';

const LABELS: Record<SyncState, string> = { idle: 'in sync', syncing: 'syncing', offline: 'offline', error: 'sync error' };
const COLOURS: Record<SyncState, string> = { idle: 'var(--ok)', syncing: 'var(--accent)', offline: 'var(--muted)', error: 'var(--danger)' };

/** A shared dataset's sync state, conflicts and refused changes (Library, Settings → Team); nothing for a dataset that is not shared. */
export function TeamSyncBadge({ datasetId }: { datasetId: string }) {
  const state = useSyncExternalStore(team.subscribe, team.getSnapshot);
  const shared = state.datasets[datasetId];
  if (!shared) return null;
  const when = shared.lastSyncedAt ? `last in step with the server ${new Date(shared.lastSyncedAt).toLocaleTimeString()}` : 'not yet in step with the server';
  return (
    <span className="badge" data-testid="team-sync-state" data-state={shared.state} title={shared.message ?? when} style={{ color: COLOURS[shared.state] }}>
      Shared · {LABELS[shared.state]}
      {shared.conflicts.length > 0 && <span data-testid="team-conflict-count" style={{ color: 'var(--danger)' }}> · {shared.conflicts.length} conflict{shared.conflicts.length > 1 ? 's' : ''}</span>}
      {shared.refused.length > 0 && <span data-testid="team-refused-count" style={{ color: 'var(--danger)' }}> · {shared.refused.length} refused</span>}
    </span>
  );
}
