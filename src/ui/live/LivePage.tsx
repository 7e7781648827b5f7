import { useEffect, useState } from 'react';
import { screenRegistry } from '../../app/keymap';
import type { Path } from '../../core/path';
import { isTextField } from '../common/isTextField';
import { KeymapOverlay } from '../common/KeymapOverlay';
import { CameraView } from './CameraView';
import { ConnectionBar } from './ConnectionBar';
import { MetricsPanel } from './MetricsPanel';
import { RecordingPanel } from './RecordingPanel';
import { RunPanel } from './RunPanel';
import { SafetyBar } from './SafetyBar';
import { TeleopPanel } from './TeleopPanel';
import { useLiveSession } from './useLiveSession';
import { Viewer3dPanel } from './Viewer3dPanel';
import './live.css';

const SHOW_3D_KEY = 'path-studio.live.3d';


/**
 * The operator console: connect to a robot, watch camera + 3D, run the hierarchical model with an
 * editable path, teleoperate / take over, record. Safety first: Esc always e-stops, Space e-stops
 * outside text fields, and hiding the tab, leaving the page or losing the link stop the robot.
 */
export default function LivePage() {
  const [session, snap] = useLiveSession();
  const [draftPath, setDraftPath] = useState<Path | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  // The 3D view can be switched off on weak machines (software WebGL costs CPU the control loop needs).
  const [show3d, setShow3d] = useState(() => localStorage.getItem(SHOW_3D_KEY) !== 'off');
  const toggle3d = () => {
    localStorage.setItem(SHOW_3D_KEY, show3d ? 'off' : 'on');
    setShow3d(!show3d);
  };

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      // The console's commands (the e-stop first) from the one keymap; held teleop keys fall through.
      const inTextField = isTextField(e.target);
      if (screenRegistry('live').dispatchKey({ session, toggleHelp: () => setHelpOpen((open) => !open) }, e, { inTextField })) {
        e.preventDefault();
        return;
      }
      if (inTextField || e.ctrlKey || e.metaKey || e.altKey) return;
      const teleop = session.loop.mode === 'teleop' || session.loop.intervening;
      if (teleop && session.teleop.keyDown(e.code, e.shiftKey)) e.preventDefault();
    };
    const onKeyUp = (e: KeyboardEvent) => session.teleop.keyUp(e.code, e.shiftKey);
    const onBlur = () => session.teleop.releaseAll();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden' && (session.gate.running || session.loop.mode !== 'idle')) session.stop('stop', 'the tab was hidden');
    };
    const onUnload = () => session.stop('estop', 'the page was closed');
    session.teleop.readGamepad = () => {
      const pad = [...(navigator.getGamepads?.() ?? [])].find(Boolean);
      return pad ? { axes: pad.axes, buttons: pad.buttons.map((b) => b.value) } : null;
    };
    // One signal removes every listener on unmount.
    const listeners = new AbortController();
    const { signal } = listeners;
    window.addEventListener('keydown', onKeyDown, { capture: true, signal });
    window.addEventListener('keyup', onKeyUp, { capture: true, signal });
    window.addEventListener('blur', onBlur, { signal });
    document.addEventListener('visibilitychange', onVisibility, { signal });
    window.addEventListener('pagehide', onUnload, { signal });
    window.addEventListener('beforeunload', onUnload, { signal });
    return () => listeners.abort();
  }, [session]);

  const running = snap.mode === 'model';
  const shownPath = running ? snap.path : draftPath;
  const onPathEdited = (p: Path) => (running ? session.setPath(p) : setDraftPath(p));

  return (
    <section className="page live-page" aria-label="Live robot console">
      <div className="page-header">
        <h2>Live</h2>
        <ConnectionBar session={session} snap={snap} />
      </div>
      <SafetyBar session={session} snap={snap} />
      {helpOpen && (
        <KeymapOverlay
          registry={screenRegistry('live')}
          context={{ session, toggleHelp: () => setHelpOpen(false) }}
          intro="Esc stops the robot from anywhere on this page, this list included. Teleop keys go by position on the keyboard; a gamepad and the 3D view's green sphere move the gripper too."
          onClose={() => setHelpOpen(false)}
        />
      )}
      {snap.lastError && <div className="live-error" role="alert">{snap.lastError}</div>}
      <div className="live-views">
        <CameraView session={session} path={shownPath} onPathEdited={onPathEdited} editable={snap.link?.state === 'connected'} />
        {show3d
          ? <Viewer3dPanel session={session} path={shownPath} urdfLoaded={snap.hasUrdf} onHide={toggle3d} />
          : <div className="live-3d live-3d-off"><button className="btn" onClick={toggle3d}>Show the 3D view</button></div>}
      </div>
      <div className="live-panels">
        <RunPanel session={session} snap={snap} draftPath={draftPath} onDraftPath={setDraftPath} />
        <TeleopPanel session={session} snap={snap} />
        <RecordingPanel session={session} snap={snap} />
        <MetricsPanel session={session} />
      </div>
    </section>
  );
}
