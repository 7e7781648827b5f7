import { useState } from 'react';
import type { LiveSession, LiveSnapshot } from '../../robot/liveSession';
import { validateProfile, type RobotProfile } from '../../robot/profile';
import { LinkStatusPill } from './LinkStatusPill';
import { Ticker } from './Ticker';
import { deleteProfile, lastProfileId, loadProfiles, rememberProfile, saveProfile } from '../../app/live/profiles';

/** Robot profile, connect / disconnect, link status and message counters. */
export function ConnectionBar({ session, snap }: { session: LiveSession; snap: LiveSnapshot }) {
  const [profiles, setProfiles] = useState<RobotProfile[]>(loadProfiles);
  const [selectedId, setSelectedId] = useState(() => (profiles.some((p) => p.id === lastProfileId()) ? lastProfileId() : profiles[0].id));
  const selected = profiles.find((p) => p.id === selectedId) ?? profiles[0];
  const [url, setUrl] = useState(selected.url);
  const [editing, setEditing] = useState<string | null>(null);
  const [editErrors, setEditErrors] = useState<string[]>([]);
  const connected = snap.link !== null && snap.link.state !== 'closed' && snap.link.state !== 'idle';

  const connect = () => {
    rememberProfile(selected.id);
    session.connect({ ...selected, url: url.trim() || selected.url });
  };

  const saveEdit = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(editing ?? '');
    } catch (err) {
      return setEditErrors([`Not valid JSON: ${err instanceof Error ? err.message : String(err)}`]);
    }
    const v = validateProfile(parsed);
    if (!v.ok) return setEditErrors(v.errors);
    const profile = { ...v.profile, id: v.profile.id === 'sim' ? `robot-${Date.now().toString(36)}` : v.profile.id || `robot-${Date.now().toString(36)}` };
    setProfiles(saveProfile(profile));
    setSelectedId(profile.id);
    setUrl(profile.url);
    setEditing(null);
    setEditErrors([]);
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
      <button className="btn btn-small" disabled={connected} onClick={() => { setEditing(JSON.stringify({ ...selected, url }, null, 2)); setEditErrors([]); }}>Edit profile…</button>
      <LinkStatusPill session={session} />
      {snap.link && (
        <Ticker
          className="live-counters" data-testid="link-counters" title="Messages received · dropped as malformed · dropped as oversized · commands refused while not connected"
          read={() => { const c = session.link?.counters; return c ? `${c.received} msgs · ${c.malformed} malformed · ${c.oversized} oversized · ${c.refusedCommands} refused` : ''; }}
        />
      )}
      {editing !== null && (
        <div className="live-profile-editor" role="dialog" aria-label="Edit robot profile">
          <p>Topic names, URL, frames and limits of this robot (defaults: docs/LIVE.md, Robot topics). Saved in this browser.</p>
          <textarea value={editing} onChange={(e) => setEditing(e.target.value)} rows={18} spellCheck={false} aria-label="Profile JSON" />
          {editErrors.length > 0 && <ul className="live-errors">{editErrors.map((e) => <li key={e}>{e}</li>)}</ul>}
          <div className="live-row">
            <button className="btn btn-primary" onClick={saveEdit}>Save as profile</button>
            {selected.id !== 'sim' && <button className="btn btn-danger" onClick={() => { const next = deleteProfile(selected.id); setProfiles(next); setSelectedId(next[0].id); setEditing(null); }}>Delete profile</button>}
            <button className="btn" onClick={() => setEditing(null)}>Cancel</button>
          </div>
        </div>
      )}
    </div>
  );
}
