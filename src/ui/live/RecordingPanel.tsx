import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { listLiveEpisodes, setEpisodeVerdict } from '../../app/live/recordings';
import type { LiveEpisodeData } from '../../robot/liveEpisode';
import type { LiveSession, LiveSnapshot } from '../../robot/liveSession';
import type { EpisodeRecord } from '../../app/records';
import { notifyError } from '../../app/toasts';
import { Ticker } from './Ticker';
import { errorMessage } from '../../core/errorMessage';

/** The recording state, recent episodes (complete or cut short) and the operator's verdict. */
export function RecordingPanel({ session, snap }: { session: LiveSession; snap: LiveSnapshot }) {
  const [episodes, setEpisodes] = useState<EpisodeRecord[]>([]);
  const [seed, setSeed] = useState('');
  const refreshKey = `${snap.lastEpisodeId}|${snap.recording.active}`;

  useEffect(() => {
    void listLiveEpisodes(6).then(setEpisodes).catch(() => undefined);
  }, [refreshKey]);

  const verdict = async (id: string, success: boolean) => {
    try {
      await setEpisodeVerdict(id, success);
      setEpisodes(await listLiveEpisodes(6));
    } catch (err) {
      notifyError(errorMessage(err));
    }
  };

  const reset = async () => {
    try {
      const r = await session.resetScene({ seed: seed.trim() ? Number(seed) : undefined });
      setSeed(String(r.seed + 1));
    } catch (err) {
      notifyError(`Reset failed: ${errorMessage(err)}`);
    }
  };

  return (
    <section className="live-panel" aria-label="Recording">
      <h3>Recording</h3>
      <p className="live-small" data-testid="recording-status">
        {snap.recording.active ? <><span className="live-rec-dot" /> Recording · <Ticker read={() => String(session.recordingSteps)} /> steps</> : 'Every run and teleop session is recorded into the "Live recordings" dataset.'}
        {snap.success !== null && <> · task <b className={snap.success ? 'live-ok' : 'live-bad'}>{snap.success ? 'succeeded' : 'not done'}</b></>}
      </p>
      {session.link?.reset && snap.link?.state === 'connected' && (
        <div className="live-row live-small">
          <button className="btn btn-small" disabled={snap.mode !== 'idle'} onClick={() => void reset()}>Reset scene</button>
          <input value={seed} onChange={(e) => setSeed(e.target.value.replace(/[^0-9]/g, ''))} placeholder="seed" aria-label="Reset seed" style={{ width: 64 }} />
        </div>
      )}
      <ul className="live-episodes" data-testid="live-episodes">
        {/* The run being recorded, counted live; its stored record (still "recording") is not listed twice. */}
        {snap.recording.active && (
          <li data-testid="recording-now">
            <span>{snap.mode === 'teleop' ? 'Teleop' : 'Model'} · <Ticker read={() => String(session.recordingSteps)} /> steps · recording</span>
          </li>
        )}
        {episodes.length === 0 && !snap.recording.active && <li className="muted">No recordings yet.</li>}
        {episodes.filter((ep) => !(snap.recording.active && (ep.data as unknown as LiveEpisodeData).status === 'recording')).map((ep) => {
          const d = ep.data as unknown as LiveEpisodeData;
          return (
            <li key={ep.id}>
              <span title={ep.task}>{d.mode === 'teleop' ? 'Teleop' : 'Model'} · {d.states.length} steps · {d.status === 'complete' ? (d.success === null ? 'no verdict' : d.success ? 'success' : 'failure') : 'incomplete'}</span>
              <span className="live-row">
                {d.status === 'complete' && <>
                  <button className="btn btn-small" onClick={() => void verdict(ep.id, true)} aria-label="Mark success">✓</button>
                  <button className="btn btn-small" onClick={() => void verdict(ep.id, false)} aria-label="Mark failure">✗</button>
                </>}
                <Link to={`/library/${ep.datasetId}`}>Library</Link>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
