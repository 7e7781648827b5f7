import type { LiveSession, LiveSnapshot } from '../../robot/liveSession';

/** The big e-stop (always there), and what the safety gate says. */
export function SafetyBar({ session, snap }: { session: LiveSession; snap: LiveSnapshot }) {
  const s = snap.safety;
  const moving = s.state === 'running';
  return (
    <div className={`live-safety ${moving ? 'running' : s.kind === 'estop' ? 'estopped' : ''}`}>
      <button className="live-estop" onClick={() => session.stop('estop', 'e-stop button')} data-testid="estop" aria-label="Emergency stop (Space or Esc)">
        STOP
        <small>Space / Esc</small>
      </button>
      <div className="live-safety-text" role="status" data-testid="safety-status" data-state={s.state} data-kind={s.kind ?? ''}>
        {moving
          ? <><b>{snap.mode === 'teleop' ? 'Teleoperating' : snap.intervening ? 'Operator has taken over' : 'Model running'}</b> — commands are being sent</>
          : <><b>{s.kind === 'estop' ? 'E-STOPPED' : 'Stopped'}</b> — {s.reason}. Nothing moves until you start a run or teleop.</>}
      </div>
    </div>
  );
}
