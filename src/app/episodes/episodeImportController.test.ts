import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { projectPoint, type Vec3 } from '../../core/camera/projection';
import type { EpisodeImportOptions, EpisodeImportReport } from '../../importers/episodes/importEpisodes';
import { openEpisodeSource } from '../../importers/episodes/openSource';
import { runEpisodeImportInWorker } from '../../importers/episodes/runImport';
import type { EpisodeSource, EpisodeTable } from '../../importers/episodes/source';
import { setDb, StudioDatabase } from '../../storage/db';
import { twoCameraRobotBag, writeRos2Mcap } from '../../testing/ros2Bags';
import { useJobs } from '../jobs/jobs';
import { useToasts } from '../toasts';
import { EpisodeImportController } from './episodeImportController';
import { EpisodeWorkspaceController } from './episodeWorkspace';

vi.mock('../../importers/episodes/openSource', async (actual) => ({ ...await actual<object>(), openEpisodeSource: vi.fn() }));
vi.mock('../../importers/episodes/runImport', () => ({ runEpisodeImportInWorker: vi.fn() }));

/** K [I | (0, 0, 2)]: the robot's origin 2 m in front of a 128×96 camera. */
const P = [100, 0, 64, 128, 0, 100, 48, 96, 0, 0, 1, 2];
const FRAMES = 20;

/** The end effector on a curve off any plane (calibration by clicks needs that); the gripper closes at frame 10. */
const eeAt = (episode: number, i: number): Vec3 => [0.2 * Math.cos(0.5 * i + episode), 0.2 * Math.sin(0.7 * i), 0.3 * (i / FRAMES) ** 2];
const tableOf = (episode: number): EpisodeTable => ({
  states: Array.from({ length: FRAMES }, (_, i) => [...eeAt(episode, i), i < 10 ? 0 : 1]),
  actions: [], timestamps: Array.from({ length: FRAMES }, (_, i) => i / 10), success: null,
});

/** Three episodes; camera `front` has frames for episodes 0 and 1 and a calibration, `side` has no files. */
function fakeSource(change: Partial<EpisodeSource> = {}): EpisodeSource {
  return {
    format: 'lerobot-v3.0', name: 'sim', fps: 10, robotType: null,
    stateNames: ['ee.x', 'ee.y', 'ee.z', 'gripper'], actionNames: [],
    cameras: [
      { key: 'side', width: 128, height: 96, codec: 'h264', missingFiles: ['videos/side/file-000.mp4'] },
      { key: 'front', width: 128, height: 96, codec: 'h264', missingFiles: ['videos/front/file-001.mp4'], episodesWithoutFrames: [2] },
    ],
    episodes: [0, 1, 2].map((index) => ({ index, task: `task ${index}`, length: FRAMES })),
    problems: [], eeStateIndices: [0, 1, 2], gripperStateIndex: 3, gripperIsClosure01: true,
    calibration: (camera) => (camera === 'front' ? { projection: P, width: 128, height: 96, origin: 'simulator metadata' } : null),
    readEpisode: vi.fn(async (episode: number) => tableOf(episode)),
    frameReader: async () => null,
    close: vi.fn(),
    ...change,
  };
}

const entries = [{ path: 'ds/meta/info.json', file: new File(['{}'], 'info.json') }];
const report = (r: Partial<EpisodeImportReport> = {}): EpisodeImportReport => ({ datasetId: 'd1', episodes: 2, samples: 2, cancelled: false, problems: [], ...r });
const lastToast = () => useToasts.getState().toasts.at(-1)?.message;

async function workspaceOver(source = fakeSource()) {
  const w = new EpisodeWorkspaceController(source, entries, {});
  await vi.waitFor(() => expect(w.preview.getSnapshot().analysis).not.toBeNull());
  return w;
}

let n = 0;
beforeEach(() => {
  setDb(new StudioDatabase(`episode-import-${n++}`));
  useJobs.setState({ jobs: [] });
  useToasts.setState({ toasts: [] });
});
afterEach(() => vi.mocked(runEpisodeImportInWorker).mockReset());

describe('EpisodeWorkspaceController', () => {
  it('starts from what the source offers and shows the first episode analysed', async () => {
    const w = await workspaceOver();
    expect(w.getSnapshot()).toMatchObject({
      camera: 'front', calibrationMode: 'metadata', metadataOrigin: 'simulator metadata', eeMode: 'state', gripperColumn: 3, inverted: false,
      selected: 0, episodesToImport: [0, 1], tickedWithoutFrames: [2], blockers: [], target: null, newName: 'sim',
    });
    const preview = w.preview.getSnapshot();
    expect(preview.eePositions).toHaveLength(FRAMES);
    expect(preview.analysis).toMatchObject({ ok: true, value: { events: [{ frame: 10, state: 'closed' }] } });
    const { u, v } = projectPoint(P, eeAt(0, 0));
    const first = preview.analysis!.ok ? preview.analysis!.value.track.pixels[0] : null;
    expect(first!.u).toBeCloseTo(u, 9);
    expect(first!.v).toBeCloseTo(v, 9);
  });

  it('says what stops the import', async () => {
    const w = await workspaceOver();
    w.chooseCamera('side');
    expect(w.getSnapshot().blockers).toEqual(['camera side has no video files in this folder', 'choose a calibration', 'tick at least one episode']);
    w.chooseCamera('front');
    w.change({ eeMode: 'fk' });
    w.tickNone();
    expect(w.getSnapshot().blockers).toEqual(['load a URDF for forward kinematics', 'tick at least one episode']);
    expect(w.preview.getSnapshot().analysis).toBeNull();
    w.tick(1, true);
    w.change({ eeMode: 'state' });
    expect(w.getSnapshot()).toMatchObject({ blockers: [], episodesToImport: [1] });
  });

  it('shows another episode when picked; a slower read of an earlier pick does not replace it', async () => {
    const reads = new Map<number, (t: EpisodeTable) => void>();
    const source = fakeSource({ readEpisode: (e) => (e === 0 ? Promise.resolve(tableOf(0)) : new Promise((resolve) => reads.set(e, resolve))) });
    const w = await workspaceOver(source);
    w.select(1);
    w.select(2);
    expect(w.preview.getSnapshot()).toMatchObject({ episode: 2, table: null, analysis: null });
    reads.get(2)!(tableOf(2));
    await vi.waitFor(() => expect(w.preview.getSnapshot().table).not.toBeNull());
    reads.get(1)!(tableOf(1));
    await new Promise((r) => setTimeout(r, 5));
    expect(w.preview.getSnapshot().eePositions![0]).toEqual(eeAt(2, 0));
  });

  it('cuts the episode shown by hand; the last cut removed goes back to the segmentation chosen', async () => {
    const w = await workspaceOver();
    const segments = () => { const a = w.preview.getSnapshot().analysis!; return a.ok ? a.value.segments.map((s) => [s.start, s.end]) : a.error; };
    expect(segments()).toEqual([[0, FRAMES - 1]]);
    w.cutAt(5);
    w.cutAt(15);
    expect(w.getSnapshot().cuts).toEqual({ 0: [5, 15] });
    expect(segments()).toEqual([[0, 5], [5, 15], [15, FRAMES - 1]]);
    w.removeCut(5);
    w.removeCut(15);
    expect(w.getSnapshot().cuts).toEqual({});
    w.cutAt(8);
    w.resetCuts();
    expect(segments()).toEqual([[0, FRAMES - 1]]);
  });

  it('calibrates by clicks; saving creates the target dataset and uses the saved calibration', async () => {
    const w = await workspaceOver();
    w.change({ calibrationMode: 'clicks' });
    expect(w.getSnapshot()).toMatchObject({ projection: null, blockers: ['calibrate the camera by clicks and save it'] });
    for (const frame of [0, 3, 6, 9, 12, 15, 19]) {
      const { u, v } = projectPoint(P, eeAt(0, frame));
      w.addClick(frame, u + 5, v);
      w.addClick(frame, u, v); // the second click on a frame replaces the first
    }
    const { clicks, dlt } = w.getSnapshot();
    expect(clicks.map((c) => c.frame)).toEqual([0, 3, 6, 9, 12, 15, 19]);
    expect(clicks[1].world).toEqual(eeAt(0, 3));
    expect(dlt).toMatchObject({ ok: true });
    expect(dlt!.ok && dlt!.rmsPx).toBeLessThan(1e-6);

    await w.saveClicks();
    await vi.waitFor(() => expect(w.getSnapshot().saved).toHaveLength(1));
    const s = w.getSnapshot();
    expect(s).toMatchObject({ calibrationMode: 'saved', savedId: s.saved[0].id, savingCalibration: false, blockers: [] });
    expect(s.saved[0]).toMatchObject({ camera: 'front', source: 'clicks', label: 'front from 7 clicks', datasetId: s.target });
    expect(s.datasets.map((d) => [d.id, d.name])).toEqual([[s.target, 'sim']]);
    expect(lastToast()).toMatch(/^Calibration saved for front \(RMS 0\.00 px\)\.$/);
  });

  it('imports the ticked episodes with frames in the worker, with progress in the job tray; the new dataset becomes the target', async () => {
    const w = await workspaceOver();
    w.setInstruction(1, 'stack the cups');
    w.cutAt(5);
    let progressed: unknown;
    vi.mocked(runEpisodeImportInWorker).mockImplementation(async (_entries, _name, _options, onProgress) => {
      onProgress(1, 2);
      progressed = useJobs.getState().jobs.map((j) => [j.label, j.done, j.total]);
      return report();
    });
    const importing = w.startImport();
    expect(w.getSnapshot().importing).toBe(true);
    await importing;
    const [files, name, options] = vi.mocked(runEpisodeImportInWorker).mock.calls[0];
    expect([files, name]).toEqual([entries, 'sim']);
    expect(options).toMatchObject<Partial<EpisodeImportOptions>>({
      datasetId: null, newDatasetName: 'sim', camera: 'front', episodes: [0, 1], instructions: { 1: 'stack the cups' }, cuts: { 0: [5] },
      segmentation: { kind: 'whole' }, gripperColumn: 3, calibration: { kind: 'metadata' }, ee: { kind: 'state', indices: [0, 1, 2] }, roles: {},
    });
    expect(progressed).toEqual([['Import 2 episodes from sim', 1, 2]]);
    expect(useJobs.getState().jobs).toEqual([]);
    expect(w.getSnapshot()).toMatchObject({ importing: false, result: report(), target: 'd1', importError: null });
    expect(lastToast()).toBe('Imported 2 episodes as 2 samples.');
  });

  it('Cancel in the job tray stops the worker; a failed import says nothing was saved', async () => {
    const w = await workspaceOver();
    vi.mocked(runEpisodeImportInWorker).mockImplementation((_e, _n, _o, _p, signal) => new Promise((resolve) => {
      signal.addEventListener('abort', () => resolve(report({ episodes: 1, samples: 1, cancelled: true })));
    }));
    const importing = w.startImport();
    useJobs.getState().jobs[0].cancel!();
    await importing;
    expect(w.getSnapshot().result).toMatchObject({ cancelled: true, episodes: 1 });
    expect(lastToast()).toBe('Cancelled: kept 1 episode as 1 samples.');

    vi.mocked(runEpisodeImportInWorker).mockRejectedValue(new Error('Episode 0: 3 of 20 end-effector points project behind the camera.'));
    await w.startImport();
    expect(w.getSnapshot()).toMatchObject({ importing: false, result: null, importError: 'Episode 0: 3 of 20 end-effector points project behind the camera. Nothing from this import was saved.' });
  });

  it('does not start an import while something blocks it', async () => {
    const w = await workspaceOver();
    w.tickNone();
    await w.startImport();
    expect(runEpisodeImportInWorker).not.toHaveBeenCalled();
  });
});

describe('EpisodeImportController', () => {
  it('opens the picked files; an empty folder or one no reader takes says why', async () => {
    const source = fakeSource();
    vi.mocked(openEpisodeSource).mockReset().mockRejectedValueOnce(new Error('“ds” is neither a LeRobot dataset')).mockResolvedValueOnce(source);
    const c = new EpisodeImportController('d7');
    await c.open([]);
    expect(c.getSnapshot()).toMatchObject({ opened: null, busy: false, error: 'The folder is empty.' });
    await c.open(entries);
    expect(c.getSnapshot()).toMatchObject({ opened: null, busy: false, error: '“ds” is neither a LeRobot dataset' });
    const opening = c.open(entries);
    expect(c.getSnapshot()).toMatchObject({ busy: true, error: null });
    await opening;
    const { opened } = c.getSnapshot();
    expect(opened).toMatchObject({ source, roles: {}, canChangeRoles: true, bag: null, generation: 1 });
    expect(opened!.workspace.getSnapshot().target).toBe('d7');
    const [files, options] = vi.mocked(openEpisodeSource).mock.calls[1];
    expect([files.name, files.paths(), options]).toEqual(['ds', ['meta/info.json'], { checkVideos: true }]);
    c.dispose();
    expect(source.close).toHaveBeenCalledTimes(1);
  });

  it('a new column role reads the dataset again: a fresh workspace, the old source closed; a failed read keeps the old one', async () => {
    const first = fakeSource();
    const second = fakeSource({ eeStateIndices: null });
    vi.mocked(openEpisodeSource).mockReset().mockResolvedValueOnce(first).mockResolvedValueOnce(second).mockRejectedValueOnce(new Error('no such column'));
    const c = new EpisodeImportController();
    await c.open(entries);
    const before = c.getSnapshot().opened!;
    before.workspace.change({ epsilon: 0.2 });
    await c.changeRole('observation.state', 'ignore');
    const after = c.getSnapshot().opened!;
    expect(vi.mocked(openEpisodeSource).mock.calls[1][1]).toEqual({ roles: { 'observation.state': 'ignore' } });
    expect(after).toMatchObject({ source: second, roles: { 'observation.state': 'ignore' }, generation: 2 });
    expect(after.workspace.getSnapshot()).toMatchObject({ epsilon: 0.05, eeMode: 'fk' });
    expect(first.close).toHaveBeenCalledTimes(1);

    await c.changeRole('action', 'ignore');
    expect(c.getSnapshot()).toMatchObject({ opened: after, busy: false });
    expect(lastToast()).toBe('no such column');
    c.close();
    expect(c.getSnapshot().opened).toBeNull();
    expect(second.close).toHaveBeenCalledTimes(1);
  });

  it('attach/detach: a detach followed at once by an attach (StrictMode) keeps the source; a detach alone closes it', async () => {
    const source = fakeSource();
    vi.mocked(openEpisodeSource).mockReset().mockResolvedValueOnce(source);
    const c = new EpisodeImportController();
    await c.open(entries);
    c.attach()();
    const detach = c.attach();
    await new Promise((r) => setTimeout(r, 5));
    expect(source.close).not.toHaveBeenCalled();
    detach();
    await new Promise((r) => setTimeout(r, 5));
    expect(source.close).toHaveBeenCalledTimes(1);
  });

  it('a ROS bag: each source its choices read gets a fresh workspace; closing releases the bag', async () => {
    const actual = await vi.importActual<typeof import('../../importers/episodes/openSource')>('../../importers/episodes/openSource');
    vi.mocked(openEpisodeSource).mockReset().mockImplementation(actual.openEpisodeSource);
    const bytes = await writeRos2Mcap(twoCameraRobotBag());
    const c = new EpisodeImportController();
    await c.open([{ path: 'robot.mcap', file: new File([bytes as Uint8Array<ArrayBuffer>], 'robot.mcap') }]);
    const first = c.getSnapshot().opened!;
    expect(first).toMatchObject({ canChangeRoles: false, generation: 1 });
    expect(first.bag!.getSnapshot().source).toBe(first.source);
    const close = vi.spyOn(first.source, 'close');

    await first.bag!.choose({ camera: '/cam_b/image_raw/compressed' });
    const second = c.getSnapshot().opened!;
    expect(second).toMatchObject({ bag: first.bag, generation: 2 });
    expect(second.source).not.toBe(first.source);
    expect(second.workspace.source).toBe(second.source);
    expect(second.workspace.getSnapshot().camera).toBe('/cam_b/image_raw/compressed');
    expect(close).toHaveBeenCalledTimes(1);

    const closeSecond = vi.spyOn(second.source, 'close');
    c.close();
    expect(closeSecond).toHaveBeenCalledTimes(1);
  });
});
