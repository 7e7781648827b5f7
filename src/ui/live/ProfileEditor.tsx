import { useState } from 'react';
import { DEFAULT_TOPICS, validateProfile } from '../../app/live/profiles';
import type { RobotProfile, RobotTopics } from '../../robot/profile';
import { errorMessage } from '../../core/errorMessage';

/** What each topic carries, for the form (defaults and meaning: docs/LIVE.md, Robot topics). */
const TOPIC_LABELS: Record<keyof RobotTopics, string> = {
  image: 'Camera image (compressed)',
  cameraInfo: 'Camera info',
  depth: 'Depth image (optional)',
  jointStates: 'Joint states',
  tf: 'Transforms',
  tfStatic: 'Static transforms',
  robotDescription: 'Robot description (URDF)',
  twist: 'End-effector velocity command',
  gripper: 'Gripper command',
  instruction: 'Task instruction (optional)',
  success: 'Task success (optional)',
};

const num = (v: string) => (v.trim() === '' ? NaN : Number(v));

/**
 * The robot profile as a form: address, topics, frames, limits and the safety timings, each named
 * and checked when saved (every problem listed in words). The same profile as JSON can be pasted
 * or copied under "As JSON", to move it between browsers.
 */
export function ProfileEditor({ initial, onSave, onDelete, onCancel }: {
  initial: RobotProfile;
  onSave: (profile: RobotProfile) => void;
  onDelete?: () => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<RobotProfile>(initial);
  const [json, setJson] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const set = <K extends keyof RobotProfile>(k: K, v: RobotProfile[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const setTopic = (k: keyof RobotTopics, v: string) => setDraft((d) => ({ ...d, topics: { ...d.topics, [k]: v.trim() } }));
  const ws = draft.workspace;
  const setBound = (which: 'min' | 'max', axis: number, v: string) => {
    const base = ws ?? { min: [0, 0, 0], max: [0, 0, 0] };
    const next = { min: [...base.min], max: [...base.max] } as NonNullable<RobotProfile['workspace']>;
    next[which][axis] = num(v);
    set('workspace', next);
  };

  const save = () => {
    let candidate: unknown = draft;
    if (json !== null) {
      try {
        candidate = JSON.parse(json);
      } catch (err) {
        return setErrors([`The JSON could not be read: ${errorMessage(err)}`]);
      }
    }
    const v = validateProfile(candidate);
    if (!v.ok) return setErrors(v.errors);
    setErrors([]);
    onSave(v.profile);
  };

  return (
    <div className="live-profile-editor" role="dialog" aria-label="Edit robot profile">
      <p className="muted">This robot's address, topics, frames and limits (defaults: docs/LIVE.md, Robot topics). Saved in this browser.</p>
      <fieldset disabled={json !== null} className="profile-form">
        <label>Name <input aria-label="Profile name" value={draft.name} onChange={(e) => set('name', e.target.value)} /></label>
        <label>rosbridge URL <input aria-label="Profile URL" value={draft.url} spellCheck={false} onChange={(e) => set('url', e.target.value.trim())} /></label>
        <details>
          <summary>Topics</summary>
          {(Object.keys(DEFAULT_TOPICS) as (keyof RobotTopics)[]).map((k) => (
            <label key={k}>{TOPIC_LABELS[k]} <input aria-label={`Topic: ${TOPIC_LABELS[k]}`} value={draft.topics[k]} spellCheck={false} placeholder={DEFAULT_TOPICS[k] || 'none'} onChange={(e) => setTopic(k, e.target.value)} /></label>
          ))}
          <label>Reset service (optional) <input aria-label="Reset service" value={draft.resetService} spellCheck={false} onChange={(e) => set('resetService', e.target.value.trim())} /></label>
        </details>
        <details>
          <summary>Frames, limits and safety</summary>
          <label>Base frame <input aria-label="Base frame" value={draft.baseFrame} onChange={(e) => set('baseFrame', e.target.value.trim())} /></label>
          <label>End-effector frame <input aria-label="End-effector frame" value={draft.eeFrame} onChange={(e) => set('eeFrame', e.target.value.trim())} /></label>
          <label>Max linear speed (m/s) <input aria-label="Max linear speed" type="number" step={0.01} value={draft.limits.maxLinear} onChange={(e) => set('limits', { ...draft.limits, maxLinear: num(e.target.value) })} /></label>
          <label>Max angular speed (rad/s) <input aria-label="Max angular speed" type="number" step={0.05} value={draft.limits.maxAngular} onChange={(e) => set('limits', { ...draft.limits, maxAngular: num(e.target.value) })} /></label>
          <label className="check"><input type="checkbox" aria-label="Clamp to a workspace" checked={!!ws} onChange={(e) => set('workspace', e.target.checked ? (initial.workspace ?? { min: [0, -0.5, 0], max: [1, 0.5, 1] }) : undefined)} /> Clamp the end effector to a box (m, base frame)</label>
          {ws && (['min', 'max'] as const).map((which) => (
            <div key={which} className="live-row">{which} {[0, 1, 2].map((axis) => (
              <input key={axis} aria-label={`Workspace ${which} ${'xyz'[axis]}`} type="number" step={0.01} style={{ width: 72 }} value={Number.isFinite(ws[which][axis]) ? ws[which][axis] : ''} onChange={(e) => setBound(which, axis, e.target.value)} />
            ))}</div>
          ))}
          <label>Largest message (MB) <input aria-label="Largest message (MB)" type="number" step={0.5} value={draft.maxMessageBytes / 2 ** 20} onChange={(e) => set('maxMessageBytes', Math.round(num(e.target.value) * 2 ** 20))} /></label>
          <label>Withhold motion after silence (ms) <input aria-label="Motion timeout (ms)" type="number" step={10} value={draft.motionTimeoutMs} onChange={(e) => set('motionTimeoutMs', num(e.target.value))} /></label>
          <label>Stop the run after silence (ms) <input aria-label="Silence stop (ms)" type="number" step={50} value={draft.silenceStopMs} onChange={(e) => set('silenceStopMs', num(e.target.value))} /></label>
        </details>
      </fieldset>
      <details onToggle={(e) => setJson((e.currentTarget as HTMLDetailsElement).open ? JSON.stringify(draft, null, 2) : null)}>
        <summary>As JSON (paste one to import, or copy this one)</summary>
        {json !== null && <textarea value={json} onChange={(e) => setJson(e.target.value)} rows={14} spellCheck={false} aria-label="Profile JSON" />}
      </details>
      {errors.length > 0 && <ul className="live-errors" role="alert">{errors.map((e) => <li key={e}>{e}</li>)}</ul>}
      <div className="live-row">
        <button className="btn btn-primary" onClick={save}>Save as profile</button>
        {onDelete && <button className="btn btn-danger" onClick={onDelete}>Delete profile</button>}
        <button className="btn" onClick={onCancel}>Cancel</button>
      </div>
    </div>
  );
}
