/**
 * The dataset page, headless: what it lists (filters, sort and view from the address), the
 * counts, the selection and what is done to it (undoable), image imports, and the statistics
 * panel with its duplicate finder. React renders the snapshot and calls the methods.
 *
 * The address is the one source of truth for what is shown: a method that changes the view
 * writes the address, and the page hands every address change back through `urlChanged`.
 */
import { SnapshotStore } from '../../core/snapshotStore';
import type { ImageImportReport } from '../../importers/imageImport';
import { onChangesFromElsewhere } from '../../storage/changeFeed';
import { countEpisodes } from '../../storage/episodes';
import { getDataset } from '../datasets';
import { runJob } from '../jobs/runJob';
import type { DatasetRecord, SampleSource, SampleStatus } from '../records';
import { notify, notifyError } from '../toasts';
import { datasetStats, type DatasetStats, type StatsSample } from './datasetStats';
import { parseDatasetQuery, sameFilter, sameSort, withoutFilters, withParam, withQueueOrder, withSortBy, type DatasetQuery, type DatasetView } from './datasetQuery';
import { extraCopies, findDuplicates, type DuplicateCandidate, type DuplicateGroup } from './duplicates';
import { exposeIngestForAutomation, importImageFiles } from './imageImport';
import type { LibraryContext } from './libraryCommands';
import { deleteSamplesWithUndo, moveSamplesWithUndo, setStatusWithUndo, type UndoStep } from './sampleActions';
import { countByStatus, episodeOutcomes, forEachSamplePage, querySampleIds, querySortedSampleIds, type EpisodeOutcome, type SampleSortKey } from './sampleQueries';
import { SampleSelection } from './sampleSelection';

/** The first screenful of ids; the full list (100k ids is fine) follows. */
export const FIRST_PAGE = 240;
const SEARCH_DEBOUNCE_MS = 200;
/** How often at most the page follows samples changed elsewhere. */
const FOLLOW_MS = 1000;

/** The page's address: read as it is now (not as of the last render), replaced without a history entry. */
export interface AddressPort {
  read: () => string;
  replace: (search: string) => void;
}

export interface StatsPanel {
  open: boolean;
  /** Samples read so far while the panel's scan runs; null when none runs. */
  reading: number | null;
  stats: DatasetStats | null;
  duplicates: readonly DuplicateGroup[] | null;
}

export interface DatasetSnapshot {
  /** undefined while loading, null when there is no such dataset. */
  dataset: DatasetRecord | null | undefined;
  query: DatasetQuery;
  /** The search field's text, written to the address a moment after typing stops. */
  searchText: string;
  ids: readonly string[];
  /** false while only the first page of ids is listed. */
  idsComplete: boolean;
  counts: Record<SampleStatus, number> | null;
  total: number;
  /** Bumped by every change to the samples: records shown are read again. */
  version: number;
  report: ImageImportReport | null;
  /** By episode id: the outcome column of samples made from episodes (read for the list view). */
  outcomes: ReadonlyMap<string, EpisodeOutcome>;
  stats: StatsPanel;
  /** What Ctrl+Z (or the Undo button) would undo: the latest change still kept; null when none. */
  undoLabel: string | null;
}

const hasFilter = (q: DatasetQuery) => !!(q.filter.status || q.filter.source || q.filter.text);

/** What the statistics and the duplicate finder keep of each sample. */
type ScannedSample = DuplicateCandidate & StatsSample;

export class DatasetController extends SnapshotStore<DatasetSnapshot> {
  readonly selection = new SampleSelection();
  private opened = false;
  /** Bumped by every id query and on close: a late answer to an older one is dropped. */
  private idsGeneration = 0;
  /** The sample version the outcomes / the statistics were (or are being) read for. */
  private outcomesVersion = -1;
  private scannedVersion = -1;
  private scan: AbortController | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private unexpose: () => void = () => {};
  private unlisten: () => void = () => {};

  constructor(readonly datasetId: string, private readonly address: AddressPort) {
    const query = parseDatasetQuery(address.read());
    super({
      dataset: undefined, query, searchText: query.filter.text ?? '', ids: [], idsComplete: false, counts: null, total: 0, version: 0,
      report: null, outcomes: new Map(), stats: { open: false, reading: null, stats: null, duplicates: null }, undoLabel: null,
    });
  }

  /** Starts loading; `close` stops what is in flight. Both may be called again (React's Strict Mode does). */
  open(): void {
    this.opened = true;
    this.unexpose = exposeIngestForAutomation();
    // A teammate's edits arriving through the team server, or another tab's, are shown too.
    this.unlisten = onChangesFromElsewhere(['samples', 'datasets'], FOLLOW_MS, () => this.opened && this.refresh());
    void getDataset(this.datasetId).then((d) => this.opened && this.set({ dataset: d ?? null }), notifyError);
    void this.loadIds();
    this.loadSideData();
  }

  close(): void {
    this.opened = false;
    this.unexpose();
    this.unlisten();
    this.idsGeneration++;
    // What was in flight is dropped, so opening again reads it again.
    this.outcomesVersion = -1;
    if (this.scan) {
      this.scan.abort();
      this.scan = null;
      this.scannedVersion = -1;
      this.setStats({ reading: null });
    }
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = null;
  }

  /** The address changed (a click here, the back button, a pasted link). */
  urlChanged(search: string): void {
    const query = parseDatasetQuery(search);
    const before = this.state.query;
    const reload = !sameFilter(before.filter, query.filter) || !sameSort(before.sort, query.sort);
    // The field follows the address (back button, Clear filters) unless the person is typing.
    const typed = this.searchTimer !== null || this.state.searchText.trim() === (query.filter.text ?? '');
    if (reload || before.view !== query.view || !typed) this.set({ query, ...(typed ? {} : { searchText: query.filter.text ?? '' }) });
    if (reload) void this.loadIds();
    this.loadSideData();
  }

  // --- what is shown ------------------------------------------------------------------------

  setStatusFilter(status: SampleStatus | undefined): void {
    this.address.replace(withParam(this.address.read(), 'status', status));
  }

  setSourceFilter(source: SampleSource | undefined): void {
    this.address.replace(withParam(this.address.read(), 'source', source));
  }

  setView(view: DatasetView): void {
    this.address.replace(withParam(this.address.read(), 'view', view === 'list' ? 'list' : undefined));
  }

  /** A column header's click: sort by it, or reverse the sort when it already is. */
  sortBy(key: SampleSortKey): void {
    this.address.replace(withSortBy(this.address.read(), key));
  }

  queueOrder(): void {
    this.address.replace(withQueueOrder(this.address.read()));
  }

  typeSearch(text: string): void {
    this.set({ searchText: text });
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => {
      this.searchTimer = null;
      const q = text.trim();
      if (q !== (this.state.query.filter.text ?? '')) this.address.replace(withParam(this.address.read(), 'q', q));
    }, SEARCH_DEBOUNCE_MS);
  }

  clearFilters(): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    this.searchTimer = null;
    this.set({ searchText: '' });
    this.address.replace(withoutFilters(this.address.read()));
  }

  /** Something changed the samples: list, count and read them again. */
  refresh(): void {
    this.set({ version: this.state.version + 1 });
    void this.loadIds();
    this.loadSideData();
  }

  // --- selection and what is done to it -------------------------------------------------------

  click(id: string, { range = false } = {}): void {
    this.selection.click(id, this.state.ids, { range });
  }

  selectAllShown(): void {
    this.selection.selectAll(this.state.ids);
  }

  clearSelection(): void {
    this.selection.clear();
  }

  private selected = () => [...this.selection.getSnapshot().ids];
  private changed = () => {
    this.forgetUndone();
    this.refresh();
  };

  deleteSelected(): Promise<void> {
    return this.keepUndo(deleteSamplesWithUndo(this.selected(), this.changed));
  }

  setSelectedStatus(status: SampleStatus): Promise<void> {
    return this.keepUndo(setStatusWithUndo(this.selected(), status, this.changed));
  }

  moveSelected(toDatasetId: string, toName: string): Promise<void> {
    return this.keepUndo(moveSamplesWithUndo(this.selected(), toDatasetId, toName, this.changed));
  }

  /**
   * Undoes the latest change still kept. Changes stay undoable while this page is open, long after
   * their toast has gone (a deleted sample can be restored until the dataset is closed).
   */
  async undoLast(): Promise<void> {
    const step = this.undoSteps.at(-1);
    await step?.undo(); // its message says why when it fails; the step then stays to try again
    this.forgetUndone();
  }

  private undoSteps: UndoStep[] = [];

  /** Steps undone from their toast leave the page's undo. */
  private forgetUndone(): void {
    this.undoSteps = this.undoSteps.filter((s) => !s.undone);
    const undoLabel = this.undoSteps.at(-1)?.label ?? null;
    if (undoLabel !== this.state.undoLabel) this.set({ undoLabel });
  }

  private async keepUndo(change: Promise<UndoStep | null>): Promise<void> {
    const step = await change;
    if (!step) return;
    this.undoSteps.push(step);
    this.set({ undoLabel: step.label });
  }

  /** What the dataset page's keys (app/keymap.ts) reach. */
  commandContext(): LibraryContext {
    const selection = this.selection;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getters below read the live state
    const controller = this;
    return {
      get selected() {
        return selection.getSnapshot().count;
      },
      selectAll: () => this.selectAllShown(),
      clearSelection: () => this.clearSelection(),
      deleteSelected: () => void this.deleteSelected(),
      get canUndo() {
        return controller.state.undoLabel !== null;
      },
      undo: () => void this.undoLast(),
    };
  }

  /** Selects every extra copy the duplicate finder found (the oldest of each group stays unselected). */
  selectDuplicateCopies(): void {
    this.selection.selectAll(extraCopies(this.stats.duplicates ?? []));
  }

  // --- import ---------------------------------------------------------------------------------

  async importFiles(files: File[]): Promise<void> {
    if (!files.length) return;
    try {
      const r = await runJob(`Importing ${files.length} files`, files.length, (signal, progress) => importImageFiles(this.datasetId, files, { signal, onProgress: progress }));
      this.set({ report: r });
      const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
      if (r.cancelled) notify({ kind: 'info', message: 'Import cancelled: nothing was added.' });
      else notify({ kind: r.problems.length ? 'info' : 'success', message: `Imported ${n(r.imported, 'image')}${r.duplicates.length ? `, ${n(r.duplicates.length, 'duplicate')} skipped` : ''}${r.problems.length ? `, ${n(r.problems.length, 'file')} could not be imported` : ''}.` });
      this.refresh();
    } catch (e) {
      notifyError(e);
    }
  }

  dismissReport(): void {
    this.set({ report: null });
  }

  // --- statistics panel -----------------------------------------------------------------------

  setStatsOpen(open: boolean): void {
    if (open === this.stats.open) return;
    this.setStats({ open });
    this.loadSideData();
  }

  private get stats(): StatsPanel {
    return this.state.stats;
  }

  private setStats(patch: Partial<StatsPanel>): void {
    this.set({ stats: { ...this.stats, ...patch } });
  }

  /** Reads every sample once: the statistics and the duplicates come from the same pass. */
  private async scanDataset(): Promise<void> {
    this.scan?.abort();
    const scan = (this.scan = new AbortController());
    this.setStats({ reading: 0 });
    try {
      const rows: ScannedSample[] = [];
      await forEachSamplePage(this.datasetId, (page) => {
        for (const s of page) rows.push({ id: s.id, assetId: s.assetId, instruction: s.instruction, path: s.path, createdAt: s.createdAt, order: s.order, status: s.status, source: s.source });
        if (!scan.signal.aborted) this.setStats({ reading: rows.length });
      }, { signal: scan.signal });
      const runs = (await countEpisodes(this.datasetId)) ? [...(await episodeOutcomes(this.datasetId)).values()] : [];
      if (scan.signal.aborted) return;
      this.setStats({ reading: null, stats: datasetStats(rows, runs), duplicates: findDuplicates(rows) });
    } catch (e) {
      if (scan.signal.aborted) return;
      this.setStats({ reading: null });
      notifyError(e);
    } finally {
      if (this.scan === scan) this.scan = null;
    }
  }

  // --- loading --------------------------------------------------------------------------------

  /** What the open panel and the view need beyond the ids, read once per version. */
  private loadSideData(): void {
    if (!this.opened) return;
    const { query, version, stats } = this.state;
    if ((query.view === 'list' || query.sort?.key === 'outcome') && this.outcomesVersion !== version) {
      this.outcomesVersion = version;
      void episodeOutcomes(this.datasetId).then((outcomes) => this.opened && this.set({ outcomes }), notifyError);
    }
    if (stats.open && this.scannedVersion !== version) {
      this.scannedVersion = version;
      void this.scanDataset();
    }
  }

  private async loadIds(): Promise<void> {
    if (!this.opened) return;
    const generation = ++this.idsGeneration;
    const { datasetId } = this;
    const query = this.state.query;
    const list = (limit?: number) => (query.sort ? querySortedSampleIds(datasetId, query.sort, query.filter, limit) : querySampleIds(datasetId, query.filter, limit));
    // A filtered sort reads the whole sorted list anyway: one query, not two.
    const firstLimit = query.sort && hasFilter(query) ? undefined : FIRST_PAGE;
    try {
      performance.mark('library:query-start');
      const [first, counts] = await Promise.all([list(firstLimit), countByStatus(datasetId)]);
      performance.measure('library:first-query', 'library:query-start');
      if (generation !== this.idsGeneration) return;
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const complete = firstLimit === undefined || first.length < firstLimit;
      this.set({ ids: first, counts, total, idsComplete: complete });
      // The selection keeps only samples still listed (after a filter change, a delete or a move).
      if (complete) return this.selection.retain(first);
      const all = await list();
      if (generation !== this.idsGeneration) return;
      this.set({ ids: all, idsComplete: true });
      this.selection.retain(all);
    } catch (e) {
      if (generation === this.idsGeneration) notifyError(e);
    }
  }
}
