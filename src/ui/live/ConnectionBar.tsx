import { useState } from 'react';
import type { LiveSession, LiveSnapshot } from '../../robot/liveSession';
import type { RobotProfile } from '../../robot/profile';
import { ProfileEditor } from './ProfileEditor';
import { LinkStatusPill } from './LinkStatusPill';
import { Ticker } from './Ticker';
import { deleteProfile, lastProfileId, loadProfiles, rememberProfile, saveProfile } from '../../app/live/profiles';

/** Robot profile, connect / disconnect, link status and message counters. */
export function ConnectionBar({ session, snap }: { session: LiveSession; snap: LiveSnapshot }) {
  const [profiles, setProfiles] = useState<RobotProfile[]>(loadProfiles);
  const [selectedId, setSelectedId] = useState(() => (profiles.some((p) => p.id === lastProfileId()) ? lastProfileId() : profiles[0].id));
  const selected = profiles.find((p) => p.id === selectedId) ?? profiles[0];
  const [url, setUrl] = useState(selected.url);
  const [editing, setEditing] = useState<RobotProfile | null>(null);
  const connected = snap.link !== null && snap.link.state !== 'closed' && snap.link.state !== 'idle';

  const connect = () => {
    rememberProfile(selected.id);
    session.connect({ ...selected, url: url.trim() || selected.url });
  };

  const saveEdit = (edited: RobotProfile) => {
    // The built-in simulator profile stays as it is: an edited copy is saved beside it.
    const profile = { ...edited, id: edited.id === 'sim' || !edited.id ? `robot-${Date.now().toString(36)}` : edited.id };
    setProfiles(saveProfile(profile));
    setSelectedId(profile.id);
    setUrl(profile.url);
    setEditing(null);
  };

  return (
    <div className="live-connection" aria-label="Robot connection">
      <label className="live-field">
        <span>Robot</span>
        <select value={selected.id} disabled={connected} onChange={(e) => { setSelectedId(e.target.value); setUrl(profiles.find((p) => p.id === e.target.value)?.url ?? ''); }} aria-label="Robot profile">
          {profiles.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      </label>
      <label className="live-field live-url">
        <span>rosbridge URL</span>
        <input value={url} disabled={connected} onChange={(e) => setUrl(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && !connected && connect()} aria-label="rosbridge URL" spellCheck={false} />
      </label>
      {connected
        ? <button className="btn" onClick={() => session.disconnect()}>Disconnect</button>
        : <button className="btn btn-primary" onClick={connect}>Connect</button>}
      <button className="btn btn-small" disabled={connected} onClick={() => setEditing({ ...selected, url: url.trim() || selected.url })}>Edit profile…</button>
      <LinkStatusPill session={session} />
      {snap.link && (
        <Ticker
          className="live-counters" data-testid="link-counters" title="Messages received · dropped as malformed · dropped as oversized · commands refused while not connected"
          read={() => { const c = session.link?.counters; return c ? `${c.received} msgs · ${c.malformed} malformed · ${c.oversized} oversized · ${c.refusedCommands} refused` : ''; }}
        />
      )}
      {editing !== null && (
        <ProfileEditor
          initial={editing}
          onSave={saveEdit}
          onDelete={selected.id !== 'sim' ? () => { const next = deleteProfile(selected.id); setProfiles(next); setSelectedId(next[0].id); setEditing(null); } : undefined}
          onCancel={() => setEditing(null)}
        />
      )}
    </div>
  );
}
