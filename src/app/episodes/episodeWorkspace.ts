/**
 * One opened episode source on the import screen, headless: camera and calibration (the dataset's,
 * a saved one, or by clicks), end-effector source (state columns or a URDF's forward kinematics,
 * UrdfChoiceController), gripper and segment settings, the ticked episodes with their instructions
 * and cuts, the episode shown (EpisodePreviewController), the target dataset, and the import job
 * that turns the episodes into samples in a worker, with progress and cancel in the job tray.
 */
import { estimateProjection, type DltResult } from '../../core/camera/dlt';
import type { Vec3 } from '../../core/camera/projection';
import { SnapshotStore } from '../../core/snapshotStore';
import { gripperColumn } from '../../importers/episodes/analyze';
import type { EeSource, EpisodeImportOptions, EpisodeImportReport } from '../../importers/episodes/importEpisodes';
import type { ColumnRole } from '../../importers/episodes/inspection';
import { runEpisodeImportInWorker } from '../../importers/episodes/runImport';
import type { EpisodeSource } from '../../importers/episodes/source';
import { createDataset, listDatasets, type DatasetSummary } from '../datasets';
import { runJob } from '../jobs/runJob';
import { notify } from '../toasts';
import { listReusableCalibrations, saveCalibration, type EpisodeCalibrationRecord } from './calibrations';
import { EpisodePreviewController, type EpisodeProjection } from './episodePreview';
import { UrdfChoiceController, type UrdfChoice } from './urdfChoice';
import { errorMessage } from '../../core/errorMessage';

/** A picked or dropped file with its path relative to the picked folder. */
export interface PickedFile {
  path: string;
  file: File;
}

export type CalibrationMode = 'metadata' | 'saved' | 'clicks';
export type EeMode = 'state' | 'fk';

/** The user's click on the gripper in one frame, with the end effector's position there. */
export interface CalibrationClick {
  episode: number;
  frame: number;
  u: number;
  v: number;
  world: Vec3;
}

interface Settings {
  camera: string;
  calibrationMode: CalibrationMode;
  /** Calibrations saved for `camera` in the target dataset. */
  saved: EpisodeCalibrationRecord[];
  savedId: string;
  clicks: CalibrationClick[];
  savingCalibration: boolean;
  eeMode: EeMode;
  gripperColumn: number | null;
  /** Larger gripper values mean more open. */
  inverted: boolean;
  closeAbove: number;
  openBelow: number;
  segmentation: 'whole' | 'gripper';
  epsilon: number;
  /** Edited instructions by episode index. */
  instructions: Record<number, string>;
  /** Cuts set by hand by episode index. */
  cuts: Record<number, number[]>;
  checked: ReadonlySet<number>;
  /** The episode shown. */
  selected: number;
  datasets: DatasetSummary[];
  /** The dataset to import into; null: a new one named `newName`. */
  target: string | null;
  newName: string;
  importing: boolean;
  result: EpisodeImportReport | null;
  importError: string | null;
}

interface Derived {
  /** Where the dataset's own calibration of `camera` comes from; null when it has none. */
  metadataOrigin: string | null;
  /** The fit of the calibration clicks (while calibrating by clicks). */
  dlt: DltResult | null;
  ee: EeSource | null;
  /** The projection for the episode shown. */
  projection: EpisodeProjection | null;
  /** Ticked episodes with frames from `camera`. */
  episodesToImport: number[];
  /** Ticked episodes left out: no frames from `camera`. */
  tickedWithoutFrames: number[];
  /** What stops the import, in words. */
  blockers: string[];
}

export type EpisodeWorkspaceSnapshot = Settings & Derived;

/** Settings `change` takes as they are. */
export type PlainSettings = Pick<Settings, 'calibrationMode' | 'savedId' | 'eeMode' | 'gripperColumn' | 'inverted' | 'closeAbove' | 'openBelow' | 'segmentation' | 'epsilon' | 'newName'>;

const NOTHING_DERIVED: Derived = { metadataOrigin: null, dlt: null, ee: null, projection: null, episodesToImport: [], tickedWithoutFrames: [], blockers: [] };

/** Episodes without frames from a camera (all of them when its files are missing and the reader does not say which). */
function withoutFrames(source: EpisodeSource, camera: string): ReadonlySet<number> {
  const c = source.cameras.find((x) => x.key === camera);
  if (!c) return new Set(source.episodes.map((e) => e.index));
  return new Set(c.episodesWithoutFrames ?? (c.missingFiles.length ? source.episodes.map((e) => e.index) : []));
}

/** `fn` that keeps its last result while called with the same arguments, so the episode shown is analysed again only when an input changed. */
function remembered<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | null = null;
  return (...args) => {
    if (last && args.every((a, i) => Object.is(a, last!.args[i]))) return last.result;
    last = { args, result: fn(...args) };
    return last.result;
  };
}

export class EpisodeWorkspaceController extends SnapshotStore<EpisodeWorkspaceSnapshot> {
  /** Episodes without frames, by camera. */
  readonly framesMissing: ReadonlyMap<string, ReadonlySet<number>>;
  readonly urdf: UrdfChoiceController;
  readonly preview: EpisodePreviewController;
  private savedRequest = 0;
  private disposed = false;
  private readonly unsubscribeUrdf: () => void;

  private readonly metadataOriginOf = remembered((camera: string) => (camera ? this.source.calibration(camera, this.source.episodes[0].index)?.origin ?? null : null));
  private readonly dltOf = remembered((mode: CalibrationMode, clicks: CalibrationClick[]) => (
    mode === 'clicks' && clicks.length ? estimateProjection(clicks.map((c) => ({ world: c.world, pixel: [c.u, c.v] }))) : null));
  private readonly eeOf = remembered((mode: EeMode, urdf: UrdfChoice | null): EeSource | null => {
    if (mode === 'state' && this.source.eeStateIndices) return { kind: 'state', indices: this.source.eeStateIndices };
    if (mode === 'fk' && urdf) return { kind: 'fk', plan: urdf.plan, origin: urdf.origin, robot: { urdf: urdf.urdfText, meshFiles: urdf.meshFiles, tip: urdf.tip } };
    return null;
  });
  private readonly projectionOf = remembered((mode: CalibrationMode, camera: string, episode: number, saved: EpisodeCalibrationRecord | undefined, dlt: DltResult | null): EpisodeProjection | null => {
    if (mode === 'metadata') return this.source.calibration(camera, episode);
    if (mode === 'saved') return saved ? { projection: saved.projection, width: saved.width, height: saved.height } : null;
    const cam = this.source.cameras.find((c) => c.key === camera);
    return dlt?.ok && cam ? { projection: dlt.projection, width: cam.width, height: cam.height } : null;
  });

  /**
   * `entries` are the picked files the import worker reads the source from again; `roles` the
   * column roles it was read with; `target` the dataset to import into (null: a new one).
   */
  constructor(readonly source: EpisodeSource, private readonly entries: readonly PickedFile[], private readonly roles: Record<string, ColumnRole>, target: string | null = null) {
    const framesMissing = new Map(source.cameras.map((c) => [c.key, withoutFrames(source, c.key)]));
    // The camera with frames for the most episodes.
    const camera = [...source.cameras].sort((a, b) => framesMissing.get(a.key)!.size - framesMissing.get(b.key)!.size)[0]?.key ?? '';
    const hasMetadata = !!camera && source.calibration(camera, source.episodes[0].index) !== null;
    super({
      camera,
      calibrationMode: hasMetadata ? 'metadata' : 'clicks',
      saved: [],
      savedId: '',
      clicks: [],
      savingCalibration: false,
      eeMode: source.eeStateIndices ? 'state' : 'fk',
      gripperColumn: source.gripperStateIndex ?? gripperColumn(source.stateNames),
      inverted: !source.gripperIsClosure01,
      closeAbove: 0.6,
      openBelow: 0.4,
      segmentation: 'whole',
      epsilon: 0.05,
      instructions: {},
      cuts: {},
      checked: new Set(source.episodes.map((e) => e.index)),
      selected: source.episodes[0].index,
      datasets: [],
      target,
      newName: source.name,
      importing: false,
      result: null,
      importError: null,
      ...NOTHING_DERIVED,
    });
    this.framesMissing = framesMissing;
    this.urdf = new UrdfChoiceController(source);
    this.preview = new EpisodePreviewController(source);
    this.unsubscribeUrdf = this.urdf.subscribe(() => this.set({}));
    this.set({});
    void this.refreshDatasets();
    void this.refreshSaved();
  }

  /** Sets settings that need nothing else done. */
  change(settings: Partial<PlainSettings>): void {
    this.set(settings);
  }

  chooseCamera(camera: string): void {
    this.set({ camera });
    void this.refreshSaved();
  }

  /** The dataset to import into; null: a new one. */
  chooseTarget(target: string | null): void {
    this.set({ target });
    void this.refreshSaved();
  }

  /** Shows an episode. */
  select(episode: number): void {
    this.set({ selected: episode });
  }

  tick(episode: number, on: boolean): void {
    const checked = new Set(this.getSnapshot().checked);
    if (on) checked.add(episode); else checked.delete(episode);
    this.set({ checked });
  }

  tickAll(): void {
    this.set({ checked: new Set(this.source.episodes.map((e) => e.index)) });
  }

  tickNone(): void {
    this.set({ checked: new Set() });
  }

  setInstruction(episode: number, instruction: string): void {
    this.set({ instructions: { ...this.getSnapshot().instructions, [episode]: instruction } });
  }

  /** A click on the gripper at pixel (u, v) of a frame of the episode shown; replaces an earlier click on that frame. */
  addClick(frame: number, u: number, v: number): void {
    const world = this.preview.getSnapshot().eePositions?.[frame];
    if (!world) return;
    const { selected: episode, clicks } = this.getSnapshot();
    this.set({ clicks: [...clicks.filter((c) => !(c.episode === episode && c.frame === frame)), { episode, frame, u, v, world }] });
  }

  removeClick(index: number): void {
    this.set({ clicks: this.getSnapshot().clicks.filter((_, i) => i !== index) });
  }

  clearClicks(): void {
    this.set({ clicks: [] });
  }

  /** Saves the click calibration with the target dataset (created now if new) and uses it. */
  async saveClicks(): Promise<void> {
    const { dlt, camera, clicks } = this.getSnapshot();
    const cam = this.source.cameras.find((c) => c.key === camera);
    if (!dlt?.ok || !cam) return;
    this.set({ savingCalibration: true });
    try {
      const datasetId = await this.ensureTarget();
      const record = await saveCalibration({
        datasetId, camera, projection: dlt.projection, width: cam.width, height: cam.height, source: 'clicks',
        rmsPx: dlt.rmsPx, leaveOneOutPx: dlt.leaveOneOutPx ?? undefined, sourceName: this.source.name, label: `${camera} from ${clicks.length} clicks`,
      });
      this.set({ savedId: record.id, calibrationMode: 'saved' });
      notify({ kind: 'success', message: `Calibration saved for ${camera} (RMS ${dlt.rmsPx.toFixed(2)} px).` });
    } finally {
      this.set({ savingCalibration: false });
      void this.refreshSaved();
    }
  }

  /** Cuts the episode shown at `frame`, keeping the segments it has so far. */
  cutAt(frame: number): void {
    const analysis = this.preview.getSnapshot().analysis;
    if (!analysis?.ok) return;
    const { cuts, selected } = this.getSnapshot();
    this.setCuts([...(cuts[selected] ?? analysis.value.segments.slice(1).map((s) => s.start)), frame].sort((a, b) => a - b));
  }

  removeCut(frame: number): void {
    const { cuts, selected } = this.getSnapshot();
    const rest = (cuts[selected] ?? []).filter((c) => c !== frame);
    this.setCuts(rest.length ? rest : undefined);
  }

  /** Back to the segmentation chosen for every episode. */
  resetCuts(): void {
    this.setCuts(undefined);
  }

  /** Imports the ticked episodes with frames as samples, in a worker; the job tray shows progress and cancels. */
  async startImport(): Promise<void> {
    const s = this.getSnapshot();
    if (s.importing || s.blockers.length || !s.ee) return;
    const saved = s.saved.find((c) => c.id === s.savedId);
    const calibration: EpisodeImportOptions['calibration'] = s.calibrationMode === 'metadata'
      ? { kind: 'metadata' }
      : { kind: 'saved', id: saved!.id, projection: saved!.projection, width: saved!.width, height: saved!.height };
    const episodes = s.episodesToImport;
    const options: EpisodeImportOptions = {
      datasetId: s.target, newDatasetName: s.newName, camera: s.camera, episodes, instructions: s.instructions, segmentation: { kind: s.segmentation }, cuts: s.cuts,
      gripperColumn: s.gripperColumn, hysteresis: { closeAbove: s.closeAbove, openBelow: s.openBelow, inverted: s.inverted }, epsilon: s.epsilon, calibration, ee: s.ee,
      maxVideoAssetBytes: 512 * 1024 * 1024, roles: this.roles, bag: this.source.bag?.plan,
    };
    this.set({ importing: true, importError: null, result: null });
    try {
      const report = await runJob(`Import ${episodes.length} episodes from ${this.source.name}`, episodes.length,
        (signal, progress) => runEpisodeImportInWorker([...this.entries], this.source.name, options, progress, signal));
      this.set(!s.target && report.episodes ? { result: report, target: report.datasetId } : { result: report });
      notify({ kind: 'success', message: `${report.cancelled ? 'Cancelled: kept' : 'Imported'} ${report.episodes} episode${report.episodes === 1 ? '' : 's'} as ${report.samples} samples.` });
      void this.refreshDatasets();
      void this.refreshSaved();
    } catch (e) {
      this.set({ importError: `${errorMessage(e)} Nothing from this import was saved.` });
    } finally {
      this.set({ importing: false });
    }
  }

  /** Stops the work that updates the screen; an import running goes on in the job tray. */
  dispose(): void {
    this.disposed = true;
    this.unsubscribeUrdf();
    this.urdf.dispose();
    this.preview.dispose();
  }

  protected override set(patch: Partial<EpisodeWorkspaceSnapshot>): void {
    super.set({ ...patch, ...this.derive({ ...this.getSnapshot(), ...patch }) });
    if (this.disposed) return;
    const s = this.getSnapshot();
    this.preview.show({
      episode: s.selected, ee: s.ee, projection: s.projection, cuts: s.cuts[s.selected], gripperColumn: s.gripperColumn,
      closeAbove: s.closeAbove, openBelow: s.openBelow, inverted: s.inverted, segmentation: s.segmentation, epsilon: s.epsilon,
    });
  }

  private derive(s: Settings): Derived {
    const metadataOrigin = this.metadataOriginOf(s.camera);
    const dlt = this.dltOf(s.calibrationMode, s.clicks);
    const ee = this.eeOf(s.eeMode, this.urdf.getSnapshot().choice);
    const saved = s.saved.find((c) => c.id === s.savedId);
    const noFrames = this.framesMissing.get(s.camera) ?? withoutFrames(this.source, s.camera);
    const ticked = this.source.episodes.filter((e) => s.checked.has(e.index)).map((e) => e.index);
    const episodesToImport = ticked.filter((i) => !noFrames.has(i));
    const calibrationReady = s.calibrationMode === 'metadata' ? metadataOrigin !== null : s.calibrationMode === 'saved' ? !!saved : !!dlt?.ok;
    const cameraReady = this.framesMissing.has(s.camera) && noFrames.size < this.source.episodes.length;
    const blockers = [
      !cameraReady && `camera ${s.camera || '(none)'} has no video files in this folder`,
      !ee && (s.eeMode === 'fk' ? 'load a URDF for forward kinematics' : 'choose the end-effector source'),
      !calibrationReady && (s.calibrationMode === 'clicks' ? 'calibrate the camera by clicks and save it' : 'choose a calibration'),
      !episodesToImport.length && 'tick at least one episode',
    ].filter((b): b is string => !!b);
    return {
      metadataOrigin, dlt, ee, episodesToImport, blockers,
      projection: this.projectionOf(s.calibrationMode, s.camera, s.selected, saved, dlt),
      tickedWithoutFrames: ticked.filter((i) => noFrames.has(i)),
    };
  }

  private setCuts(cuts: number[] | undefined): void {
    const { cuts: all, selected } = this.getSnapshot();
    const next = { ...all };
    if (cuts) next[selected] = cuts; else delete next[selected];
    this.set({ cuts: next });
  }

  private async ensureTarget(): Promise<string> {
    const { target, newName } = this.getSnapshot();
    if (target) return target;
    const dataset = await createDataset(newName.trim() || this.source.name);
    this.set({ target: dataset.id });
    void this.refreshDatasets();
    void this.refreshSaved();
    return dataset.id;
  }

  private async refreshDatasets(): Promise<void> {
    const datasets = await listDatasets();
    this.set({ datasets: datasets.filter((d) => d.deletedAt === undefined) });
  }

  /** The target's calibrations for the camera; the saved one chosen stays chosen while it is listed. */
  private async refreshSaved(): Promise<void> {
    const request = ++this.savedRequest;
    const { target, camera } = this.getSnapshot();
    if (!target || !camera) { this.set({ saved: [] }); return; }
    const saved = await listReusableCalibrations(target, camera);
    if (request !== this.savedRequest) return;
    const { savedId } = this.getSnapshot();
    this.set({ saved, savedId: saved.some((c) => c.id === savedId) ? savedId : saved[0]?.id ?? '' });
  }
}
