/** The dataset's episodes (live recordings, imported episodes), each with "Open in player" and "Save as MCAP". */
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { listEpisodesForMcap, saveEpisodeAsMcap, type EpisodeListing } from '../../app/library/episodeMcap';
import { notify, notifyError } from '../../app/toasts';

export function DatasetEpisodes({ datasetId }: { datasetId: string }) {
  const [episodes, setEpisodes] = useState<EpisodeListing[]>([]);
  const [saving, setSaving] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void listEpisodesForMcap(datasetId).then((list) => { if (live) setEpisodes(list); });
    return () => { live = false; };
  }, [datasetId]);
  if (!episodes.length) return null;

  const save = async (e: EpisodeListing) => {
    setSaving(e.id);
    try {
      const saved = await saveEpisodeAsMcap(e.id);
      if (saved) notify({ kind: 'success', message: `Saved ${saved.fileName}: ${saved.steps} steps, ${saved.frames} frames (${(saved.bytes / 1e6).toFixed(1)} MB). Open it in Foxglove or Lichtblick.` });
    } catch (err) {
      notifyError(err);
    } finally {
      setSaving(null);
    }
  };

  return (
    <details className="dataset-episodes" data-testid="dataset-episodes">
      <summary>Episodes <b>{episodes.length}</b></summary>
      <ul>
        {episodes.map((e) => (
          <li key={e.id} data-testid="dataset-episode">
            <span>{e.label}</span> · <span className="muted">{e.task || '(no instruction)'} · {e.steps} steps · {e.frames} frame{e.frames === 1 ? '' : 's'}</span>{' '}
            <Link className="btn btn-small" to={`/player/${e.id}`} aria-label={`Open ${e.label} in the player`}>Open in player</Link>{' '}
            <button className="btn btn-small" disabled={saving !== null} aria-label={`Save ${e.label} as MCAP`} onClick={() => void save(e)}>
              {saving === e.id ? 'Saving…' : 'Save as MCAP'}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
