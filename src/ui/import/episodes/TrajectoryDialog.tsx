/** End-effector trajectories of the chosen episodes in 3D (three.js, loaded on demand), with their extents. */
import { useEffect, useRef, useState } from 'react';
import { jointValuesAt, readTrajectories, TRAJECTORY_LIMIT, type TrajectoryStats } from '../../../app/episodes/trajectories';
import type { UrdfChoice } from '../../../app/episodes/urdfChoice';
import type { EeSource } from '../../../importers/episodes/importEpisodes';
import type { EpisodeSource } from '../../../importers/episodes/source';
import { errorMessage } from '../../../core/errorMessage';

export function TrajectoryDialog({ source, ee, urdf, episodes, onClose }: { source: EpisodeSource; ee: EeSource; urdf: UrdfChoice | null; episodes: number[]; onClose: () => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [rows, setRows] = useState<TrajectoryStats[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [robotNote, setRobotNote] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    let plot: import('../../../viewer3d/trajectoryPlot').TrajectoryPlot | null = null;
    (async () => {
      const { tracks, stats, firstState } = await readTrajectories(source, ee, episodes);
      if (!live) return;
      setRows(stats);
      try {
        const { TrajectoryPlot } = await import('../../../viewer3d/trajectoryPlot');
        if (!live || !canvas.current) return;
        plot = new TrajectoryPlot(canvas.current);
        plot.setTracks(tracks);
        if (ee.kind === 'fk' && urdf && firstState) {
          // The robot at the first frame of the first episode, posed by urdf-loader: its tip must sit
          // on the start of that trajectory (our FK), which the note reports.
          const tip = plot.setRobot(urdf.urdfText, urdf.meshFiles, jointValuesAt(ee.plan, firstState), urdf.tip);
          const ours = tracks[0].points[0];
          if (tip) {
            const mm = Math.hypot(tip[0] - ours[0], tip[1] - ours[1], tip[2] - ours[2]) * 1000;
            setRobotNote(`Robot shown at frame 0 of episode ${episodes[0]}; urdf-loader puts ${urdf.tip} ${mm.toFixed(4)} mm from our forward kinematics.`);
          }
        }
      } catch (e) {
        if (live) setError(`The 3D view could not start (WebGL): ${errorMessage(e)}`);
      }
    })().catch((e) => live && setError(errorMessage(e)));
    return () => { live = false; plot?.dispose(); };
  }, [source, ee, urdf, episodes]);

  return (
    <div className="modal-backdrop" role="dialog" aria-label="End-effector trajectories">
      <div className="modal ep-3d-modal">
        <h2>End-effector trajectories (robot base frame, m)</h2>
        <canvas ref={canvas} className="ep-3d" data-testid="trajectory-canvas" />
        {error && <p className="ep-warn">{error}</p>}
        {robotNote && <p className="muted" data-testid="robot-note">{robotNote}</p>}
        {rows && (
          <table className="ep-table" data-testid="trajectory-stats">
            <thead><tr><th>episode</th><th>frames</th><th>path length</th><th>distance from base</th><th>height z</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.episode} data-reach-max={r.reachMax.toFixed(4)} data-length={r.lengthM.toFixed(4)} data-z-min={r.zMin.toFixed(4)}>
                  <td>{r.episode}</td><td>{r.frames}</td><td>{r.lengthM.toFixed(3)} m</td>
                  <td>{r.reachMin.toFixed(3)}–{r.reachMax.toFixed(3)} m</td><td>{r.zMin.toFixed(3)}–{r.zMax.toFixed(3)} m</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {episodes.length > TRAJECTORY_LIMIT && <p className="muted">Showing the first {TRAJECTORY_LIMIT} episodes.</p>}
        <div className="modal-actions"><button className="btn" onClick={onClose}>Close</button></div>
      </div>
    </div>
  );
}
