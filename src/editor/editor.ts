import { emptyPath, type Path } from '../core/path';
import { clamp, type Size, type Vec } from '../core/geometry';
import { History } from './history';
import { hitPoint, hitSegment, MOUSE_TOLERANCES, TOUCH_TOLERANCES, type SegmentHit } from './hitTest';
import { appendPoints, insertPoint, movePoint, removePoint, snapToGrid, toggleGripperEvent } from './pathEdits';
import { Idle, Pinching, type ToolState, type ToolStateId } from './tools';
import { actualSizeView, fitView, normalizedToScreen, panBy, screenToNormalized, ZOOM_STEP, zoomAt, type View } from './view';

/** A pointer event in canvas CSS pixels; the UI translates DOM PointerEvents into these. */
export interface EditorPointerEvent {
  x: number;
  y: number;
  pointerId: number;
  pointerType: 'mouse' | 'pen' | 'touch';
  /** 0 primary, 1 middle, 2 secondary (DOM `button`). */
  button: number;
  altKey?: boolean;
  shiftKey?: boolean;
}

export interface EditorWheelEvent {
  x: number;
  y: number;
  deltaX: number;
  deltaY: number;
  /** DOM deltaMode: 0 pixels, 1 lines, 2 pages. */
  deltaMode: number;
  /** Trackpad pinch arrives as a wheel event with ctrlKey set. */
  ctrlKey: boolean;
  shiftKey?: boolean;
}

/** Everything the renderer and the UI read, as one immutable value (a new object per change). */
export interface EditorSnapshot {
  readonly version: number;
  readonly path: Path;
  readonly selection: number | null;
  readonly hover: number | null;
  readonly view: View;
  readonly imageSize: Size;
  readonly viewportSize: Size;
  readonly toolState: ToolStateId;
  readonly cursor: string;
  /** Freehand stroke in progress (normalized), drawn as a preview. */
  readonly draft: readonly Vec[] | null;
  readonly overlayVisible: boolean;
  readonly snapping: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  readonly gestureActive: boolean;
}

/** What the undo history stores: the path, and the selection so undo puts it back too. */
export interface EditorDocument {
  path: Path;
  selection: number | null;
}

/** One sample's undo history; a host may keep it to hand back to `load` when the sample is shown again. */
export type EditorHistory = History<EditorDocument>;

const newHistory = (path: Path): EditorHistory => new History<EditorDocument>({ path, selection: null }, (a, b) => a.path !== b.path);

export interface EditorOptions {
  imageSize: Size;
  viewportSize: Size;
  path?: Path;
  /** Reduces a freehand stroke (normalized points) to waypoints; the UI passes core's RDP. */
  simplifyStroke?: (points: Vec[]) => Vec[];
}

/** Grid used when snapping is on: the codec's default 2-decimal precision. */
export const SNAP_STEP = 0.01;

/**
 * The annotation editor: a pure model (no DOM, no React) holding one sample's path, the
 * selection and the view. Input arrives as plain pointer/wheel events and commands; the UI
 * subscribes and renders `getSnapshot()`.
 */
export class Editor {
  private historyValue: EditorHistory;
  private state: ToolState;
  private imageSizeValue: Size;
  private viewportSizeValue: Size;
  private viewValue: View;
  private hover: number | null = null;
  private overlayVisible = false;
  private snapping = false;
  private spaceHeldValue = false;
  private readonly touches = new Map<number, EditorPointerEvent>();
  private readonly listeners = new Set<() => void>();
  private version = 0;
  private snapshot: EditorSnapshot | null = null;
  readonly simplifyStroke: (points: Vec[]) => Vec[];

  constructor(options: EditorOptions) {
    this.imageSizeValue = options.imageSize;
    this.viewportSizeValue = options.viewportSize;
    this.viewValue = fitView(options.imageSize, options.viewportSize);
    this.historyValue = newHistory(options.path ?? emptyPath());
    this.simplifyStroke = options.simplifyStroke ?? ((points) => points);
    this.state = new Idle(this);
  }

  // ── reading ──────────────────────────────────────────────────────────────

  get history(): EditorHistory {
    return this.historyValue;
  }

  get path(): Path {
    return this.history.current.path;
  }

  get selection(): number | null {
    return this.history.current.selection;
  }

  get view(): View {
    return this.viewValue;
  }

  get imageSize(): Size {
    return this.imageSizeValue;
  }

  get viewportSize(): Size {
    return this.viewportSizeValue;
  }

  get toolState(): ToolStateId {
    return this.state.id;
  }

  get spaceHeld(): boolean {
    return this.spaceHeldValue;
  }

  get gestureActive(): boolean {
    return this.state.id !== 'idle';
  }

  getSnapshot = (): EditorSnapshot => {
    this.snapshot ??= {
      version: this.version,
      path: this.path,
      selection: this.selection,
      hover: this.hover,
      view: this.viewValue,
      imageSize: this.imageSizeValue,
      viewportSize: this.viewportSizeValue,
      toolState: this.state.id,
      cursor: this.spaceHeldValue && this.state.id === 'idle' ? 'grab' : this.state.cursor,
      draft: this.state.draft ? [...this.state.draft] : null,
      overlayVisible: this.overlayVisible,
      snapping: this.snapping,
      canUndo: this.history.canUndo,
      canRedo: this.history.canRedo,
      gestureActive: this.gestureActive,
    };
    return this.snapshot;
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Notifies subscribers; tools call it when only their own preview changed. */
  changed(): void {
    this.version++;
    this.snapshot = null;
    for (const listener of this.listeners) listener();
  }

  // ── loading and layout ───────────────────────────────────────────────────

  /**
   * Shows another sample: its path and image, with a fresh history or the one it had when last
   * shown (`history`, whose present must be this path); the view is fitted when the image size changed.
   */
  load(path: Path | null, imageSize: Size, history?: EditorHistory): void {
    this.cancelGesture();
    const imageChanged = imageSize.width !== this.imageSizeValue.width || imageSize.height !== this.imageSizeValue.height;
    this.imageSizeValue = imageSize;
    this.historyValue = history ?? newHistory(path ?? emptyPath());
    this.hover = null;
    if (imageChanged) this.viewValue = fitView(imageSize, this.viewportSizeValue);
    this.changed();
  }

  setViewportSize(size: Size): void {
    if (size.width === this.viewportSizeValue.width && size.height === this.viewportSizeValue.height) return;
    const wasFitted = sameView(this.viewValue, fitView(this.imageSizeValue, this.viewportSizeValue));
    this.viewportSizeValue = size;
    if (wasFitted) this.viewValue = fitView(this.imageSizeValue, size);
    this.changed();
  }

  // ── view ────────────────────────────────────────────────────────────────

  private setView(view: View): void {
    this.viewValue = view;
    this.changed();
  }

  zoomAt(factor: number, anchor: Vec): void {
    this.setView(zoomAt(this.viewValue, factor, anchor));
  }

  private get viewportCentre(): Vec {
    return { x: this.viewportSizeValue.width / 2, y: this.viewportSizeValue.height / 2 };
  }

  zoomIn(): void {
    this.zoomAt(ZOOM_STEP, this.viewportCentre);
  }

  zoomOut(): void {
    this.zoomAt(1 / ZOOM_STEP, this.viewportCentre);
  }

  fit(): void {
    this.setView(fitView(this.imageSizeValue, this.viewportSizeValue));
  }

  actualSize(): void {
    this.setView(actualSizeView(this.viewValue, this.viewportSizeValue));
  }

  panBy(dx: number, dy: number): void {
    this.setView(panBy(this.viewValue, dx, dy));
  }

  /**
   * Mouse wheels zoom to the cursor; trackpad pinches (ctrl+wheel) zoom smoothly; trackpad
   * two-finger scrolls (pixel deltas with a horizontal part, or small fractional steps) pan.
   */
  wheel(e: EditorWheelEvent): void {
    const pixels = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.viewportSizeValue.height : 1;
    const dx = e.deltaX * pixels;
    const dy = e.deltaY * pixels;
    const looksLikeTrackpadScroll = e.deltaMode === 0 && (dx !== 0 || !Number.isInteger(dy) || Math.abs(dy) < 40);
    if (!e.ctrlKey && (e.shiftKey || looksLikeTrackpadScroll)) {
      if (e.shiftKey && dx === 0) this.panBy(-dy, 0);
      else this.panBy(-dx, -dy);
      return;
    }
    const perPixel = e.ctrlKey ? 0.01 : 0.002;
    this.zoomAt(Math.exp(-dy * perPixel), { x: e.x, y: e.y });
  }

  // ── coordinate helpers used by tools ─────────────────────────────────────

  normalizedToScreen(p: Vec): Vec {
    return normalizedToScreen(this.viewValue, this.imageSizeValue, p);
  }

  /** Screen point to a path point: normalized, clamped to the image, snapped when snapping is on. */
  screenToPathPoint(screen: Vec, options: { snap?: boolean } = {}): Vec {
    const n = screenToNormalized(this.viewValue, this.imageSizeValue, screen);
    const clamped = { x: clamp(n.x, 0, 1), y: clamp(n.y, 0, 1) };
    return options.snap === false ? clamped : this.snapped(clamped);
  }

  snapped(p: Vec): Vec {
    return this.snapping ? snapToGrid(p, SNAP_STEP) : p;
  }

  isOnImage(screen: Vec): boolean {
    const n = screenToNormalized(this.viewValue, this.imageSizeValue, screen);
    return n.x >= 0 && n.x <= 1 && n.y >= 0 && n.y <= 1;
  }

  hitPoint(e: EditorPointerEvent): number | null {
    return hitPoint(this.path, this.viewValue, this.imageSizeValue, e, tolerancesFor(e).point);
  }

  hitSegment(e: EditorPointerEvent): SegmentHit | null {
    return hitSegment(this.path, this.viewValue, this.imageSizeValue, e, tolerancesFor(e).segment);
  }

  transition(next: ToolState): void {
    this.state = next;
    this.changed();
  }

  // ── edits: each is one undo step (or part of the gesture in progress) ─────

  private commit(path: Path, selection: number | null): void {
    this.history.push({ path, selection });
    this.changed();
  }

  select(index: number | null): void {
    const valid = index !== null && index >= 0 && index < this.path.points.length ? index : null;
    if (valid === this.selection) return;
    this.history.replace({ ...this.history.current, selection: valid });
    this.changed();
  }

  selectNext(step: 1 | -1): void {
    const count = this.path.points.length;
    if (count === 0) return;
    const current = this.selection ?? (step === 1 ? -1 : count);
    this.select((current + step + count) % count);
  }

  setHover(index: number | null): void {
    if (index === this.hover) return;
    this.hover = index;
    this.changed();
  }

  setPath(path: Path): void {
    const selection = this.selection !== null && this.selection < path.points.length ? this.selection : null;
    this.commit(path, selection);
  }

  appendPoints(points: Vec[]): void {
    if (points.length === 0) return;
    const path = appendPoints(this.path, points);
    this.commit(path, path.points.length - 1);
  }

  insertPoint(index: number, at: Vec): void {
    this.commit(insertPoint(this.path, index, this.snapped(at)), index);
  }

  movePointTo(index: number, to: Vec): void {
    const path = movePoint(this.path, index, to);
    if (path !== this.path) this.commit(path, index);
  }

  /** Moves the selected point by a screen-pixel offset (arrow keys). */
  nudgeSelected(dx: number, dy: number): void {
    const index = this.selection;
    if (index === null) return;
    const screen = this.normalizedToScreen(this.path.points[index]);
    this.movePointTo(index, this.screenToPathPoint({ x: screen.x + dx, y: screen.y + dy }, { snap: false }));
  }

  removePoint(index: number): void {
    const path = removePoint(this.path, index);
    if (path === this.path) return;
    const count = path.points.length;
    this.commit(path, count === 0 ? null : Math.min(index, count - 1));
  }

  removeSelected(): void {
    if (this.selection !== null) this.removePoint(this.selection);
  }

  toggleGripperAt(index: number): void {
    const path = toggleGripperEvent(this.path, index);
    if (path !== this.path) this.commit(path, index);
  }

  toggleGripperAtSelection(): void {
    if (this.selection !== null) this.toggleGripperAt(this.selection);
  }

  clearPath(): void {
    if (this.path.points.length > 0) this.commit(emptyPath(), null);
  }

  undo(): void {
    this.cancelGesture();
    if (this.history.undo()) this.changed();
  }

  redo(): void {
    this.cancelGesture();
    if (this.history.redo()) this.changed();
  }

  // ── toggles ─────────────────────────────────────────────────────────────

  toggleOverlay(): void {
    this.overlayVisible = !this.overlayVisible;
    this.changed();
  }

  toggleSnapping(): void {
    this.snapping = !this.snapping;
    this.changed();
  }

  setSpaceHeld(held: boolean): void {
    if (held === this.spaceHeldValue) return;
    this.spaceHeldValue = held;
    this.changed();
  }

  // ── input ───────────────────────────────────────────────────────────────

  pointerDown(e: EditorPointerEvent): void {
    if (e.pointerType === 'touch') {
      this.touches.set(e.pointerId, e);
      if (this.touches.size >= 2) {
        // A second finger turns whatever the first one started into a pinch.
        this.state.onCancel?.();
        this.transition(new Pinching(this, [...this.touches.values()]));
        return;
      }
    }
    this.state.onPointerDown?.(e);
  }

  pointerMove(e: EditorPointerEvent): void {
    if (e.pointerType === 'touch' && this.touches.has(e.pointerId)) this.touches.set(e.pointerId, e);
    this.state.onPointerMove?.(e);
  }

  pointerUp(e: EditorPointerEvent): void {
    this.touches.delete(e.pointerId);
    this.state.onPointerUp?.(e);
  }

  /** The browser took the pointer away (pointercancel): treat it like Escape. */
  pointerCancel(e: EditorPointerEvent): void {
    this.touches.delete(e.pointerId);
    this.cancelGesture();
  }

  /** Escape: cancels the gesture in progress, restoring the path as it was before it. Returns whether one was active. */
  cancelGesture(): boolean {
    if (this.state.id === 'idle') return false;
    this.state.onCancel?.();
    // States return to idle themselves; this guards against one that forgot.
    if (!(this.state instanceof Idle)) this.transition(new Idle(this));
    return true;
  }
}

const tolerancesFor = (e: EditorPointerEvent) => (e.pointerType === 'touch' ? TOUCH_TOLERANCES : MOUSE_TOLERANCES);

const sameView = (a: View, b: View): boolean =>
  Math.abs(a.scale - b.scale) < 1e-9 && Math.abs(a.offsetX - b.offsetX) < 1e-6 && Math.abs(a.offsetY - b.offsetY) < 1e-6;
