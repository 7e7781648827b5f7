/**
 * The player's 3D view: the end effector's trail, a marker at the frame shown, the camera's
 * frustum and the stored robot posed at that frame. three.js is a big chunk, so the viewer is loaded
 * only when the panel opens. It follows the controller itself (not React's renders) and writes where
 * its marker and the arm's end-effector link are into `data-marker` and `data-tip`.
 */
import { useEffect, useRef, useState } from 'react';
import { cameraPoseFromProjection } from '../../app/player/cameraPose';
import type { PlayerController } from '../../app/player/playerController';
import type { PlayerEpisode } from '../../app/player/playerEpisode';
import type { EpisodeCamera, EpisodeViewer } from '../../viewer3d/episodeViewer';
import { errorMessage } from '../../core/errorMessage';

function episodeCamera(episode: PlayerEpisode): EpisodeCamera | null {
  const pose = episode.camera && cameraPoseFromProjection(episode.camera.projection);
  return pose ? { ...pose, width: episode.camera!.width, height: episode.camera!.height } : null;
}

export function Episode3dPanel({ player, episode, onHide }: { player: PlayerController; episode: PlayerEpisode; onHide: () => void }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [robotNote, setRobotNote] = useState('');

  useEffect(() => {
    let viewer: EpisodeViewer | null = null;
    let unsubscribe = () => {};
    let disposed = false;
    void import('../../viewer3d/episodeViewer').then(({ EpisodeViewer }) => {
      const host = hostRef.current;
      if (disposed || !host) return;
      try {
        viewer = new EpisodeViewer(host);
      } catch (err) {
        setError(`The 3D view needs WebGL: ${errorMessage(err)}`);
        return;
      }
      const v = viewer;
      v.setEpisode(episode.eePositions, episodeCamera(episode));
      try {
        v.setRobot(episode.robot);
        setRobotNote(episode.robot ? `the robot (${episode.robot.joints.length} joints from its URDF)` : '');
      } catch (err) {
        setRobotNote(`the robot's URDF could not be read (${errorMessage(err)})`);
      }
      let shown = -1;
      const follow = () => {
        const { frame } = player.getSnapshot();
        if (frame === shown) return;
        shown = frame;
        v.setFrame(frame);
        const p = v.markerPosition;
        host.dataset.marker = p ? p.map((x) => x.toFixed(5)).join(',') : '';
        host.dataset.tip = v.robotTipPosition?.map((x) => x.toFixed(5)).join(',') ?? '';
        host.dataset.markerFrame = String(frame);
      };
      follow();
      unsubscribe = player.subscribe(follow);
    }).catch((err) => setError(`The 3D view failed to load: ${errorMessage(err)}`));
    return () => {
      disposed = true;
      unsubscribe();
      viewer?.dispose();
    };
  }, [player, episode]);

  return (
    <section className="player-3d" aria-label="3D view">
      <div className="player-3d-host" ref={hostRef} data-testid="player-3d" />
      {error && <p className="field-error" role="alert">{error}</p>}
      <div className="player-3d-bar muted">
        <span data-testid="player-3d-note">
          {episode.eePositions.length ? `End-effector trail over ${episode.length} frames` : 'No end-effector positions in this episode'}
          {episode.camera ? ', the camera' : ''}
          {robotNote ? `, ${robotNote}` : '; no robot model was stored with this episode'}.
        </span>
        <button className="btn btn-small" onMouseDown={(e) => e.preventDefault()} onClick={onHide} title="Hide the 3D view (saves CPU on machines without a GPU)">Hide 3D</button>
      </div>
    </section>
  );
}
