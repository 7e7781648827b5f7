/**
 * An opened episode dataset: summary and problems, camera + calibration, end-effector source,
 * gripper/segment settings, the episode browser, and the import into a studio dataset. What it
 * shows and does is the workspace's (src/app/episodes/episodeWorkspace.ts).
 */
import { useMemo, useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router-dom';
import type { OpenedEpisodes } from '../../../app/episodes/episodeImportController';
import { formatIndexRanges } from '../../../app/episodes/episodeLabels';
import type { ColumnRole } from '../../../importers/episodes/inspection';
import { BagChoices } from './BagChoices';
import { BagFindings } from './BagFindings';
import { ClickCalibration } from './ClickCalibration';
import { DatasetFindings } from './DatasetFindings';
import { EpisodeDetail } from './EpisodeDetail';
import { TrajectoryDialog } from './TrajectoryDialog';
import { UrdfSection } from './UrdfSection';

const NEW = '__new__';

export function EpisodeWorkspace({ opened, onRoleChange, busy, onClose }: {
  opened: OpenedEpisodes;
  /** Null when the roles cannot be changed (HDF5, ROS bags). */
  onRoleChange: ((key: string, role: ColumnRole) => void) | null;
  busy: boolean;
  onClose: () => void;
}) {
  const { source, workspace, bag } = opened;
  const s = useSyncExternalStore(workspace.subscribe, workspace.getSnapshot);
  const urdf = useSyncExternalStore(workspace.urdf.subscribe, workspace.urdf.getSnapshot);
  const [show3d, setShow3d] = useState(false);
  const trajectoryEpisodes = useMemo(() => [...s.checked].sort((a, b) => a - b), [s.checked]);
  const missing = (camera: string) => workspace.framesMissing.get(camera)?.size ?? source.episodes.length;

  return (
    <div className="ep-workspace">
      <section className="card ep-summary" aria-label="Dataset summary">
        <div className="toolbar">
          <h2 style={{ margin: 0 }}>{source.name}</h2>
          <span className="badge" data-testid="source-format">{source.format}</span>
          <span className="spacer" />
          <button className="btn btn-small" onClick={onClose}>Open another…</button>
        </div>
        <p className="muted" data-testid="source-facts">
          {source.episodes.length} episodes · {source.episodes.reduce((n, e) => n + e.length, 0)} frames · {source.fps} fps
          {source.robotType ? ` · ${source.robotType}` : ''} · cameras: {source.cameras.map((c) => `${c.key} ${c.width}×${c.height}${c.codec ? ` ${c.codec}` : ''}`).join(', ') || 'none'}
        </p>
        {source.inspection && <DatasetFindings inspection={source.inspection} onRoleChange={onRoleChange} busy={busy} />}
        {source.bag && <BagFindings facts={source.bag} />}
        {source.problems.length > 0 && (
          <div className="import-report" data-testid="source-problems">
            <b>Read with problems:</b>
            <ul>{source.problems.map((p) => <li key={p}>{p}</li>)}</ul>
          </div>
        )}
      </section>
      {bag && <BagChoices controller={bag} />}

      <div className="ep-settings">
        <section className="card" aria-label="Camera and calibration">
          <h3>Camera &amp; calibration</h3>
          <label>Camera <select aria-label="Camera" value={s.camera} onChange={(e) => workspace.chooseCamera(e.target.value)}>
            {source.cameras.map((c) => {
              const n = missing(c.key);
              return <option key={c.key} value={c.key}>{c.key}{n === source.episodes.length ? ' (missing)' : n ? ` (no video for ${n} episode${n === 1 ? '' : 's'})` : ''}</option>;
            })}
          </select></label>
          <div className="ep-radios" role="radiogroup" aria-label="Calibration source">
            <label><input type="radio" name="cal" checked={s.calibrationMode === 'metadata'} disabled={s.metadataOrigin === null} onChange={() => workspace.change({ calibrationMode: 'metadata' })} /> From the dataset{s.metadataOrigin !== null ? ` (${s.metadataOrigin})` : ' (none stored)'}</label>
            <label><input type="radio" name="cal" checked={s.calibrationMode === 'saved'} disabled={!s.saved.length} onChange={() => workspace.change({ calibrationMode: 'saved' })} /> Saved calibration
              {s.saved.length > 0 && <select aria-label="Saved calibration" value={s.savedId} onChange={(e) => workspace.change({ savedId: e.target.value })}>
                {s.saved.map((c) => <option key={c.id} value={c.id}>{c.label ?? c.camera}{c.rmsPx !== undefined ? ` · RMS ${c.rmsPx.toFixed(2)} px` : ''}</option>)}
              </select>}
            </label>
            <label><input type="radio" name="cal" checked={s.calibrationMode === 'clicks'} onChange={() => workspace.change({ calibrationMode: 'clicks' })} /> Calibrate by clicks</label>
          </div>
          {s.calibrationMode === 'clicks' && (
            <ClickCalibration clicks={s.clicks} result={s.dlt} saving={s.savingCalibration} onSave={() => void workspace.saveClicks()}
              onRemove={(i) => workspace.removeClick(i)} onClear={() => workspace.clearClicks()} />
          )}
        </section>

        <section className="card" aria-label="End effector">
          <h3>End effector</h3>
          <div className="ep-radios" role="radiogroup" aria-label="End-effector source">
            <label><input type="radio" name="ee" checked={s.eeMode === 'state'} disabled={!source.eeStateIndices} onChange={() => workspace.change({ eeMode: 'state' })} /> From state columns{source.eeStateIndices ? ` (${source.eeStateIndices.map((i) => source.stateNames[i]).join(', ')})` : ` (none found among ${source.stateNames.length} state values${onRoleChange ? '; give a column the role “end-effector position” above' : ''})`}</label>
            <label><input type="radio" name="ee" checked={s.eeMode === 'fk'} onChange={() => workspace.change({ eeMode: 'fk' })} /> Forward kinematics of a URDF</label>
          </div>
          {s.eeMode === 'fk' && <UrdfSection controller={workspace.urdf} stateNames={source.stateNames} />}
          <div className="toolbar"><button className="btn btn-small" disabled={!s.ee} onClick={() => setShow3d(true)}>Show trajectories in 3D</button></div>
        </section>

        <section className="card" aria-label="Gripper and segments">
          <h3>Gripper &amp; segments</h3>
          <label>Gripper signal <select aria-label="Gripper column" value={s.gripperColumn ?? ''} onChange={(e) => workspace.change({ gripperColumn: e.target.value === '' ? null : Number(e.target.value) })}>
            <option value="">(none: always open)</option>
            {source.stateNames.map((n, i) => <option key={n} value={i}>{n}</option>)}
          </select></label>
          <label><input type="checkbox" checked={s.inverted} onChange={(e) => workspace.change({ inverted: e.target.checked })} /> larger value = more open</label>
          <div className="toolbar">
            <label>close at ≥ <input type="number" step={0.05} min={0} max={1} value={s.closeAbove} aria-label="Close threshold" onChange={(e) => workspace.change({ closeAbove: Number(e.target.value) })} /></label>
            <label>open at ≤ <input type="number" step={0.05} min={0} max={1} value={s.openBelow} aria-label="Open threshold" onChange={(e) => workspace.change({ openBelow: Number(e.target.value) })} /></label>
          </div>
          <p className="muted">{source.gripperIsClosure01 ? 'The signal measures closure 0…1.' : 'The signal is rescaled to its own range per episode.'} Hysteresis: the state flips only past the far threshold.</p>
          <div className="ep-radios" role="radiogroup" aria-label="Segmentation">
            <label><input type="radio" name="seg" checked={s.segmentation === 'whole'} onChange={() => workspace.change({ segmentation: 'whole' })} /> One sample per episode</label>
            <label><input type="radio" name="seg" checked={s.segmentation === 'gripper'} onChange={() => workspace.change({ segmentation: 'gripper' })} /> Split into sub-tasks after each release</label>
          </div>
          <label>Simplify ε <input type="number" step={0.01} min={0} max={0.5} value={s.epsilon} aria-label="Simplify epsilon" onChange={(e) => workspace.change({ epsilon: Number(e.target.value) })} /></label>
        </section>
      </div>

      <section className="card ep-browser" aria-label="Episodes">
        <div className="toolbar">
          <h3 style={{ margin: 0 }}>Episodes</h3>
          <span className="muted">{s.checked.size} of {source.episodes.length} ticked</span>
          {s.tickedWithoutFrames.length > 0 && <span className="muted" data-testid="episodes-without-frames">· left out (no video for {s.camera}): {formatIndexRanges(s.tickedWithoutFrames)}</span>}
          <button className="btn btn-small" onClick={() => workspace.tickAll()}>All</button>
          <button className="btn btn-small" onClick={() => workspace.tickNone()}>None</button>
        </div>
        <div className="ep-list">
          <table className="ep-table">
            <thead><tr><th /><th>#</th><th>instruction</th><th>frames</th><th>cameras</th><th>success</th></tr></thead>
            <tbody>
              {source.episodes.map((e) => (
                <tr key={e.index} className={e.index === s.selected ? 'selected' : ''} onClick={() => workspace.select(e.index)} data-testid={`episode-row-${e.index}`}>
                  <td><input type="checkbox" aria-label={`Import episode ${e.index}`} checked={s.checked.has(e.index)} onClick={(ev) => ev.stopPropagation()} onChange={(ev) => workspace.tick(e.index, ev.target.checked)} /></td>
                  <td>{e.index}</td>
                  <td><input className="ep-task" aria-label={`Instruction for episode ${e.index}`} value={s.instructions[e.index] ?? e.task} onChange={(ev) => workspace.setInstruction(e.index, ev.target.value)} /></td>
                  <td>{e.length}</td>
                  <td>{source.cameras.filter((c) => !workspace.framesMissing.get(c.key)?.has(e.index)).length}/{source.cameras.length}</td>
                  <td>{e.success === undefined ? '–' : e.success ? '✓' : '✗'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <EpisodeDetail workspace={workspace} />
      </section>

      <section className="card ep-import" aria-label="Import">
        <h3>Make samples</h3>
        <div className="toolbar">
          <label>Into dataset <select aria-label="Target dataset" value={s.target ?? NEW} onChange={(e) => workspace.chooseTarget(e.target.value === NEW ? null : e.target.value)}>
            <option value={NEW}>New dataset…</option>
            {s.datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select></label>
          {s.target === null && <input aria-label="New dataset name" value={s.newName} onChange={(e) => workspace.change({ newName: e.target.value })} />}
          <button className="btn btn-primary" disabled={s.importing || s.blockers.length > 0} onClick={() => void workspace.startImport()}>
            Import {s.episodesToImport.length} episode{s.episodesToImport.length === 1 ? '' : 's'} as samples
          </button>
        </div>
        {s.blockers.length > 0 && <p className="muted" data-testid="import-blockers">To import: {s.blockers.join('; ')}.</p>}
        {s.importError && <div className="import-report" role="alert">{s.importError}</div>}
        {s.result && (
          <div className="ep-result" role="status" data-testid="import-result">
            {s.result.cancelled ? 'Cancelled; kept' : 'Imported'} {s.result.episodes} episodes as {s.result.samples} draft samples.{' '}
            {s.result.episodes > 0 && <><Link to={`/annotate/${s.result.datasetId}`}>Review them in Annotate</Link> · <Link to={`/library/${s.result.datasetId}`}>Open in Library</Link></>}
            {s.result.problems.length > 0 && <ul>{s.result.problems.map((p) => <li key={p}>{p}</li>)}</ul>}
          </div>
        )}
      </section>
      {show3d && s.ee && <TrajectoryDialog source={source} ee={s.ee} urdf={s.eeMode === 'fk' ? urdf.choice : null} episodes={trajectoryEpisodes} onClose={() => setShow3d(false)} />}
    </div>
  );
}
