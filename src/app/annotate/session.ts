import type { Path } from '../../core/path';
import { SnapshotStore } from '../../core/snapshotStore';
import { Editor, type EditorHistory } from '../../editor/editor';
import type { Vec } from '../../core/geometry';
import { addSampleOnSameImage, loadQueueEntries, sampleIdsOnImage, scanInstructions, type QueueEntry } from '../../storage/annotateQueries';
import { getSample, getSamples, SAMPLE_STATUSES, type SamplePatch, type SampleRecord, type SampleStatus } from '../../storage';
import { onStoredChanges, type StoredChange } from '../../storage/changeFeed';
import { describeReplay, replayJournal, SampleAutosave } from './autosave';
import { ImageCache, type LoadedImage } from './imageCache';
import type { PathPlanner } from './planner';
import { errorMessage } from '../../core/errorMessage';

export type AnnotateMode = 'annotate' | 'review';

const MAX_KEPT_HISTORIES = 50;

/** What "unfinished" means depends on who is working: annotators fix drafts and rejections, reviewers check done work. */
export const UNFINISHED: Record<AnnotateMode, readonly SampleStatus[]> = {
  annotate: ['draft', 'rejected'],
  review: ['done'],
};

export interface SessionState {
  readonly datasetId: string;
  readonly loaded: boolean;
  readonly entries: readonly QueueEntry[];
  /** Position of the open sample in `entries`, -1 when none is open. */
  readonly index: number;
  readonly sample: SampleRecord | null;
  readonly image: LoadedImage | null;
  /** Samples on the open sample's image (itself included), in queue order. */
  readonly siblings: readonly string[];
  readonly instructions: readonly string[];
  readonly counts: Readonly<Record<SampleStatus, number>>;
  readonly mode: AnnotateMode;
  readonly error: string | null;
  /** Changes not yet in IndexedDB (they are in the crash journal already). */
  readonly unsaved: number;
  /** Why the last IndexedDB write failed (the change stays in the journal and is retried), or null. */
  readonly saveError: string | null;
  /** A planner is working on a suggestion for the open sample. */
  readonly suggesting: boolean;
  /**
   * The open sample was changed or removed elsewhere (a teammate's edit arriving through the team
   * server, a conflict resolved in Settings) while it was shown: what happened, or null.
   */
  readonly changedElsewhere: string | null;
}

/** Where decoded images come from (tests pass one that needs no DOM). */
export interface ImageSource {
  get(assetId: string): Promise<LoadedImage>;
  preload(assetIds: string[]): void;
  clear(): void;
}

export interface SessionOptions {
  simplifyStroke?: (points: Vec[]) => Vec[];
  images?: ImageSource;
}

function initialState(datasetId: string): SessionState {
  return {
    datasetId,
    loaded: false,
    entries: [],
    index: -1,
    sample: null,
    image: null,
    siblings: [],
    instructions: [],
    counts: countStatuses([]),
    mode: 'annotate',
    error: null,
    unsaved: 0,
    saveError: null,
    suggesting: false,
    changedElsewhere: null,
  };
}

/**
 * One annotator's session on a dataset: the queue, the open sample, its image and the editor
 * showing its path. Plain TypeScript with subscribe/getSnapshot (the React page reads it with
 * useSyncExternalStore); every change is autosaved as it happens.
 */
export class AnnotateSession extends SnapshotStore<SessionState> {
  readonly editor: Editor;
  private readonly autosave = new SampleAutosave();
  private readonly images: ImageSource;
  private readonly records = new Map<string, SampleRecord>();
  private readonly siblingsByAsset = new Map<string, Promise<string[]>>();
  /** Undo histories of recently shown samples, so going back to one still lets you undo there. */
  private readonly histories = new Map<string, EditorHistory>();
  private instructionsScanned = false;
  /** The path as last loaded or saved, to tell real edits from loads. */
  private savedPath: Path | null = null;
  private openToken = 0;
  private loadingSample = false;
  private readonly disposers: (() => void)[] = [];
  /** Samples written by someone else since the last look (see `onStoredElsewhere`); null: the whole table. */
  private storedElsewhere: Set<string> | null = new Set();
  private refreshing: Promise<void> | null = null;
  /** The open sample changed while an edit of its own was on its way or a drag under way: look again after. */
  private recheckOpen = false;
  /** Samples this session changed while a refresh was reading: what it read of them is older. */
  private readonly editedDuringRefresh = new Set<string>();

  constructor(datasetId: string, options: SessionOptions = {}) {
    super(initialState(datasetId));
    this.images = options.images ?? new ImageCache();
    this.editor = new Editor({ imageSize: { width: 1, height: 1 }, viewportSize: { width: 800, height: 600 }, simplifyStroke: options.simplifyStroke });
    this.disposers.push(this.editor.subscribe(() => this.onEditorChange()));
    this.disposers.push(this.autosave.onChange(({ pending, error }) => {
      this.set({ unsaved: pending, saveError: error ? errorMessage(error) : null });
      if (pending === 0 && this.recheckOpen) this.lookAgainAtOpen();
    }));
    this.disposers.push(onStoredChanges((changes) => this.onStoredElsewhere(changes)));
  }

  async start(): Promise<void> {
    // Edits an earlier visit could not store come first; whatever happens to them, the samples load.
    const problem = describeReplay(await replayJournal());
    try {
      const entries = await loadQueueEntries(this.state.datasetId);
      this.set({ loaded: true, entries, counts: countStatuses(entries), error: problem });
    } catch (e) {
      this.set({ loaded: true, error: [`The samples could not be loaded: ${errorMessage(e)}`, problem].filter(Boolean).join(' ') });
    }
  }

  async dispose(): Promise<void> {
    this.disposers.forEach((d) => d());
    await this.autosave.flush();
    this.images.clear();
  }

  flush(): Promise<void> {
    return this.autosave.flush();
  }

  setMode(mode: AnnotateMode): void {
    if (mode !== this.state.mode) this.set({ mode });
  }

  // ── navigation ─────────────────────────────────────────────────────────

  /** Opens a sample by id; later calls win over earlier ones still loading. */
  async open(sampleId: string): Promise<void> {
    const token = ++this.openToken;
    this.rememberInstruction(); // the field may still have focus when the annotator moves on
    const index = this.positionOf(sampleId);
    if (index < 0) {
      this.set({ error: 'That sample is not in this dataset.' });
      return;
    }
    try {
      const record = await this.record(sampleId);
      if (!record) throw new Error('That sample no longer exists.');
      const [image, siblings] = await Promise.all([this.images.get(record.assetId), this.siblingsOf(record.assetId)]);
      if (token !== this.openToken) return;
      // Loading is not an edit: the editor's change notice must not save into the old sample.
      this.loadingSample = true;
      try {
        this.keepHistoryOfOpenSample();
        this.editor.load(record.path, { width: image.width, height: image.height }, this.historyFor(record));
      } finally {
        this.loadingSample = false;
      }
      this.savedPath = this.editor.path;
      this.recheckOpen = false;
      this.set({ index, sample: record, image, siblings: this.inQueueOrder(siblings), error: null, changedElsewhere: null });
      this.preloadAround(index);
      this.scanInstructionsOnce();
    } catch (e) {
      if (token === this.openToken) this.set({ error: errorMessage(e) });
    }
  }

  private keepHistoryOfOpenSample(): void {
    const open = this.state.sample;
    if (!open) return;
    this.histories.delete(open.id); // re-insert: most recent last
    this.histories.set(open.id, this.editor.history);
    while (this.histories.size > MAX_KEPT_HISTORIES) this.histories.delete(this.histories.keys().next().value as string);
  }

  /** The kept history of a sample, if it still ends at the stored path (nothing changed it elsewhere). */
  private historyFor(record: SampleRecord): EditorHistory | undefined {
    const kept = this.histories.get(record.id);
    const stored = record.path ?? { initialGripper: 'open', points: [] };
    return kept && JSON.stringify(kept.current.path) === JSON.stringify(stored) ? kept : undefined;
  }

  /** Id of the sample `step` places away in the queue, or null past either end. */
  neighbourId(step: number): string | null {
    return this.state.entries[this.state.index + step]?.id ?? null;
  }

  /** The next unfinished sample after the open one, wrapping around; null when all are finished. */
  nextUnfinishedId(): string | null {
    const { entries, index, mode } = this.state;
    const wanted = UNFINISHED[mode];
    for (let k = 1; k <= entries.length; k++) {
      const entry = entries[(index + k + entries.length) % entries.length];
      if (wanted.includes(entry.status) && entry.id !== this.state.sample?.id) return entry.id;
    }
    return null;
  }

  /** The first sample to show when none is named: the first unfinished one, else the first. */
  firstId(): string | null {
    const wanted = UNFINISHED[this.state.mode];
    return (this.state.entries.find((e) => wanted.includes(e.status)) ?? this.state.entries[0])?.id ?? null;
  }

  /** Fetches the neighbours' records, images and siblings now, so moving to them waits for nothing. */
  private preloadAround(index: number): void {
    const { entries } = this.state;
    const around = [index + 1, index - 1, index + 2].map((i) => entries[i]).filter((e): e is QueueEntry => !!e);
    for (const e of around) {
      void this.record(e.id)
        .then((record) => {
          if (!record) return;
          this.images.preload([record.assetId]);
          void this.siblingsOf(record.assetId);
        })
        .catch(() => undefined);
    }
  }

  private siblingsOf(assetId: string): Promise<string[]> {
    let found = this.siblingsByAsset.get(assetId);
    if (!found) {
      found = sampleIdsOnImage(this.state.datasetId, assetId);
      found.catch(() => this.siblingsByAsset.delete(assetId));
      this.siblingsByAsset.set(assetId, found);
    }
    return found;
  }

  private positions: { of: readonly QueueEntry[]; index: Map<string, number> } | null = null;

  /** Position of a sample in the queue (-1 if absent), from a map rebuilt only when the queue changes. */
  positionOf(id: string): number {
    if (this.positions?.of !== this.state.entries) {
      this.positions = { of: this.state.entries, index: new Map(this.state.entries.map((e, i) => [e.id, i])) };
    }
    return this.positions.index.get(id) ?? -1;
  }

  private inQueueOrder(ids: string[]): string[] {
    return [...ids].sort((a, b) => this.positionOf(a) - this.positionOf(b));
  }

  /** The autocomplete fills in behind the first sample, page by page; instructions typed meanwhile are kept. */
  private scanInstructionsOnce(): void {
    if (this.instructionsScanned) return;
    this.instructionsScanned = true;
    void scanInstructions(this.state.datasetId, (found) => {
      const typed = this.state.instructions.filter((text) => !found.includes(text));
      this.set({ instructions: [...found, ...typed] });
    }).catch(() => undefined);
  }

  private async record(id: string): Promise<SampleRecord | undefined> {
    const cached = this.records.get(id);
    if (cached) return cached;
    const record = await getSample(id);
    if (record) this.records.set(id, record);
    return record;
  }

  // ── changes made elsewhere ─────────────────────────────────────────────

  /**
   * Samples written in this browser by anything but this session (the team engine mirroring a
   * teammate's edit, a conflict resolved, the Library) are read again, so the screen shows what is
   * stored: the queue's statuses and members, and the open sample — unless an edit of it is not
   * stored yet or a drag is under way, in which case it is looked at again once that is over (the
   * store then holds both: this session's patch on top of the other change). This session's own
   * writes come back here too and compare equal.
   */
  private onStoredElsewhere(changes: StoredChange[]): void {
    for (const c of changes) {
      if (c.table !== 'samples') continue;
      if (c.keys === null) this.storedElsewhere = null;
      else if (this.storedElsewhere) c.keys.forEach((k) => this.storedElsewhere!.add(k));
    }
    if (this.storedElsewhere?.size === 0 || !this.state.loaded) return;
    this.refreshing ??= this.refreshFromStore().finally(() => {
      this.refreshing = null;
      if (this.storedElsewhere === null || this.storedElsewhere.size) this.onStoredElsewhere([]);
    });
  }

  private lookAgainAtOpen(): void {
    const open = this.state.sample;
    if (!open) return;
    this.recheckOpen = false;
    this.onStoredElsewhere([{ table: 'samples', keys: [open.id] }]);
  }

  /** Resolves once the changes told so far are on screen (tests). */
  async settled(): Promise<void> {
    while (this.refreshing) await this.refreshing;
  }

  private async refreshFromStore(): Promise<void> {
    const changed = this.storedElsewhere;
    this.storedElsewhere = new Set();
    this.editedDuringRefresh.clear();
    const pending = (id: string) => this.autosave.isPending(id);
    try {
      if (changed === null) {
        for (const id of [...this.records.keys()]) if (!pending(id)) this.records.delete(id);
        await this.reloadQueue();
      } else {
        const ids = [...changed].filter((id) => !pending(id));
        const stored = await getSamples(ids);
        const removed = new Set<string>();
        const statuses = new Map<string, SampleStatus>();
        let reload = false;
        // What was read may be older than this session's own change made during the read, or than a
        // change told since (read again on the next round): those wait.
        const stale = (id: string) => pending(id) || this.editedDuringRefresh.has(id) || this.storedElsewhere === null || this.storedElsewhere.has(id);
        ids.forEach((id, i) => {
          if (stale(id)) return;
          const record = stored[i];
          this.records.delete(id);
          const entry = this.state.entries[this.positionOf(id)];
          if (!record || record.datasetId !== this.state.datasetId) {
            if (entry && id !== this.state.sample?.id) removed.add(id);
          } else if (!entry) reload = true; // new here: its place in the queue comes from the index
          else if (entry.status !== record.status) statuses.set(id, record.status);
        });
        if (reload) await this.reloadQueue();
        else if (removed.size || statuses.size) {
          const entries = this.state.entries.filter((e) => !removed.has(e.id)).map((e) => (statuses.has(e.id) ? { id: e.id, status: statuses.get(e.id)! } : e));
          this.set({ entries, counts: countStatuses(entries), index: this.indexAfter(entries) });
        }
      }
      const open = this.state.sample;
      if (open && (changed === null || changed.has(open.id))) await this.refreshOpen(open.id);
    } catch (e) {
      this.set({ error: `The changes made elsewhere could not be read: ${errorMessage(e)}` });
    }
  }

  private indexAfter(entries: readonly QueueEntry[]): number {
    const open = this.state.sample;
    return open ? entries.findIndex((e) => e.id === open.id) : -1;
  }

  private async reloadQueue(): Promise<void> {
    const read = await loadQueueEntries(this.state.datasetId);
    // This session's own changes not stored yet (or made while reading) win over what was read.
    const entries = read.map((e) => {
      const mine = this.autosave.isPending(e.id) || this.editedDuringRefresh.has(e.id) ? this.records.get(e.id) : undefined;
      return mine && mine.status !== e.status ? { id: e.id, status: mine.status } : e;
    });
    this.set({ entries, counts: countStatuses(entries), index: this.indexAfter(entries) });
  }

  /**
   * Shows the open sample as stored, when someone else changed it. While an edit of this session's
   * is on its way (or was made during the read) or a drag is under way, it is looked at again once
   * the edit is stored or the drag is over: the store then holds both.
   */
  private async refreshOpen(id: string): Promise<void> {
    const busy = () => this.autosave.isPending(id) || this.editedDuringRefresh.has(id) || this.editor.gestureActive;
    if (busy()) {
      this.recheckOpen = true;
      return;
    }
    const record = await getSample(id);
    const shown = this.state.sample;
    if (shown?.id !== id) return;
    if (busy()) {
      this.recheckOpen = true;
      return;
    }
    if (!record || record.datasetId !== this.state.datasetId) {
      this.set({ changedElsewhere: 'This sample was removed elsewhere (by a teammate or in another screen). Edits made here are not stored: move on to another sample.' });
      return;
    }
    this.records.set(id, record);
    if (sameContent(record, shown)) {
      if (record !== shown) this.set({ sample: record });
      return;
    }
    if (JSON.stringify(record.path) !== JSON.stringify(shown.path) && this.state.image) {
      this.loadingSample = true;
      try {
        this.editor.load(record.path, { width: this.state.image.width, height: this.state.image.height });
      } finally {
        this.loadingSample = false;
      }
      this.savedPath = this.editor.path;
    }
    this.set({ sample: record, changedElsewhere: 'This sample was changed elsewhere (by a teammate or in another screen): you see the stored version; undo starts from here.' });
  }

  // ── edits of the open sample ─────────────────────────────────────────────

  private patchCurrent(patch: SamplePatch): void {
    const sample = this.state.sample;
    if (!sample) return;
    const updated: SampleRecord = { ...sample, ...patch, updatedAt: Date.now() };
    this.editedDuringRefresh.add(sample.id);
    this.records.set(sample.id, updated);
    this.autosave.save(sample.id, patch);
    let { entries, counts } = this.state;
    if (patch.status && patch.status !== sample.status && this.state.index >= 0) {
      const changed = [...entries];
      changed[this.state.index] = { id: sample.id, status: patch.status };
      entries = changed;
      counts = { ...counts, [sample.status]: counts[sample.status] - 1, [patch.status]: counts[patch.status] + 1 };
    }
    this.set({ sample: updated, entries, counts });
  }

  private onEditorChange(): void {
    this.saveEditedPath();
    // A change from elsewhere that waited for a drag: shown once the drag's result is stored.
    if (this.recheckOpen && !this.editor.gestureActive && this.state.sample && !this.autosave.isPending(this.state.sample.id)) this.lookAgainAtOpen();
  }

  private saveEditedPath(): void {
    const path = this.editor.path;
    // A drag saves once, when it ends; loads are not edits.
    if (!this.state.sample || this.loadingSample || this.editor.gestureActive || path === this.savedPath) return;
    this.savedPath = path;
    const patch: SamplePatch = { path: path.points.length > 0 ? path : null };
    if (this.state.sample.prelabeled) patch.prelabeled = false;
    this.patchCurrent(patch);
  }

  setInstruction(text: string): void {
    this.patchCurrent({ instruction: text });
  }

  /** Adds the open sample's instruction to the autocomplete list (when the field is left). */
  rememberInstruction(): void {
    const text = this.state.sample?.instruction.trim();
    if (text && !this.state.instructions.includes(text)) this.set({ instructions: [...this.state.instructions, text] });
  }

  setStatus(status: SampleStatus): void {
    this.rememberInstruction();
    this.patchCurrent({ status });
  }

  approve(): void {
    this.patchCurrent({ status: 'reviewed', review: { verdict: 'approved', comment: '', at: Date.now() } });
  }

  reject(comment: string): void {
    this.patchCurrent({ status: 'rejected', review: { verdict: 'rejected', comment: comment.trim(), at: Date.now() } });
  }

  /** Another instruction and path on the open sample's image, placed right after it, and opened. */
  async addPathOnSameImage(): Promise<string | null> {
    const sample = this.state.sample;
    if (!sample) return null;
    try {
      const record = await addSampleOnSameImage(sample);
      this.records.set(record.id, record);
      if (this.positionOf(record.id) >= 0) return record.id; // the queue was read again meanwhile: it is there
      const entries = [...this.state.entries];
      entries.splice(this.state.index + 1, 0, { id: record.id, status: record.status });
      const siblings = this.siblingsByAsset.get(record.assetId);
      if (siblings) this.siblingsByAsset.set(record.assetId, siblings.then((ids) => [...ids, record.id]));
      this.set({ entries, counts: { ...this.state.counts, [record.status]: this.state.counts[record.status] + 1 } });
      return record.id;
    } catch (e) {
      this.set({ error: errorMessage(e) });
      return null;
    }
  }

  /**
   * Asks the planner for a path for the open sample and puts it in the editor (one undo step),
   * marked as prelabeled until a person edits it. Dropped if the annotator moved on meanwhile.
   * Refused without an instruction: the planner's path answers one, and a path for no task would
   * be stored as a model's suggestion all the same.
   */
  async suggestPath(planner: PathPlanner): Promise<void> {
    const { sample, image } = this.state;
    if (!sample || !image || this.state.suggesting) return;
    if (!sample.instruction.trim()) throw new Error('Write the instruction first (press I): the planner suggests a path for an instruction.');
    this.set({ suggesting: true });
    try {
      const path = await planner.suggest({ image: image.bitmap, instruction: sample.instruction });
      if (this.state.sample?.id !== sample.id) return;
      this.editor.setPath(path);
      this.patchCurrent({ prelabeled: true });
    } finally {
      this.set({ suggesting: false });
    }
  }

  /** Replaces the path with the previous sample's (one undo step). Returns false when it has none. */
  async copyPreviousPath(): Promise<boolean> {
    const previousId = this.neighbourId(-1);
    const previous = previousId ? await this.record(previousId) : undefined;
    if (!previous?.path || previous.path.points.length === 0) return false;
    this.editor.setPath(structuredClone(previous.path));
    return true;
  }
}

/** The fields a person edits: equal means nothing to show. */
function sameContent(a: SampleRecord, b: SampleRecord): boolean {
  const fields = (r: SampleRecord) => JSON.stringify([r.instruction, r.path, r.status, r.review ?? null, r.prelabeled ?? false]);
  return fields(a) === fields(b);
}

export function countStatuses(entries: readonly QueueEntry[]): Record<SampleStatus, number> {
  const counts = Object.fromEntries(SAMPLE_STATUSES.map((s) => [s, 0])) as Record<SampleStatus, number>;
  for (const e of entries) counts[e.status]++;
  return counts;
}

