/**
 * The episode shown on the import screen, headless: its table (states, actions), the end effector's
 * positions from the chosen source, and the analysis the import would make of it (projected track,
 * gripper events, segments and paths). The workspace feeds it its settings; it reads the episode
 * again only when another one is shown, and analyses again only when an input changed.
 */
import type { Vec3 } from '../../core/camera/projection';
import { SnapshotStore } from '../../core/snapshotStore';
import { analyzeEpisode, type AnalyzeResult } from '../../importers/episodes/analyze';
import { endEffectorPositions, type EeSource } from '../../importers/episodes/importEpisodes';
import type { EpisodeSource, EpisodeTable } from '../../importers/episodes/source';
import { errorMessage } from '../../core/errorMessage';

/** A camera projection for one episode: the dataset's, a saved one, or from clicks. */
export interface EpisodeProjection {
  projection: number[];
  width: number;
  height: number;
}

export interface PreviewInputs {
  episode: number;
  ee: EeSource | null;
  projection: EpisodeProjection | null;
  /** Cuts set by hand for this episode; they replace `segmentation`. */
  cuts: number[] | undefined;
  gripperColumn: number | null;
  closeAbove: number;
  openBelow: number;
  inverted: boolean;
  segmentation: 'whole' | 'gripper';
  epsilon: number;
}

export interface EpisodePreviewSnapshot {
  episode: number;
  /** Null while it is read (or when reading failed: `error`). */
  table: EpisodeTable | null;
  error: string | null;
  /** The end effector per frame; null without a source for it or when the table lacks its columns. */
  eePositions: Vec3[] | null;
  /** Null until the end effector and a projection are known. */
  analysis: AnalyzeResult | null;
}

const sameInputs = (a: PreviewInputs, b: PreviewInputs) => (Object.keys(a) as (keyof PreviewInputs)[]).every((k) => Object.is(a[k], b[k]));

export class EpisodePreviewController extends SnapshotStore<EpisodePreviewSnapshot> {
  private inputs: PreviewInputs | null = null;
  private disposed = false;

  constructor(private readonly source: EpisodeSource) {
    super({ episode: source.episodes[0].index, table: null, error: null, eePositions: null, analysis: null });
  }

  /** Shows the episode in `inputs` with those settings. */
  show(inputs: PreviewInputs): void {
    const before = this.inputs;
    if (this.disposed || (before && sameInputs(before, inputs))) return;
    this.inputs = inputs;
    if (!before || before.episode !== inputs.episode) { void this.read(inputs.episode); return; }
    const { table, eePositions } = this.getSnapshot();
    const positions = before.ee === inputs.ee ? eePositions : positionsOf(table, inputs.ee);
    this.set({ eePositions: positions, analysis: this.analyse(table, positions, inputs) });
  }

  dispose(): void {
    this.disposed = true;
  }

  private async read(episode: number): Promise<void> {
    this.set({ episode, table: null, error: null, eePositions: null, analysis: null });
    let table: EpisodeTable;
    try {
      table = await this.source.readEpisode(episode);
    } catch (e) {
      if (this.current(episode)) this.set({ error: errorMessage(e) });
      return;
    }
    if (!this.current(episode)) return;
    const eePositions = positionsOf(table, this.inputs!.ee);
    this.set({ table, eePositions, analysis: this.analyse(table, eePositions, this.inputs!) });
  }

  private analyse(table: EpisodeTable | null, ee: Vec3[] | null, p: PreviewInputs): AnalyzeResult | null {
    if (!table || !ee || !p.projection) return null;
    return analyzeEpisode(ee, {
      ...p.projection,
      gripperAbsolute: this.source.gripperIsClosure01,
      hysteresis: { closeAbove: p.closeAbove, openBelow: p.openBelow, inverted: p.inverted },
      segmentation: p.cuts ? { kind: 'cuts', cuts: p.cuts } : { kind: p.segmentation },
      epsilon: p.epsilon,
      gripperSignal: p.gripperColumn === null ? null : table.states.map((s) => s[p.gripperColumn!]),
      label: `Episode ${p.episode}`,
    });
  }

  /** Whether `episode` is still the one to show (a later pick wins over a slower read). */
  private current(episode: number): boolean {
    return !this.disposed && this.inputs?.episode === episode;
  }
}

function positionsOf(table: EpisodeTable | null, ee: EeSource | null): Vec3[] | null {
  if (!table || !ee) return null;
  try { return endEffectorPositions(table, ee); } catch { return null; }
}
