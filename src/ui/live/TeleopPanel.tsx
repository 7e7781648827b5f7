import { useEffect, useState } from 'react';
import type { LiveSession, LiveSnapshot } from '../../robot/liveSession';
import { teleopKeyLegend } from '../../app/live/liveCommands';
import type { TeleopFrame } from '../../robot/teleop';
import { notifyError } from '../../app/toasts';
import { errorMessage } from '../../core/errorMessage';

/** Keyboard / gamepad / gizmo teleoperation: start, speeds, the key map and the gripper. */
export function TeleopPanel({ session, snap }: { session: LiveSession; snap: LiveSnapshot }) {
  const [speed, setSpeed] = useState(session.teleop.speeds.linear);
  const [pad, setPad] = useState<string | null>(null);
  const [frame, setFrame] = useState<TeleopFrame>(session.teleop.frame);
  const chooseFrame = (f: TeleopFrame) => { session.teleop.frame = f; setFrame(f); };
  const cameraKnown = session.teleop.cameraToBase() !== null;
  const connected = snap.link?.state === 'connected';
  const teleopActive = snap.mode === 'teleop' || snap.intervening;

  useEffect(() => {
    const update = () => setPad([...navigator.getGamepads?.() ?? []].find(Boolean)?.id ?? null);
    update();
    window.addEventListener('gamepadconnected', update);
    window.addEventListener('gamepaddisconnected', update);
    return () => {
      window.removeEventListener('gamepadconnected', update);
      window.removeEventListener('gamepaddisconnected', update);
    };
  }, []);

  return (
    <section className="live-panel" aria-label="Teleoperation">
      <h3>Teleoperate</h3>
      <div className="live-row">
        <button className="btn btn-primary" disabled={!connected || snap.mode !== 'idle'} data-testid="start-teleop" onClick={() => { try { session.startTeleop(); } catch (err) { notifyError(errorMessage(err)); } }}>Start teleop</button>
        <label className="live-small">speed <input type="range" min={0.02} max={0.25} step={0.01} value={speed} aria-label="Teleop speed" onChange={(e) => { const v = Number(e.target.value); setSpeed(v); session.teleop.speeds.linear = v; }} /> {(speed * 100).toFixed(0)} cm/s</label>
      </div>
      <div className="live-row live-small" role="radiogroup" aria-label="Keys move the gripper">
        Keys move the gripper
        <label className="check"><input type="radio" name="teleop-frame" checked={frame === 'base'} onChange={() => chooseFrame('base')} /> in the robot's axes</label>
        <label className="check" title={cameraKnown ? undefined : 'The camera’s pose is not known yet (no camera calibration from the robot)'}>
          <input type="radio" name="teleop-frame" checked={frame === 'camera'} disabled={!cameraKnown && frame !== 'camera'} onChange={() => chooseFrame('camera')} /> as seen in the camera
        </label>
      </div>
      <p className="live-small muted">
        {teleopActive ? <b className="live-ok">Teleop active — </b> : 'When teleop is active: '}
        {frame === 'camera'
          ? 'W away from the camera · S toward it · A left · D right (as in the image) · R/F up/down · Q/E yaw'
          : teleopKeyLegend()} · Shift slow · or drag the green sphere in the 3D view.
      </p>
      <p className="live-small muted">Gamepad: {pad ? `${pad} (left stick x/y, right stick z/yaw, triggers gripper)` : 'none — press a button on a connected gamepad'}</p>
      <p className="live-small">Gripper target: <b data-testid="gripper-target">{session.teleop.gripper > 0.5 ? 'closed' : 'open'}</b></p>
    </section>
  );
}
