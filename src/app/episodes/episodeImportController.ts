/**
 * Import > Robot & sim episodes, headless: opens a picked or dropped dataset (LeRobot folder,
 * robomimic/LIBERO HDF5 file, ROS bag) with the reader that fits it, re-reads a LeRobot dataset when
 * a column's role changes, and gives every source read a fresh workspace (EpisodeWorkspaceController:
 * calibration, end effector, episodes, the import job). A ROS bag's choices (BagChoicesController)
 * re-read the bag; each source they read gets its own workspace too.
 */
import { SnapshotStore } from '../../core/snapshotStore';
import type { ColumnRole } from '../../importers/episodes/inspection';
import { openEpisodeSource } from '../../importers/episodes/openSource';
import { datasetFilesFromEntries, type DatasetFiles, type EpisodeSource } from '../../importers/episodes/source';
import { notify } from '../toasts';
import { BagChoicesController } from './bagChoices';
import { EpisodeWorkspaceController, type PickedFile } from './episodeWorkspace';
import { errorMessage } from '../../core/errorMessage';

export interface OpenedEpisodes {
  source: EpisodeSource;
  /** Column roles the user chose (LeRobot; feature key → role). */
  roles: Record<string, ColumnRole>;
  /** LeRobot datasets only: a column's role can be changed (the dataset is then read again). */
  canChangeRoles: boolean;
  /** ROS bags: the choices the bag is read with. */
  bag: BagChoicesController | null;
  workspace: EpisodeWorkspaceController;
  /** Counts the workspaces shown: a new one starts the screen below the summary afresh. */
  generation: number;
}

export interface EpisodeImportSnapshot {
  opened: OpenedEpisodes | null;
  /** Reading the dataset (opening it, or again with new roles). */
  busy: boolean;
  /** Why the last pick could not be opened. */
  error: string | null;
}

export class EpisodeImportController extends SnapshotStore<EpisodeImportSnapshot> {
  private files: DatasetFiles | null = null;
  private entries: PickedFile[] = [];
  private unsubscribeBag: (() => void) | null = null;
  private generation = 0;
  private attached = 0;
  private disposed = false;

  /** `target`: the dataset to import into (the screen was opened from it), else a new one. */
  constructor(private readonly target: string | null = null) {
    super({ opened: null, busy: false, error: null });
  }

  /** Opens the picked files (a folder's, or one HDF5/MCAP file) and checks that their videos decode. */
  async open(entries: PickedFile[]): Promise<void> {
    this.set({ error: null });
    if (!entries.length) { this.set({ error: 'The folder is empty.' }); return; }
    this.set({ busy: true });
    try {
      const files = datasetFilesFromEntries(entries, entries.length === 1 ? entries[0].path.replace(/\.[^.]+$/, '') : 'dataset');
      const source = await openEpisodeSource(files, { checkVideos: true });
      const bag = await bagChoicesFor(source);
      if (this.disposed) { if (bag) bag.dispose(); else source.close(); return; }
      this.files = files;
      this.entries = entries;
      this.show(source, {}, bag);
    } catch (e) {
      this.set({ error: errorMessage(e) });
    } finally {
      this.set({ busy: false });
    }
  }

  /** Reads the dataset again with a column's role changed (its videos were checked on opening). */
  async changeRole(key: string, role: ColumnRole): Promise<void> {
    const { opened } = this.getSnapshot();
    if (!opened || !this.files) return;
    const roles = { ...opened.roles, [key]: role };
    this.set({ busy: true });
    try {
      const source = await openEpisodeSource(this.files, { roles });
      if (this.disposed || this.getSnapshot().opened !== opened) { source.close(); return; }
      this.show(source, roles, null);
    } catch (e) {
      notify({ kind: 'error', message: errorMessage(e) });
    } finally {
      this.set({ busy: false });
    }
  }

  /** Back to the drop zone ("Open another…"); the source is closed. */
  close(): void {
    this.release();
    this.set({ opened: null });
  }

  /** For a component's effect: the returned detach disposes, one tick later, unless attached again (StrictMode remounts). */
  attach(): () => void {
    this.attached++;
    return () => {
      this.attached--;
      setTimeout(() => { if (this.attached === 0) this.dispose(); }, 0);
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.close();
  }

  private show(source: EpisodeSource, roles: Record<string, ColumnRole>, bag: BagChoicesController | null): void {
    this.release();
    this.set({ opened: this.opened(source, roles, bag) });
    if (!bag) return;
    // A bag's controller owns its sources: each new one it reads gets a fresh workspace.
    this.unsubscribeBag = bag.subscribe(() => {
      const { opened } = this.getSnapshot();
      const next = bag.getSnapshot().source;
      if (!opened || opened.bag !== bag || opened.source === next) return;
      opened.workspace.dispose();
      this.set({ opened: this.opened(next, roles, bag) });
    });
  }

  private opened(source: EpisodeSource, roles: Record<string, ColumnRole>, bag: BagChoicesController | null): OpenedEpisodes {
    return {
      source, roles, bag,
      canChangeRoles: source.format.startsWith('lerobot'),
      workspace: new EpisodeWorkspaceController(source, this.entries, roles, this.target),
      generation: ++this.generation,
    };
  }

  /** Lets go of the source shown: a bag's controller closes its own, other sources are closed here. */
  private release(): void {
    const { opened } = this.getSnapshot();
    if (!opened) return;
    this.unsubscribeBag?.();
    this.unsubscribeBag = null;
    opened.workspace.dispose();
    if (opened.bag) opened.bag.dispose();
    else opened.source.close();
  }
}

/** For a ROS bag: the controller of its choices, over the session that read it (loaded with the bag reader). */
async function bagChoicesFor(source: EpisodeSource): Promise<BagChoicesController | null> {
  if (!source.bag) return null;
  const { bagSessionOf } = await import('../../importers/rosbag/source');
  const session = bagSessionOf(source);
  return session ? new BagChoicesController(session, source) : null;
}
