/** /player/:episodeId — replay an episode (frame, path, 3D view, plots in sync) and make samples from its frames. */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Link, useParams } from 'react-router-dom';
import { screenRegistry } from '../../app/keymap';
import type { PlayerController } from '../../app/player/playerController';
import type { PlayerAction, PlayerContext } from '../../app/player/playerCommands';
import { EmptyState } from '../common/EmptyState';
import { Episode3dPanel } from './Episode3dPanel';
import { isTextField } from '../common/isTextField';
import { KeymapOverlay } from '../common/KeymapOverlay';
import { FrameView } from './FrameView';
import { PlaybackControls } from './PlaybackControls';
import { seriesGroups } from './seriesGroups';
import { SegmentCuts } from './SegmentCuts';
import { SeriesPlot } from './SeriesPlot';
import { Timeline } from './Timeline';
import { usePlayer } from './usePlayer';
import './player.css';

export default function PlayerPage() {
  const { episodeId = '' } = useParams();
  const player = usePlayer(episodeId);
  if (!player) return <div className="page-loading" aria-busy="true">Loading the episode…</div>;
  return <PlayerView player={player} />;
}

function PlayerView({ player }: { player: PlayerController }) {
  const snapshot = useSyncExternalStore(player.subscribe, player.getSnapshot);
  const { status, episode, frame, time, path } = snapshot;
  const [helpOpen, setHelpOpen] = useState(false);
  const [show3d, setShow3d] = useState(true);
  const registry = screenRegistry('player');

  const perform = useCallback((action: PlayerAction) => {
    switch (action) {
      case 'playPause': player.togglePlay(); break;
      case 'prevFrame': player.step(-1); break;
      case 'nextFrame': player.step(1); break;
      case 'back10': player.step(-10); break;
      case 'forward10': player.step(10); break;
      case 'toStart': player.toStart(); break;
      case 'toEnd': player.toEnd(); break;
      case 'makeSample': void player.makeSample(); break;
      case 'addCut': player.addCut(); break;
      case 'removeCut': player.removeNearestCut(); break;
      case 'help': setHelpOpen((open) => !open); break;
    }
  }, [player]);
  const context: PlayerContext = useMemo(() => ({
    perform,
    canMakeSample: () => !player.getSnapshot().sampleBlocked,
    canEditCuts: () => { const c = player.getSnapshot().cutting; return !!c && !c.applying; },
  }), [perform, player]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTextField(e.target) || helpOpen) return;
      if (screenRegistry('player').dispatchKey(context, e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [context, helpOpen]);

  const groups = useMemo(() => (episode ? seriesGroups(episode) : []), [episode]);
  const seek = useCallback((f: number) => player.seek(f), [player]);

  if (status === 'loading') return <div className="page-loading" aria-busy="true">Loading the episode…</div>;
  if (status === 'missing' || status === 'error' || !episode) {
    return (
      <div className="page" data-testid="player-empty">
        <EmptyState title={status === 'missing' ? 'No such episode' : 'This episode cannot be replayed'}>
          <p>{status === 'missing' ? 'There is no episode with this id in the studio; it may have been deleted. Open a dataset in the Library to pick one of its episodes.' : snapshot.error}</p>
          <Link className="btn" to="/library">Go to the Library</Link>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="page player-page" data-testid="player-page">
      <header className="page-header">
        <div>
          <h1>{episode.label}</h1>
          <span className="muted">{episode.task || '(no instruction)'} · {episode.length} steps</span>
        </div>
        <div className="player-header-links">
          <Link to={`/library/${episode.datasetId}`}>Back to the dataset</Link>
          <button className="btn btn-small" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (F1)">Keys</button>
        </div>
      </header>
      <div className="player-body">
        <div className="player-main">
          <FrameView snapshot={snapshot} />
          <p className="muted player-path-note" data-testid="player-path-note">
            {path ? `Path from frame ${frame}: ${path.points.length} points (a sample made here gets it).`
              : episode.camera ? 'No path from this frame: it is the last of its segment, or the end effector is behind the camera.'
                : 'No path: this episode has no calibrated camera, so a sample made here starts without one.'}
          </p>
          <Timeline episode={episode} frame={frame} time={time} cutting={snapshot.cutting} onSeek={seek} />
          <PlaybackControls snapshot={snapshot} registry={registry} perform={perform} onSpeed={(s) => player.setSpeed(s)} />
          {snapshot.cutting && (
            <SegmentCuts cutting={snapshot.cutting} registry={registry} perform={perform} onApply={() => void player.applyCuts()} onReset={() => player.resetCuts()} onUndo={() => void player.undoCuts()} />
          )}
          {snapshot.sampleError && <p className="field-error" role="alert" data-testid="sample-error">{snapshot.sampleError}</p>}
        </div>
        <div className="player-plots">
          {show3d
            ? <Episode3dPanel player={player} episode={episode} onHide={() => setShow3d(false)} />
            : <button className="btn btn-small player-show-3d" onMouseDown={(e) => e.preventDefault()} onClick={() => setShow3d(true)}>Show 3D view</button>}
          {groups.map(({ key, group }) => <SeriesPlot key={key} group={group} times={episode.times} frame={frame} onSeek={seek} testId={`plot-${key}`} />)}
        </div>
      </div>
      {helpOpen && <KeymapOverlay registry={registry} context={context} intro="Scrub the timeline or click a plot to jump to a frame." onClose={() => setHelpOpen(false)} />}
    </div>
  );
}
