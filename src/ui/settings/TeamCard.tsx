import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useDatasets } from '../../app/library/datasetList';
import { team, type ProjectRole, type TeamDatasetState } from '../../app/team/teamController';
import { TeamIssues } from '../team/TeamIssues';
import { TeamSyncBadge } from './TeamSyncBadge';

const ROLE_CHOICES: ProjectRole[] = ['annotator', 'reviewer', 'admin'];

/**
 * Settings → Team (docs/TEAMS.md): the team server, signing in with one of its users, sharing a
 * dataset of this browser or joining one listed on the server, each shared dataset's sync state,
 * role, refused changes and conflicts, and (for admins) roles per dataset.
 */
export function TeamCard() {
  const state = useSyncExternalStore(team.subscribe, team.getSnapshot);
  const { datasets, refresh } = useDatasets();
  const [url, setUrl] = useState(state.serverUrl);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [toShare, setToShare] = useState('');
  const [roleFor, setRoleFor] = useState({ dataset: '', user: '', role: 'reviewer' as ProjectRole | '' });

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const shared = Object.values(state.datasets);
  const shareable = datasets.filter((d) => !state.datasets[d.id]);
  const signIn = (e: FormEvent) => {
    e.preventDefault();
    void team.signIn(name, password).then(() => setPassword(''));
  };

  return (
    <div className="card" aria-label="Team">
      <h2>Team</h2>
      <p>
        Share datasets with other annotators through a team server (CouchDB, or <code>npm run server</code> on this machine). Everything
        stays in this browser too: you keep working offline, and changes go both ways when the server is back.
      </p>
      <form className="inline-form" onSubmit={(e) => { e.preventDefault(); team.setServerUrl(url); }}>
        <label>
          Team server{' '}
          <input data-testid="team-server-url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="http://localhost:5984" size={32} />
        </label>
        <button className="btn" type="submit" disabled={!!state.user}>Use this server</button>
      </form>

      {state.user ? (
        <p className="inline-form">
          <span data-testid="team-user">Signed in as <strong>{state.user.name}</strong>{state.user.roles.length > 0 && <span className="muted"> ({state.user.roles.join(', ')})</span>}</span>
          <button className="btn btn-small" onClick={() => void team.signOut()} disabled={state.busy !== null}>Sign out</button>
        </p>
      ) : (
        <form className="inline-form" onSubmit={signIn} aria-label="Sign in to the team server">
          <input aria-label="Team user name" placeholder="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" />
          <input aria-label="Team password" placeholder="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
          <button className="btn btn-primary" type="submit" disabled={state.busy !== null || !name || !password}>
            {state.busy === 'signing-in' ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      )}

      {state.otherTab && (
        <p className="muted" data-testid="team-other-tab">
          Team sync runs in another tab of the studio in this browser: this tab shows its state, and what you do here goes through it.
          Close that tab and this one takes over.
        </p>
      )}

      {state.message && (
        <p role={state.message.ok ? 'status' : 'alert'} className={state.message.ok ? '' : 'form-error'} data-testid="team-message">{state.message.text}</p>
      )}

      <h3>Shared datasets here</h3>
      {shared.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="dataset-list" aria-label="Shared datasets">
          {shared.map((d) => (
            <li key={d.id} className="dataset-card" data-testid="team-dataset" data-dataset-id={d.id}>
              <span className="dataset-name">{d.name}</span>
              <TeamSyncBadge datasetId={d.id} />
              {d.role && <span className="badge" data-testid="team-role" title="Your role in this dataset, as the server's rules read it">{d.role}</span>}
              <span className="muted" data-testid="team-dataset-message">{d.message ?? (d.lastSyncedAt ? `in step at ${new Date(d.lastSyncedAt).toLocaleTimeString()}` : '')}</span>
              <ImagesHere dataset={d} />
              <RulesWarning dataset={d} />
              <TeamIssues datasetId={d.id} assignments={false} />
            </li>
          ))}
        </ul>
      )}

      {state.user && (
        <>
          <h3>Share a dataset</h3>
          <form className="inline-form" onSubmit={(e) => { e.preventDefault(); if (toShare) void team.share(toShare); }}>
            <select aria-label="Dataset to share" value={toShare} onChange={(e) => setToShare(e.target.value)}>
              <option value="">Choose a dataset…</option>
              {shareable.map((d) => <option key={d.id} value={d.id}>{d.name} ({d.sampleCount} samples)</option>)}
            </select>
            <button className="btn" type="submit" disabled={!toShare || state.busy !== null}>{state.busy === 'sharing' ? 'Sharing…' : 'Share'}</button>
          </form>

          {shared.length > 0 && (
            <>
              <h3>Roles in a shared dataset</h3>
              <p className="muted">
                The server enforces them: annotators label, reviewers approve and reject, admins do both and give roles. Without a role
                here, a user's own roles on the server apply. Only an admin of the dataset's database can change them.
              </p>
              <form className="inline-form" aria-label="Give a role" onSubmit={(e) => { e.preventDefault(); if (roleFor.dataset && roleFor.user) void team.setProjectRole(roleFor.dataset, roleFor.user, roleFor.role || null); }}>
                <select aria-label="Dataset for the role" value={roleFor.dataset} onChange={(e) => setRoleFor({ ...roleFor, dataset: e.target.value })}>
                  <option value="">Choose a dataset…</option>
                  {shared.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
                </select>
                <input aria-label="User for the role" placeholder="user" value={roleFor.user} onChange={(e) => setRoleFor({ ...roleFor, user: e.target.value })} />
                <select aria-label="Role" value={roleFor.role} onChange={(e) => setRoleFor({ ...roleFor, role: e.target.value as ProjectRole | '' })}>
                  {ROLE_CHOICES.map((r) => <option key={r} value={r}>{r}</option>)}
                  <option value="">(their own roles)</option>
                </select>
                <button className="btn" type="submit" disabled={!roleFor.dataset || !roleFor.user || state.busy !== null}>Set role</button>
              </form>
              {roleFor.dataset && Object.keys(state.datasets[roleFor.dataset]?.roles ?? {}).length > 0 && (
                <p className="muted" data-testid="team-roles">
                  {Object.entries(state.datasets[roleFor.dataset].roles).map(([u, r]) => `${u}: ${r}`).join(' · ')}
                </p>
              )}
            </>
          )}

          <h3>On the server</h3>
          <p className="inline-form">
            <button className="btn btn-small" onClick={() => void team.refreshAvailable()} disabled={state.busy !== null}>Refresh</button>
            {state.busy === 'joining' && <span className="muted">Joining…</span>}
          </p>
          {state.available && state.available.length === 0 && <p className="muted">Nobody has shared a dataset on this server yet.</p>}
          {state.available && state.available.length > 0 && (
            <ul className="dataset-list" aria-label="Datasets on the server">
              {state.available.map((entry) => (
                <li key={entry.id} className="dataset-card" data-testid="team-available">
                  <span className="dataset-name">{entry.name}</span>
                  <span className="muted">shared by {entry.sharedBy}{entry.samples !== undefined ? ` · ${entry.samples} samples` : ''}</span>
                  <span className="spacer" />
                  {state.datasets[entry.id] ? (
                    <span className="muted">here</span>
                  ) : (
                    <button className="btn btn-small" onClick={() => void team.join(entry)} disabled={state.busy !== null} aria-label={`Join ${entry.name}`}>Join</button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

/**
 * A dataset shared before the team's rules (or before they changed): the server does not enforce
 * roles there until an admin of it installs them.
 */
function RulesWarning({ dataset }: { dataset: TeamDatasetState }) {
  if (dataset.rules !== 'missing' && dataset.rules !== 'outdated') return null;
  return (
    <span className="field-error" role="alert" data-testid="team-rules">
      {dataset.rules === 'missing'
        ? 'The server does not enforce roles in this dataset yet (it was shared before the rules): anyone of the team can approve.'
        : 'The server enforces an older version of the team’s rules in this dataset.'}{' '}
      <button className="btn btn-small" onClick={() => void team.installRules(dataset.id)}>Install the rules</button>
    </span>
  );
}

/** Images on demand or all kept here ("available offline"), and how many are here now. */
function ImagesHere({ dataset }: { dataset: TeamDatasetState }) {
  const [count, setCount] = useState<{ here: number; total: number } | null>(null);
  useEffect(() => {
    let live = true;
    void team.imagesHere(dataset.id).then((c) => live && setCount(c)).catch(() => undefined);
    return () => {
      live = false;
    };
  }, [dataset.id, dataset.lastSyncedAt, dataset.state, dataset.imagesOnDemand]);
  return (
    <span className="images-here">
      <label title="Keep every image of this dataset in this browser, so it works without the server. Otherwise images come from the server as they are shown.">
        <input type="checkbox" checked={!dataset.imagesOnDemand} onChange={(e) => team.setImagesOnDemand(dataset.id, !e.target.checked)} /> Available offline
      </label>
      {count && <span className="muted" data-testid="team-images-here">{` ${count.here.toLocaleString()} of ${count.total.toLocaleString()} images here`}</span>}
      {dataset.imagesOnDemand && dataset.queueImages && (
        <span className="muted" data-testid="team-queue-images" title="The images of the samples assigned to you are fetched ahead, so your queue works without the server.">
          {` · your queue: ${dataset.queueImages.here} of ${dataset.queueImages.total} images here`}
        </span>
      )}
    </span>
  );
}
