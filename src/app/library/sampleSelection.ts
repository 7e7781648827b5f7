/**
 * Which samples of a dataset's list are selected, as in a file manager: a click on a box (or
 * Ctrl/⌘+click) toggles one, Shift+click adds the range from the last one clicked, Ctrl+A selects
 * every sample the filters show. Plain TypeScript with subscribe/getSnapshot for React.
 */
import { SnapshotStore } from '../../core/snapshotStore';

export interface SelectionSnapshot {
  readonly ids: ReadonlySet<string>;
  readonly count: number;
}

export class SampleSelection extends SnapshotStore<SelectionSnapshot> {
  private anchor: string | null = null;

  constructor() {
    super({ ids: new Set(), count: 0 });
  }

  has(id: string): boolean {
    return this.state.ids.has(id);
  }

  /** A click on `id` in `order` (the list as shown): toggles it, or with `range` adds anchor…id. */
  click(id: string, order: readonly string[], { range = false } = {}): void {
    const ids = new Set(this.state.ids);
    const from = this.anchor === null ? -1 : order.indexOf(this.anchor);
    const to = order.indexOf(id);
    if (range && from >= 0 && to >= 0) {
      for (let i = Math.min(from, to); i <= Math.max(from, to); i++) ids.add(order[i]);
    } else if (ids.has(id)) {
      ids.delete(id);
    } else {
      ids.add(id);
    }
    this.anchor = id;
    this.select(ids);
  }

  selectAll(order: readonly string[]): void {
    this.select(new Set(order));
  }

  clear(): void {
    this.anchor = null;
    if (this.state.count) this.select(new Set());
  }

  /** Keeps only the ids still listed (after a filter change or a delete). */
  retain(order: readonly string[]): void {
    // Nothing selected (as on opening): no set of 100k listed ids to build on the main thread.
    if (!this.state.count) return;
    const listed = new Set(order);
    const kept = [...this.state.ids].filter((id) => listed.has(id));
    if (kept.length !== this.state.count) this.select(new Set(kept));
  }

  private select(ids: Set<string>): void {
    this.set({ ids, count: ids.size });
  }
}
