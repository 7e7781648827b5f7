import type { Path } from '../../core/path';
import { SnapshotStore } from '../../core/snapshotStore';
import { Editor, type EditorHistory } from '../../editor/editor';
import type { Vec } from '../../core/geometry';
import { addSampleOnSameImage, loadQueueEntries, sampleIdsOnImage, scanInstructions, type QueueEntry } from '../../storage/annotateQueries';
import { getSample, SAMPLE_STATUSES, type SamplePatch, type SampleRecord, type SampleStatus } from '../../storage';
import { replayJournal, SampleAutosave } from './autosave';
import { ImageCache, type LoadedImage } from './imageCache';
import type { PathPlanner } from './planner';

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

  constructor(datasetId: string, options: SessionOptions = {}) {
    super(initialState(datasetId));
    this.images = options.images ?? new ImageCache();
    this.editor = new Editor({ imageSize: { width: 1, height: 1 }, viewportSize: { width: 800, height: 600 }, simplifyStroke: options.simplifyStroke });
    this.disposers.push(this.editor.subscribe(() => this.onEditorChange()));
    this.disposers.push(this.autosave.onChange(({ pending, error }) => this.set({ unsaved: pending, saveError: error ? describe(error) : null })));
  }

  async start(): Promise<void> {
    // Edits an earlier visit could not store come first; whatever happens to them, the samples load.
    const replay = await replayJournal();
    const problems: string[] = [];
    if (replay.kept.length) problems.push(`${replay.kept.length} edit${replay.kept.length > 1 ? 's' : ''} from an earlier visit could not be saved yet (${describe(replay.kept[0].error)}); ${replay.kept.length > 1 ? 'they are' : 'it is'} kept in this browser and saved on the next visit once there is room.`);
    if (replay.dropped.length) problems.push(`${replay.dropped.length} edit${replay.dropped.length > 1 ? 's' : ''} from an earlier visit could not be stored and ${replay.dropped.length > 1 ? 'were' : 'was'} discarded: ${describe(replay.dropped[0].error)}`);
    try {
      const entries = await loadQueueEntries(this.state.datasetId);
      this.set({ loaded: true, entries, counts: countStatuses(entries), error: problems.join(' ') || null });
    } catch (e) {
      this.set({ loaded: true, error: [`The samples could not be loaded: ${describe(e)}`, ...problems].join(' ') });
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
      this.set({ index, sample: record, image, siblings: this.inQueueOrder(siblings), error: null });
      this.preloadAround(index);
      this.scanInstructionsOnce();
    } catch (e) {
      if (token === this.openToken) this.set({ error: describe(e) });
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

  // ── edits of the open sample ─────────────────────────────────────────────

  private patchCurrent(patch: SamplePatch): void {
    const sample = this.state.sample;
    if (!sample) return;
    const updated: SampleRecord = { ...sample, ...patch, updatedAt: Date.now() };
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
      const entries = [...this.state.entries];
      entries.splice(this.state.index + 1, 0, { id: record.id, status: record.status });
      const siblings = this.siblingsByAsset.get(record.assetId);
      if (siblings) this.siblingsByAsset.set(record.assetId, siblings.then((ids) => [...ids, record.id]));
      this.set({ entries, counts: { ...this.state.counts, [record.status]: this.state.counts[record.status] + 1 } });
      return record.id;
    } catch (e) {
      this.set({ error: describe(e) });
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

export function countStatuses(entries: readonly QueueEntry[]): Record<SampleStatus, number> {
  const counts = Object.fromEntries(SAMPLE_STATUSES.map((s) => [s, 0])) as Record<SampleStatus, number>;
  for (const e of entries) counts[e.status]++;
  return counts;
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));
