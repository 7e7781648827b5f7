import { useEffect, useRef, useState } from 'react';
import type { Path } from '../../core/path';
import { Viewer3dSync } from '../../app/live/viewer3dSync';
import type { LiveSession } from '../../robot/liveSession';
import type { LiveViewer } from '../../viewer3d/liveViewer';
import { errorMessage } from '../../core/errorMessage';

/**
 * The 3D view, loaded only when the Live section opens (three.js is a big chunk). It pulls the
 * robot's state at 30 Hz rather than reacting to each message: the view renders at the display's
 * rate whatever the message rates are.
 */
export function Viewer3dPanel({ session, path, urdfLoaded, onHide }: { session: LiveSession; path: Path | null; urdfLoaded: boolean; onHide: () => void }) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewerRef = useRef<LiveViewer | null>(null);
  const fpsRef = useRef<HTMLSpanElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [robotNote, setRobotNote] = useState('waiting for /robot_description');
  const pathRef = useRef(path);
  pathRef.current = path;

  useEffect(() => {
    let viewer: LiveViewer | null = null;
    let disposed = false;
    const sync = new Viewer3dSync(session, setRobotNote);
    let timer: ReturnType<typeof setInterval> | undefined;
    let ticks = 0;
    void import('../../viewer3d/liveViewer').then(({ LiveViewer }) => {
      if (disposed || !hostRef.current) return;
      try {
        viewer = new LiveViewer(hostRef.current, { onGizmoTarget: (p) => (session.teleop.gizmoTarget = p), yieldTo: () => session.loop.stepInFlight });
      } catch (err) {
        setError(`The 3D view needs WebGL: ${errorMessage(err)}`);
        return;
      }
      viewerRef.current = viewer;
      timer = setInterval(() => {
        const v = viewer!;
        sync.tick(v, pathRef.current);
        // A text change costs a layout: twice a second is enough for a figure.
        if (fpsRef.current && ++ticks % 15 === 0) fpsRef.current.textContent = `${v.fps} fps (${v.renders} drawn, ${v.renderMs.toFixed(1)} ms${v.software ? ', software GL' : ''})${v.meshesDrawn ? ` · ${v.meshesDrawn} meshes` : ''}`;
      }, 33);
    }).catch((err) => setError(`The 3D view failed to load: ${errorMessage(err)}`));
    return () => {
      disposed = true;
      clearInterval(timer);
      viewer?.dispose();
      viewerRef.current = null;
    };
  }, [session]);

  /** A URDF with meshes from a folder on disk (robots whose description references mesh files). */
  const onFolder = async (files: FileList | null) => {
    if (!files?.length || !viewerRef.current) return;
    const all = [...files];
    const urdfFile = all.find((f) => /\.urdf$/i.test(f.name));
    if (!urdfFile) return setRobotNote(`No .urdf file in the chosen folder (${all.length} files). Pick the robot's description folder.`);
    const meshes = new Map<string, File>();
    for (const f of all) {
      const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
      const parts = rel.split('/');
      for (let i = 0; i < parts.length; i++) meshes.set(parts.slice(i).join('/'), f);
    }
    try {
      session.customUrdf = await urdfFile.text();
      const { joints } = viewerRef.current.loadRobot(session.customUrdf, meshes);
      setRobotNote(`${urdfFile.name} from a folder · ${joints.length} joints`);
    } catch (err) {
      setRobotNote(`${urdfFile.name} could not be read: ${errorMessage(err)}`);
    }
  };

  return (
    <div className="live-3d">
      <div className="live-3d-host" ref={hostRef} data-testid="viewer3d" />
      {error && <div className="live-camera-empty">{error}</div>}
      <div className="live-3d-bar">
        <span data-testid="urdf-status">{urdfLoaded || session.customUrdf ? robotNote : 'waiting for /robot_description'}</span>
        <span ref={fpsRef} className="muted" data-testid="viewer3d-fps" />
        <label className="btn btn-small">
          URDF folder…
          <input type="file" hidden multiple {...{ webkitdirectory: '' }} onChange={(e) => void onFolder(e.target.files)} />
        </label>
        <button className="btn btn-small" onClick={onHide} title="Hide the 3D view (saves CPU on machines without a GPU)">Hide</button>
      </div>
    </div>
  );
}
