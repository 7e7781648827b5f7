import { distance, type Vec } from '../core/geometry';
import type { Editor, EditorPointerEvent } from './editor';

/**
 * The editor's pointer interaction as a small state machine (tldraw's StateNode idea, flat).
 * Every state handles the events it cares about and names the next state; the editor only
 * forwards events to the current state. A gesture that edits the path opens a history mark on
 * its first change and squashes it on release, so a whole drag is one undo step; Escape (or
 * pointercancel) bails back to the mark.
 *
 *   idle ── down on point ──> pointingPoint ── moved ──> draggingPoint ── up ──> idle
 *        ── down on segment ─> pointingSegment ─ up: insert / moved: insert + drag
 *        ── down elsewhere ──> pointingCanvas ── up: add point / moved ──> freehand ── up: simplify + append
 *        ── middle button, or space held ──> panning
 *        ── second touch ──> pinching
 */
export type ToolStateId = 'idle' | 'pointingPoint' | 'draggingPoint' | 'pointingSegment' | 'pointingCanvas' | 'freehand' | 'panning' | 'pinching';

export interface ToolState {
  readonly id: ToolStateId;
  readonly cursor: string;
  /** Points drawn but not yet part of the path (freehand preview), normalized. */
  readonly draft?: readonly Vec[];
  onPointerDown?(e: EditorPointerEvent): void;
  onPointerMove?(e: EditorPointerEvent): void;
  onPointerUp?(e: EditorPointerEvent): void;
  /** Escape or pointercancel: undo whatever this gesture did, back to idle. */
  onCancel?(): void;
}

/** Movement (screen px) before a press becomes a drag; pens and fingers wobble more than mice. */
const dragThreshold = (e: EditorPointerEvent): number => (e.pointerType === 'mouse' ? 3 : 8);
const movedBeyondThreshold = (origin: Vec, e: EditorPointerEvent): boolean => distance(origin, e) > dragThreshold(e);

export class Idle implements ToolState {
  readonly id = 'idle';
  readonly cursor = 'crosshair';
  constructor(private readonly editor: Editor) {}

  onPointerDown(e: EditorPointerEvent): void {
    const editor = this.editor;
    if (e.button === 1 || (e.button === 0 && editor.spaceHeld)) return editor.transition(new Panning(editor, e));
    if (e.button !== 0) return;
    const pointIndex = editor.hitPoint(e);
    if (pointIndex !== null) {
      if (e.altKey) return editor.removePoint(pointIndex);
      return editor.transition(new PointingPoint(editor, e, pointIndex));
    }
    const segment = editor.hitSegment(e);
    if (segment) return editor.transition(new PointingSegment(editor, e, segment.insertIndex, segment.at));
    editor.transition(new PointingCanvas(editor, e));
  }

  onPointerMove(e: EditorPointerEvent): void {
    this.editor.setHover(this.editor.hitPoint(e));
  }
}

/**
 * A press that is not a drag yet: once the pointer moves past the threshold it becomes the state
 * `startDrag` returns (which gets that move); Escape before then just goes back to idle.
 */
abstract class Pointing implements ToolState {
  abstract readonly id: ToolStateId;
  abstract readonly cursor: string;
  constructor(
    protected readonly editor: Editor,
    protected readonly origin: EditorPointerEvent,
  ) {}

  protected abstract startDrag(): ToolState & { onPointerMove(e: EditorPointerEvent): void };

  onPointerMove(e: EditorPointerEvent): void {
    if (!movedBeyondThreshold(this.origin, e)) return;
    const drag = this.startDrag();
    this.editor.transition(drag);
    drag.onPointerMove(e);
  }

  onCancel(): void {
    this.editor.transition(new Idle(this.editor));
  }
}

class PointingPoint extends Pointing {
  readonly id = 'pointingPoint';
  readonly cursor = 'grabbing';
  constructor(editor: Editor, origin: EditorPointerEvent, private readonly index: number) {
    super(editor, origin);
    editor.select(index);
  }

  protected startDrag() {
    return new DraggingPoint(this.editor, this.origin, this.index, false);
  }

  onPointerUp(): void {
    this.editor.transition(new Idle(this.editor));
  }
}

class DraggingPoint implements ToolState {
  readonly id = 'draggingPoint';
  readonly cursor = 'grabbing';
  /** Keeps the grab offset so the point does not jump under the pointer. */
  private readonly grabOffset: Vec;

  constructor(
    private readonly editor: Editor,
    origin: EditorPointerEvent,
    private readonly index: number,
    alreadyMarked: boolean,
  ) {
    if (!alreadyMarked) editor.history.mark();
    const pointOnScreen = editor.normalizedToScreen(editor.path.points[index]);
    this.grabOffset = { x: pointOnScreen.x - origin.x, y: pointOnScreen.y - origin.y };
  }

  onPointerMove(e: EditorPointerEvent): void {
    const target = { x: e.x + this.grabOffset.x, y: e.y + this.grabOffset.y };
    this.editor.movePointTo(this.index, this.editor.screenToPathPoint(target));
  }

  onPointerUp(): void {
    this.editor.history.squashToMark();
    this.editor.transition(new Idle(this.editor));
  }

  onCancel(): void {
    this.editor.history.bailToMark();
    this.editor.transition(new Idle(this.editor));
  }
}

class PointingSegment extends Pointing {
  readonly id = 'pointingSegment';
  readonly cursor = 'copy';
  constructor(editor: Editor, origin: EditorPointerEvent, private readonly insertIndex: number, private readonly at: Vec) {
    super(editor, origin);
  }

  protected startDrag() {
    // Insert and drag in one gesture: one undo step for both.
    this.editor.history.mark();
    this.editor.insertPoint(this.insertIndex, this.at);
    return new DraggingPoint(this.editor, this.origin, this.insertIndex, true);
  }

  onPointerUp(): void {
    this.editor.insertPoint(this.insertIndex, this.at);
    this.editor.transition(new Idle(this.editor));
  }
}

class PointingCanvas extends Pointing {
  readonly id = 'pointingCanvas';
  readonly cursor = 'crosshair';

  protected startDrag() {
    return new Freehand(this.editor, this.origin);
  }

  onPointerUp(): void {
    const editor = this.editor;
    // A click outside the image adds nothing: it is almost always a miss.
    if (editor.isOnImage(this.origin)) editor.appendPoints([editor.screenToPathPoint(this.origin)]);
    else editor.select(null);
    editor.transition(new Idle(editor));
  }
}

class Freehand implements ToolState {
  readonly id = 'freehand';
  readonly cursor = 'crosshair';
  private readonly stroke: Vec[];

  constructor(
    private readonly editor: Editor,
    origin: EditorPointerEvent,
  ) {
    this.stroke = [editor.screenToPathPoint(origin, { snap: false })];
  }

  get draft(): readonly Vec[] {
    return this.stroke;
  }

  onPointerMove(e: EditorPointerEvent): void {
    this.stroke.push(this.editor.screenToPathPoint(e, { snap: false }));
    this.editor.changed();
  }

  onPointerUp(e: EditorPointerEvent): void {
    this.stroke.push(this.editor.screenToPathPoint(e, { snap: false }));
    const points = this.editor.simplifyStroke(this.stroke);
    this.editor.transition(new Idle(this.editor));
    this.editor.appendPoints(points.map((p) => this.editor.snapped(p)));
  }

  onCancel(): void {
    this.editor.transition(new Idle(this.editor));
  }
}

class Panning implements ToolState {
  readonly id = 'panning';
  readonly cursor = 'grabbing';
  private last: Vec;

  constructor(
    private readonly editor: Editor,
    origin: EditorPointerEvent,
  ) {
    this.last = { x: origin.x, y: origin.y };
  }

  onPointerMove(e: EditorPointerEvent): void {
    this.editor.panBy(e.x - this.last.x, e.y - this.last.y);
    this.last = { x: e.x, y: e.y };
  }

  onPointerUp(): void {
    this.editor.transition(new Idle(this.editor));
  }

  onCancel(): void {
    this.editor.transition(new Idle(this.editor));
  }
}

/** Two fingers: zoom about their midpoint by the change of their distance, and pan with it. */
export class Pinching implements ToolState {
  readonly id = 'pinching';
  readonly cursor = 'grabbing';
  private readonly positions = new Map<number, Vec>();

  constructor(
    private readonly editor: Editor,
    touches: EditorPointerEvent[],
  ) {
    for (const t of touches.slice(0, 2)) this.positions.set(t.pointerId, { x: t.x, y: t.y });
  }

  onPointerMove(e: EditorPointerEvent): void {
    if (!this.positions.has(e.pointerId) || this.positions.size < 2) return;
    const [a0, b0] = [...this.positions.values()];
    this.positions.set(e.pointerId, { x: e.x, y: e.y });
    const [a1, b1] = [...this.positions.values()];
    const before = { x: (a0.x + b0.x) / 2, y: (a0.y + b0.y) / 2 };
    const after = { x: (a1.x + b1.x) / 2, y: (a1.y + b1.y) / 2 };
    const spreadBefore = distance(a0, b0);
    this.editor.panBy(after.x - before.x, after.y - before.y);
    if (spreadBefore > 0) this.editor.zoomAt(distance(a1, b1) / spreadBefore, after);
  }

  onPointerUp(e: EditorPointerEvent): void {
    this.positions.delete(e.pointerId);
    if (this.positions.size === 0) this.editor.transition(new Idle(this.editor));
  }

  onCancel(): void {
    this.editor.transition(new Idle(this.editor));
  }
}
