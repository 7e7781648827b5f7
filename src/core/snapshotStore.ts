/**
 * State a screen's controller shows, read by React with `useSyncExternalStore(store.subscribe,
 * store.getSnapshot)`. The snapshot is replaced, never mutated, so React sees each change; a
 * listener that throws does not stop the others.
 */
export class SnapshotStore<State extends object> {
  private snapshot: State;
  private readonly listeners = new Set<() => void>();

  constructor(initial: State) {
    this.snapshot = initial;
  }

  getSnapshot = (): State => this.snapshot;

  /** The current snapshot, for the subclass's own reading. */
  protected get state(): State {
    return this.snapshot;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Merges `patch` into a new snapshot and tells every listener. */
  protected set(patch: Partial<State>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (err) {
        console.error(err);
      }
    }
  }
}
