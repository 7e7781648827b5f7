/**
 * Undo history over immutable document states (tldraw-style marks, reduced to what the
 * editor needs): outside a gesture every `push` is one undo step; between `mark()` and
 * `squashToMark()` the document changes freely via `update()` and the whole gesture becomes a
 * single step, while `bailToMark()` restores the state at the mark (Escape).
 *
 * `replace()` changes the present without an undo entry (e.g. the selection alone changed).
 */
export class History<T> {
  private past: T[] = [];
  private future: T[] = [];
  private markedState: T | null = null;

  constructor(
    private present: T,
    /** Decides whether two states differ enough to be worth an undo step. */
    private readonly changed: (a: T, b: T) => boolean = (a, b) => a !== b,
    private readonly limit = 500,
  ) {}

  get current(): T {
    return this.present;
  }

  get canUndo(): boolean {
    return this.markedState === null && this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.markedState === null && this.future.length > 0;
  }

  get inGesture(): boolean {
    return this.markedState !== null;
  }

  /** Records `next` as a new undo step (or, inside a gesture, just updates the present). */
  push(next: T): void {
    if (this.markedState !== null) {
      this.present = next;
      return;
    }
    if (!this.changed(this.present, next)) {
      this.present = next;
      return;
    }
    this.past.push(this.present);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
    this.present = next;
  }

  /** Changes the present without creating an undo step. */
  replace(next: T): void {
    this.present = next;
  }

  mark(): void {
    if (this.markedState !== null) throw new Error('History.mark: a gesture is already in progress');
    this.markedState = this.present;
  }

  /** Ends the gesture: everything since the mark becomes one undo step (none if nothing changed). */
  squashToMark(): void {
    const before = this.markedState;
    if (before === null) return;
    this.markedState = null;
    if (!this.changed(before, this.present)) return;
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  /** Ends the gesture by restoring the state at the mark. */
  bailToMark(): void {
    if (this.markedState === null) return;
    this.present = this.markedState;
    this.markedState = null;
  }

  undo(): T | null {
    if (!this.canUndo) return null;
    this.future.push(this.present);
    this.present = this.past.pop() as T;
    return this.present;
  }

  redo(): T | null {
    if (!this.canRedo) return null;
    this.past.push(this.present);
    this.present = this.future.pop() as T;
    return this.present;
  }
}
