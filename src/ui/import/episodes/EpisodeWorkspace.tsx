/**
 * An opened episode dataset: summary and problems, camera + calibration, end-effector source,
 * gripper/segment settings, the episode browser, and the import into a studio dataset.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { estimateProjection, type DltResult } from '../../../core/camera/dlt';
import { gripperColumn as findGripperColumn } from '../../../importers/episodes/analyze';
import type { EeSource, EpisodeImportOptions, EpisodeImportReport } from '../../../importers/episodes/importEpisodes';
import { runEpisodeImportInWorker } from '../../../importers/episodes/runImport';
import { formatIndexRanges, type ColumnRole } from '../../../importers/episodes/inspection';
import type { EpisodeSource } from '../../../importers/episodes/source';
import { listReusableCalibrations, saveCalibration, type EpisodeCalibrationRecord } from '../../../app/episodes/calibrations';
import { createDataset, listDatasets, type DatasetSummary } from '../../../app/datasets';
import { useJobs } from '../../../app/jobs/jobs';
import { notify } from '../../../app/toasts';
import type { BagChoicesController } from '../../../app/episodes/bagChoices';
import { BagChoices } from './BagChoices';
import { BagFindings } from './BagFindings';
import { ClickCalibration } from './ClickCalibration';
import { DatasetFindings } from './DatasetFindings';
import { EpisodeDetail, type CalibrationClick } from './EpisodeDetail';
import type { FolderEntry } from './folderInput';
import { TrajectoryDialog } from './TrajectoryDialog';
import { UrdfSection, type UrdfChoice } from './UrdfSection';

type CalMode = 'metadata' | 'saved' | 'clicks';
const NEW = '__new__';

/** Episodes without frames from a camera (all of them when its files are missing and the reader does not say which). */
const withoutFrames = (source: EpisodeSource, camera: string): Set<number> => {
  const c = source.cameras.find((x) => x.key === camera);
  if (!c) return new Set(source.episodes.map((e) => e.index));
  return new Set(c.episodesWithoutFrames ?? (c.missingFiles.length ? source.episodes.map((e) => e.index) : []));
};

export function EpisodeWorkspace({ source, entries, roles, onRoleChange, busy, onClose, bagChoices }: {
  source: EpisodeSource;
  entries: FolderEntry[];
  roles: Record<string, ColumnRole>;
  onRoleChange: ((key: string, role: ColumnRole) => void) | null;
  busy: boolean;
  onClose: () => void;
  /** ROS bags: the camera/CameraInfo/end-effector/gripper/cut choices (a change re-reads the bag and replaces this screen). */
  bagChoices?: BagChoicesController | null;
}) {
  const { datasetId: routeDatasetId } = useParams();
  const firstEp = source.episodes[0].index;
  const [camera, setCamera] = useState(() => (
    [...source.cameras].sort((a, b) => withoutFrames(source, a.key).size - withoutFrames(source, b.key).size)[0])?.key ?? '');
  const hasMetadata = !!camera && source.calibration(camera, firstEp) !== null;
  const [calMode, setCalMode] = useState<CalMode>(hasMetadata ? 'metadata' : 'clicks');
  const [datasets, setDatasets] = useState<DatasetSummary[]>([]);
  const [target, setTarget] = useState(routeDatasetId ?? NEW);
  const [newName, setNewName] = useState(source.name);
  const [saved, setSaved] = useState<EpisodeCalibrationRecord[]>([]);
  const [savedId, setSavedId] = useState('');
  const [clicks, setClicks] = useState<CalibrationClick[]>([]);
  const [savingCal, setSavingCal] = useState(false);
  const [eeMode, setEeMode] = useState<'state' | 'fk'>(source.eeStateIndices ? 'state' : 'fk');
  const [urdf, setUrdf] = useState<UrdfChoice | null>(null);
  const [gripperCol, setGripperCol] = useState<number | null>(source.gripperStateIndex ?? findGripperColumn(source.stateNames));
  const [inverted, setInverted] = useState(!source.gripperIsClosure01);
  const [closeAbove, setCloseAbove] = useState(0.6);
  const [openBelow, setOpenBelow] = useState(0.4);
  const [segmentation, setSegmentation] = useState<'whole' | 'gripper'>('whole');
  const [epsilon, setEpsilon] = useState(0.05);
  const [instructions, setInstructions] = useState<Record<number, string>>({});
  const [cuts, setCuts] = useState<Record<number, number[]>>({});
  const [checked, setChecked] = useState<Set<number>>(() => new Set(source.episodes.map((e) => e.index)));
  const [selected, setSelected] = useState(firstEp);
  const [importing, setImporting] = useState(false);
  const [result, setResult] = useState<EpisodeImportReport | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [show3d, setShow3d] = useState(false);

  useEffect(() => { void listDatasets().then((d) => setDatasets(d.filter((x) => x.deletedAt === undefined))); }, [result]);
  const targetId = target === NEW ? null : target;
  useEffect(() => {
    if (!targetId || !camera) { setSaved([]); return; }
    void listReusableCalibrations(targetId, camera).then((list) => {
      setSaved(list);
      setSavedId((id) => (list.some((c) => c.id === id) ? id : list[0]?.id ?? ''));
    });
  }, [targetId, camera, savingCal]);

  const ensureTarget = useCallback(async (): Promise<string> => {
    if (targetId) return targetId;
    const ds = await createDataset(newName.trim() || source.name);
    setTarget(ds.id);
    return ds.id;
  }, [targetId, newName, source.name]);

  const ee: EeSource | null = useMemo(() => {
    if (eeMode === 'state' && source.eeStateIndices) return { kind: 'state', indices: source.eeStateIndices };
    if (eeMode === 'fk' && urdf) return { kind: 'fk', plan: urdf.plan, origin: urdf.origin };
    return null;
  }, [eeMode, urdf, source.eeStateIndices]);

  const dlt: DltResult | null = useMemo(() => (calMode === 'clicks' && clicks.length ? estimateProjection(clicks.map((c) => ({ world: c.world, pixel: [c.u, c.v] }))) : null), [calMode, clicks]);
  const cam = source.cameras.find((c) => c.key === camera);
  const savedCal = saved.find((c) => c.id === savedId);

  const projectionFor = useCallback((episode: number) => {
    if (calMode === 'metadata') return source.calibration(camera, episode);
    if (calMode === 'saved') return savedCal ? { projection: savedCal.projection, width: savedCal.width, height: savedCal.height } : null;
    return dlt?.ok && cam ? { projection: dlt.projection, width: cam.width, height: cam.height } : null;
  }, [calMode, source, camera, savedCal, dlt, cam]);
  const projection = useMemo(() => projectionFor(selected), [projectionFor, selected]);

  const analysisOptions = useMemo(() => ({
    gripperAbsolute: source.gripperIsClosure01,
    hysteresis: { closeAbove, openBelow, inverted },
    segmentation: { kind: segmentation } as const,
    epsilon,
  }), [source.gripperIsClosure01, closeAbove, openBelow, inverted, segmentation, epsilon]);

  const saveClicks = async () => {
    if (!dlt?.ok || !cam) return;
    setSavingCal(true);
    try {
      const datasetId = await ensureTarget();
      const rec = await saveCalibration({
        datasetId, camera, projection: dlt.projection, width: cam.width, height: cam.height, source: 'clicks',
        rmsPx: dlt.rmsPx, leaveOneOutPx: dlt.leaveOneOutPx ?? undefined, sourceName: source.name, label: `${camera} from ${clicks.length} clicks`,
      });
      setSavedId(rec.id);
      setCalMode('saved');
      notify({ kind: 'success', message: `Calibration saved for ${camera} (RMS ${dlt.rmsPx.toFixed(2)} px).` });
    } finally {
      setSavingCal(false);
    }
  };

  const noFrames = useMemo(() => withoutFrames(source, camera), [source, camera]);
  const tickedWithoutFrames = source.episodes.filter((e) => checked.has(e.index) && noFrames.has(e.index)).map((e) => e.index);
  const episodesToImport = source.episodes.filter((e) => checked.has(e.index) && !noFrames.has(e.index)).map((e) => e.index);
  const calibrationReady = calMode === 'metadata' ? hasMetadata : calMode === 'saved' ? !!savedCal : !!dlt?.ok;
  const cameraReady = !!cam && noFrames.size < source.episodes.length;
  const blockers = [
    !cameraReady && `camera ${camera || '(none)'} has no video files in this folder`,
    !ee && (eeMode === 'fk' ? 'load a URDF for forward kinematics' : 'choose the end-effector source'),
    !calibrationReady && (calMode === 'clicks' ? 'calibrate the camera by clicks and save it' : 'choose a calibration'),
    !episodesToImport.length && 'tick at least one episode',
  ].filter(Boolean) as string[];

  const startImport = async () => {
    if (blockers.length || !ee) return;
    setImporting(true);
    setImportError(null);
    setResult(null);
    const calibration: EpisodeImportOptions['calibration'] = calMode === 'metadata'
      ? { kind: 'metadata' }
      : { kind: 'saved', id: savedCal!.id, projection: savedCal!.projection, width: savedCal!.width, height: savedCal!.height };
    const options: EpisodeImportOptions = {
      datasetId: targetId, newDatasetName: newName, camera, episodes: episodesToImport, instructions, segmentation: { kind: segmentation }, cuts,
      gripperColumn: gripperCol, hysteresis: { closeAbove, openBelow, inverted }, epsilon, calibration, ee, maxVideoAssetBytes: 512 * 1024 * 1024, roles,
      bag: source.bag?.plan,
    };
    const ac = new AbortController();
    const jobs = useJobs.getState();
    const job = jobs.start(`Import ${episodesToImport.length} episodes from ${source.name}`, episodesToImport.length, () => ac.abort());
    try {
      const report = await runEpisodeImportInWorker(entries, source.name, options, (d, t) => useJobs.getState().progress(job, d, t), ac.signal);
      setResult(report);
      if (!targetId && report.episodes) setTarget(report.datasetId);
      notify({ kind: 'success', message: `${report.cancelled ? 'Cancelled: kept' : 'Imported'} ${report.episodes} episode${report.episodes === 1 ? '' : 's'} as ${report.samples} samples.` });
    } catch (e) {
      setImportError(`${e instanceof Error ? e.message : String(e)} Nothing from this import was saved.`);
    } finally {
      useJobs.getState().finish(job);
      setImporting(false);
    }
  };

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
          {source.episodes.length} episodes · {source.episodes.reduce((s, e) => s + e.length, 0)} frames · {source.fps} fps
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
      {bagChoices && <BagChoices controller={bagChoices} />}

      <div className="ep-settings">
        <section className="card" aria-label="Camera and calibration">
          <h3>Camera &amp; calibration</h3>
          <label>Camera <select aria-label="Camera" value={camera} onChange={(e) => setCamera(e.target.value)}>
            {source.cameras.map((c) => {
              const n = withoutFrames(source, c.key).size;
              return <option key={c.key} value={c.key}>{c.key}{n === source.episodes.length ? ' (missing)' : n ? ` (no video for ${n} episode${n === 1 ? '' : 's'})` : ''}</option>;
            })}
          </select></label>
          <div className="ep-radios" role="radiogroup" aria-label="Calibration source">
            <label><input type="radio" name="cal" checked={calMode === 'metadata'} disabled={!hasMetadata} onChange={() => setCalMode('metadata')} /> From the dataset{hasMetadata ? ` (${source.calibration(camera, firstEp)!.origin})` : ' (none stored)'}</label>
            <label><input type="radio" name="cal" checked={calMode === 'saved'} disabled={!saved.length} onChange={() => setCalMode('saved')} /> Saved calibration
              {saved.length > 0 && <select aria-label="Saved calibration" value={savedId} onChange={(e) => setSavedId(e.target.value)}>
                {saved.map((c) => <option key={c.id} value={c.id}>{c.label ?? c.camera}{c.rmsPx !== undefined ? ` · RMS ${c.rmsPx.toFixed(2)} px` : ''}</option>)}
              </select>}
            </label>
            <label><input type="radio" name="cal" checked={calMode === 'clicks'} onChange={() => setCalMode('clicks')} /> Calibrate by clicks</label>
          </div>
          {calMode === 'clicks' && (
            <ClickCalibration clicks={clicks} result={dlt} saving={savingCal} onSave={() => void saveClicks()}
              onRemove={(i) => setClicks((c) => c.filter((_, j) => j !== i))} onClear={() => setClicks([])} />
          )}
        </section>

        <section className="card" aria-label="End effector">
          <h3>End effector</h3>
          <div className="ep-radios" role="radiogroup" aria-label="End-effector source">
            <label><input type="radio" name="ee" checked={eeMode === 'state'} disabled={!source.eeStateIndices} onChange={() => setEeMode('state')} /> From state columns{source.eeStateIndices ? ` (${source.eeStateIndices.map((i) => source.stateNames[i]).join(', ')})` : ` (none found among ${source.stateNames.length} state values${onRoleChange ? '; give a column the role “end-effector position” above' : ''})`}</label>
            <label><input type="radio" name="ee" checked={eeMode === 'fk'} onChange={() => setEeMode('fk')} /> Forward kinematics of a URDF</label>
          </div>
          {eeMode === 'fk' && <UrdfSection source={source} onChange={setUrdf} />}
          <div className="toolbar"><button className="btn btn-small" disabled={!ee} onClick={() => setShow3d(true)}>Show trajectories in 3D</button></div>
        </section>

        <section className="card" aria-label="Gripper and segments">
          <h3>Gripper &amp; segments</h3>
          <label>Gripper signal <select aria-label="Gripper column" value={gripperCol ?? ''} onChange={(e) => setGripperCol(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">(none: always open)</option>
            {source.stateNames.map((n, i) => <option key={n} value={i}>{n}</option>)}
          </select></label>
          <label><input type="checkbox" checked={inverted} onChange={(e) => setInverted(e.target.checked)} /> larger value = more open</label>
          <div className="toolbar">
            <label>close at ≥ <input type="number" step={0.05} min={0} max={1} value={closeAbove} aria-label="Close threshold" onChange={(e) => setCloseAbove(Number(e.target.value))} /></label>
            <label>open at ≤ <input type="number" step={0.05} min={0} max={1} value={openBelow} aria-label="Open threshold" onChange={(e) => setOpenBelow(Number(e.target.value))} /></label>
          </div>
          <p className="muted">{source.gripperIsClosure01 ? 'The signal measures closure 0…1.' : 'The signal is rescaled to its own range per episode.'} Hysteresis: the state flips only past the far threshold.</p>
          <div className="ep-radios" role="radiogroup" aria-label="Segmentation">
            <label><input type="radio" name="seg" checked={segmentation === 'whole'} onChange={() => setSegmentation('whole')} /> One sample per episode</label>
            <label><input type="radio" name="seg" checked={segmentation === 'gripper'} onChange={() => setSegmentation('gripper')} /> Split into sub-tasks after each release</label>
          </div>
          <label>Simplify ε <input type="number" step={0.01} min={0} max={0.5} value={epsilon} aria-label="Simplify epsilon" onChange={(e) => setEpsilon(Number(e.target.value))} /></label>
        </section>
      </div>

      <section className="card ep-browser" aria-label="Episodes">
        <div className="toolbar">
          <h3 style={{ margin: 0 }}>Episodes</h3>
          <span className="muted">{checked.size} of {source.episodes.length} ticked</span>
          {tickedWithoutFrames.length > 0 && <span className="muted" data-testid="episodes-without-frames">· left out (no video for {camera}): {formatIndexRanges(tickedWithoutFrames)}</span>}
          <button className="btn btn-small" onClick={() => setChecked(new Set(source.episodes.map((e) => e.index)))}>All</button>
          <button className="btn btn-small" onClick={() => setChecked(new Set())}>None</button>
        </div>
        <div className="ep-list">
          <table className="ep-table">
            <thead><tr><th /><th>#</th><th>instruction</th><th>frames</th><th>cameras</th><th>success</th></tr></thead>
            <tbody>
              {source.episodes.map((e) => (
                <tr key={e.index} className={e.index === selected ? 'selected' : ''} onClick={() => setSelected(e.index)} data-testid={`episode-row-${e.index}`}>
                  <td><input type="checkbox" aria-label={`Import episode ${e.index}`} checked={checked.has(e.index)} onClick={(ev) => ev.stopPropagation()} onChange={(ev) => {
                    const next = new Set(checked);
                    if (ev.target.checked) next.add(e.index); else next.delete(e.index);
                    setChecked(next);
                  }} /></td>
                  <td>{e.index}</td>
                  <td><input className="ep-task" aria-label={`Instruction for episode ${e.index}`} value={instructions[e.index] ?? e.task} onChange={(ev) => setInstructions({ ...instructions, [e.index]: ev.target.value })} /></td>
                  <td>{e.length}</td>
                  <td>{source.cameras.filter((c) => !withoutFrames(source, c.key).has(e.index)).length}/{source.cameras.length}</td>
                  <td>{e.success === undefined ? '–' : e.success ? '✓' : '✗'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <EpisodeDetail
          source={source}
          episode={selected}
          camera={camera}
          ee={ee}
          projection={projection}
          analysisOptions={analysisOptions}
          gripperColumn={gripperCol}
          clicking={calMode === 'clicks'}
          clicks={clicks}
          onClick={(c) => setClicks((list) => [...list.filter((x) => !(x.episode === c.episode && x.frame === c.frame)), c])}
          cuts={cuts[selected]}
          onCutsChange={(c) => setCuts((all) => {
            const next = { ...all };
            if (c) next[selected] = c; else delete next[selected];
            return next;
          })}
        />
      </section>

      <section className="card ep-import" aria-label="Import">
        <h3>Make samples</h3>
        <div className="toolbar">
          <label>Into dataset <select aria-label="Target dataset" value={target} onChange={(e) => setTarget(e.target.value)}>
            <option value={NEW}>New dataset…</option>
            {datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select></label>
          {target === NEW && <input aria-label="New dataset name" value={newName} onChange={(e) => setNewName(e.target.value)} />}
          <button className="btn btn-primary" disabled={importing || blockers.length > 0} onClick={() => void startImport()}>
            Import {episodesToImport.length} episode{episodesToImport.length === 1 ? '' : 's'} as samples
          </button>
        </div>
        {blockers.length > 0 && <p className="muted" data-testid="import-blockers">To import: {blockers.join('; ')}.</p>}
        {importError && <div className="import-report" role="alert">{importError}</div>}
        {result && (
          <div className="ep-result" role="status" data-testid="import-result">
            {result.cancelled ? 'Cancelled; kept' : 'Imported'} {result.episodes} episodes as {result.samples} draft samples.{' '}
            {result.episodes > 0 && <><Link to={`/annotate/${result.datasetId}`}>Review them in Annotate</Link> · <Link to={`/library/${result.datasetId}`}>Open in Library</Link></>}
            {result.problems.length > 0 && <ul>{result.problems.map((p) => <li key={p}>{p}</li>)}</ul>}
          </div>
        )}
      </section>
      {show3d && ee && <TrajectoryDialog source={source} ee={ee} urdf={eeMode === 'fk' ? urdf : null} episodes={[...checked].sort((a, b) => a - b)} onClose={() => setShow3d(false)} />}
    </div>
  );
}
