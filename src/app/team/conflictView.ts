/**
 * The side-by-side view of one sample in conflict (docs/TEAMS.md, Conflicts), without React: the
 * versions (winner first), which version each field is taken from, and saving — one version kept
 * whole, or the fields merged. src/ui/team/ConflictPanel.tsx renders it.
 */
import { SnapshotStore } from '../../core/snapshotStore';
import { mergeVersions } from '../../team/conflicts';
import type { ConflictVersion, MergeField } from '../../team/replica';
import type { ProjectRole } from '../../team/validate';

export interface ConflictSource {
  conflictVersions(datasetId: string, sampleId: string): Promise<ConflictVersion[]>;
  resolveConflict(datasetId: string, sampleId: string, base: string, picks?: Partial<Record<MergeField, string>>): Promise<boolean>;
}

export interface ConflictViewState {
  /** null while reading; empty when the sample has no conflict (any more). */
  versions: ConflictVersion[] | null;
  /** The version each field comes from, by revision (the winner's unless picked). */
  picks: Record<MergeField, string> | null;
  busy: boolean;
  /** Resolved: the view can close. */
  done: boolean;
}

export class ConflictView extends SnapshotStore<ConflictViewState> {
  constructor(private readonly source: ConflictSource, readonly datasetId: string, readonly sampleId: string, private readonly role: () => ProjectRole | null = () => null) {
    super({ versions: null, picks: null, busy: false, done: false });
  }

  /**
   * Why this person cannot save that choice, or null. The server's rules judge the resolution like
   * any edit, against the version shown now: an annotator who chose a version that changes its
   * review or approval would see the new winner refused (and undone) after the losing versions were
   * already deleted — so the studio says it first, and a reviewer resolves that one.
   */
  blockedReason(base: string, picks: Partial<Record<MergeField, string>> = {}): string | null {
    const { versions } = this.state;
    if (!versions?.length || this.role() !== 'annotator') return null;
    const merged = mergeVersions(versions, base, picks);
    const shown = versions[0].record;
    const review = (r: typeof shown.review) => (r ? `${r.verdict}\n${r.comment}\n${r.at}` : '');
    const approves = (merged.status === 'reviewed' || merged.status === 'rejected') && merged.status !== shown.status;
    if (approves || review(merged.review) !== review(shown.review)) return 'This choice changes a review or an approval: only a reviewer can resolve it that way.';
    return null;
  }

  async load(): Promise<void> {
    const versions = await this.source.conflictVersions(this.datasetId, this.sampleId);
    const base = versions[0]?.rev;
    this.set({ versions, picks: base ? { path: base, instruction: base, status: base } : null });
  }

  pick(field: MergeField, rev: string): void {
    if (this.state.picks) this.set({ picks: { ...this.state.picks, [field]: rev } });
  }

  /** Keeps one version whole. */
  keep(rev: string): Promise<void> {
    return this.save(rev, {});
  }

  /** Saves the fields as picked (on top of the winner). */
  saveMerge(): Promise<void> {
    const { versions, picks } = this.state;
    if (!versions?.length || !picks) return Promise.resolve();
    return this.save(versions[0].rev, picks);
  }

  private async save(base: string, picks: Partial<Record<MergeField, string>>): Promise<void> {
    this.set({ busy: true });
    const ok = await this.source.resolveConflict(this.datasetId, this.sampleId, base, picks);
    this.set({ busy: false, done: ok });
  }
}
