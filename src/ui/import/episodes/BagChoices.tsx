/**
 * The choices for reading a ROS bag (BagChoicesController): camera topic, its CameraInfo, the
 * end-effector and gripper sources, the episode cut. Each list is what inspectBag found; a change
 * re-reads the bag (progress and Cancel while it reads) and the screen below shows the result.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { BagChoicesController } from '../../../app/episodes/bagChoices';
import { eeLabel, gripperLabel } from '../../../app/episodes/episodeLabels';
import type { BagImportOptions } from '../../../formats/rosbag2/options';
import type { CutChoice, EeChoice, GripperChoice } from '../../../formats/rosbag2/robot';
import type { BagFacts } from '../../../importers/rosbag/facts';

const NONE = '__none__';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function BagChoices({ controller }: { controller: BagChoicesController }) {
  const snap = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const facts = snap.source.bag!;
  // While a read runs, the controls show what was asked for.
  const shown: Required<BagImportOptions> = { ...snap.plan, infoTopic: snap.plan.infoTopic ?? null, ...snap.pending?.options } as Required<BagImportOptions>;
  const pairedInfo = facts.cameras.find((c) => c.topic === shown.camera)?.infoTopic ?? null;
  const info = snap.pending && snap.pending.options.infoTopic === undefined ? pairedInfo : shown.infoTopic;
  const choose = (change: BagImportOptions) => void controller.choose(change);
  const frames = snap.source.episodes.reduce((n, e) => n + e.length, 0);
  const busy = !!snap.pending;

  return (
    <section className="card ep-bag-choices" aria-label="Bag choices" data-testid="bag-choices">
      <h3>Read the bag with</h3>
      <div className="ep-bag-grid">
        <label>Camera topic <select aria-label="Camera topic" value={shown.camera} onChange={(e) => choose({ camera: e.target.value })}>
          {facts.cameras.map((c) => <option key={c.topic} value={c.topic}>{c.topic} ({c.width}×{c.height}, {plural(c.count, 'frame')})</option>)}
        </select></label>

        <label>CameraInfo <select aria-label="CameraInfo topic" value={info ?? NONE} onChange={(e) => choose({ infoTopic: e.target.value === NONE ? null : e.target.value })}>
          {facts.infoTopics.map((t) => <option key={t} value={t}>{t}{t === pairedInfo ? ' (paired by name)' : ''}</option>)}
          <option value={NONE}>(none: calibrate by clicks)</option>
        </select></label>
        {!facts.infoTopics.length && <p className="muted">This bag has no sensor_msgs/CameraInfo topic: calibrate the camera by clicks.</p>}

        <EeSelect facts={facts} value={shown.ee} onChange={(ee) => choose({ ee })} />
        <GripperSelect facts={facts} value={shown.gripper} onChange={(gripper) => choose({ gripper })} />
        <CutChoices facts={facts} value={shown.cut} onChange={(cut) => choose({ cut })} />
      </div>
      <p className="muted" data-testid="bag-preview">
        {busy ? 'Reading…' : `${plural(snap.source.episodes.length, 'episode')} · ${plural(frames, 'frame')} from ${snap.plan.camera}`}
      </p>
      {snap.pending && (
        <div className="toolbar" data-testid="bag-reading">
          <progress max={snap.pending.total || 1} value={snap.pending.done} aria-label="Reading the bag" />
          <span className="muted">{snap.pending.total ? `${snap.pending.done} of ${snap.pending.total} messages` : 'starting…'}</span>
          <button className="btn btn-small" onClick={() => controller.cancel()}>Cancel</button>
        </div>
      )}
      {snap.error && <div className="import-report" role="alert" data-testid="bag-choice-error"><b>Could not read the bag with that choice</b> (the previous choices stay): {snap.error}</div>}
    </section>
  );
}

function EeSelect({ facts, value, onChange }: { facts: BagFacts; value: EeChoice; onChange: (ee: EeChoice) => void }) {
  const groups: [string, EeChoice[], string][] = [
    ['/tf frames', facts.eeChoices.filter((c) => c.kind === 'tf'), 'no /tf frames'],
    ['Pose topics', facts.eeChoices.filter((c) => c.kind === 'pose'), 'no pose topics (PoseStamped, Pose, PointStamped)'],
    ['joint_states + URDF (forward kinematics)', facts.eeChoices.filter((c) => c.kind === 'joints'), 'no joint_states'],
  ];
  const missing = groups.filter(([, list]) => !list.length).map(([, , none]) => none);
  const text = (c: EeChoice) => (c.kind === 'tf' ? c.frame : c.kind === 'none' ? 'none' : c.topic);
  return (
    <>
      <label>End effector <select aria-label="End-effector source" value={eeLabel(value)} disabled={!facts.eeChoices.length}
        onChange={(e) => onChange(facts.eeChoices.find((c) => eeLabel(c) === e.target.value)!)}>
        {!facts.eeChoices.length && <option value={eeLabel(value)}>(none found)</option>}
        {groups.filter(([, list]) => list.length).map(([label, list]) => (
          <optgroup key={label} label={label}>{list.map((c) => <option key={eeLabel(c)} value={eeLabel(c)}>{text(c)}</option>)}</optgroup>
        ))}
      </select></label>
      {missing.length > 0 && <p className="muted" data-testid="ee-empty">This bag has {missing.join(', ')}{facts.eeChoices.length ? '' : ': the path cannot be projected'}.</p>}
    </>
  );
}

function GripperSelect({ facts, value, onChange }: { facts: BagFacts; value: GripperChoice; onChange: (g: GripperChoice) => void }) {
  const all = [...facts.gripperChoices, ...facts.otherGripperSignals];
  const text = (c: Exclude<GripperChoice, null>) => (c.kind === 'joint' ? `${c.name} (${c.topic})` : c.topic);
  const group = (label: string, list: Exclude<GripperChoice, null>[]) => list.length > 0 && (
    <optgroup label={label}>{list.map((c) => <option key={gripperLabel(c)} value={gripperLabel(c)}>{text(c)}</option>)}</optgroup>
  );
  return (
    <>
      <label>Gripper <select aria-label="Gripper source" value={value ? gripperLabel(value) : NONE}
        onChange={(e) => onChange(e.target.value === NONE ? null : all.find((c) => gripperLabel(c) === e.target.value)!)}>
        <option value={NONE}>(none: always open)</option>
        {group('Named like a gripper', facts.gripperChoices)}
        {group('Other signals', facts.otherGripperSignals)}
      </select></label>
      {!all.length && <p className="muted">This bag has no Float64/Float32/Bool topic and no joint_states joint to take the gripper from.</p>}
    </>
  );
}

function CutChoices({ facts, value, onChange }: { facts: BagFacts; value: CutChoice; onChange: (c: CutChoice) => void }) {
  const [gap, setGap] = useState(String(value.kind === 'gaps' ? value.seconds : 1));
  const [marker, setMarker] = useState(value.kind === 'topic' ? value.topic : facts.markerTopics[0] ?? '');
  useEffect(() => { if (value.kind === 'gaps') setGap(String(value.seconds)); if (value.kind === 'topic') setMarker(value.topic); }, [value]);
  const seconds = Number(gap);
  const gapOk = gap.trim() !== '' && Number.isFinite(seconds) && seconds > 0;
  return (
    <div className="ep-radios" role="radiogroup" aria-label="Episode cut">
      <span>Episodes</span>
      <label><input type="radio" name="bag-cut" checked={value.kind === 'whole'} onChange={() => onChange({ kind: 'whole' })} /> The whole bag is one episode</label>
      <label>
        <input type="radio" name="bag-cut" checked={value.kind === 'gaps'} disabled={!gapOk} onChange={() => onChange({ kind: 'gaps', seconds })} /> A new episode after camera gaps longer than
        {' '}<input type="number" min={0} step={0.1} value={gap} aria-label="Gap seconds" style={{ width: 70 }}
          onChange={(e) => {
            setGap(e.target.value);
            const s = Number(e.target.value);
            if (e.target.value.trim() !== '' && Number.isFinite(s) && s > 0 && value.kind === 'gaps') onChange({ kind: 'gaps', seconds: s });
          }} /> s
        {!gapOk && <span className="ep-warn"> (seconds above 0)</span>}
      </label>
      <label>
        <input type="radio" name="bag-cut" checked={value.kind === 'topic'} disabled={!marker} onChange={() => onChange({ kind: 'topic', topic: marker })} /> One episode per message of
        {' '}<select aria-label="Marker topic" value={marker} disabled={!facts.markerTopics.length}
          onChange={(e) => { setMarker(e.target.value); if (value.kind === 'topic') onChange({ kind: 'topic', topic: e.target.value }); }}>
          {!facts.markerTopics.length && <option value="">(none)</option>}
          {facts.markerTopics.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      {!facts.markerTopics.length && <p className="muted">This bag has no std_msgs/String, Bool or Empty topic to mark episodes with.</p>}
    </div>
  );
}
