import type { Path } from '../core/path';
import type { Vec } from '../core/geometry';
import type { EditorSnapshot } from './editor';
import { gripperBefore, isGripperEvent } from './pathEdits';
import { normalizedToScreen } from './view';

/**
 * Canvas drawing as a function of an editor snapshot (no React state, no editor calls).
 * Two layers so that a point drag never repaints a 12-megapixel image: the image layer changes
 * only with the view, the image or the overlay; the path layer is cheap and redrawn per change.
 * Everything on the path layer is drawn in screen space, so lines and handles stay crisp and the
 * same size at every zoom; the canvas is sized in device pixels (`pixelRatio`).
 */
export interface ImageLayerResources {
  image: CanvasImageSource | null;
  /** HAMSTER overlay preview at image resolution (transparent where nothing is drawn). */
  overlay?: CanvasImageSource | null;
  pixelRatio: number;
}

export const COLORS = {
  background: '#1b1d22',
  line: '#00e5ff',
  lineHalo: 'rgba(0, 0, 0, 0.65)',
  handle: '#ffffff',
  handleStroke: '#111111',
  selected: '#ffd400',
  start: '#22c55e',
  end: '#f97316',
  /** HAMSTER's convention: red where the gripper is open, blue where it closes. */
  gripperOpen: '#ff2d2d',
  gripperClosed: '#2d6bff',
  draft: '#ffffff',
} as const;

const HANDLE_RADIUS = 4.5;
const SELECTED_RADIUS = 7;
const GRIPPER_RING_RADIUS = 11;
const END_MARK_RADIUS = 9;

function resetTransform(ctx: CanvasRenderingContext2D, snapshot: EditorSnapshot, pixelRatio: number): void {
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.clearRect(0, 0, snapshot.viewportSize.width, snapshot.viewportSize.height);
}

export function renderImageLayer(ctx: CanvasRenderingContext2D, snapshot: EditorSnapshot, resources: ImageLayerResources): void {
  const { view, imageSize, viewportSize } = snapshot;
  resetTransform(ctx, snapshot, resources.pixelRatio);
  ctx.fillStyle = COLORS.background;
  ctx.fillRect(0, 0, viewportSize.width, viewportSize.height);
  const { pixelRatio } = resources;
  ctx.setTransform(pixelRatio * view.scale, 0, 0, pixelRatio * view.scale, pixelRatio * view.offsetX, pixelRatio * view.offsetY);
  // Zoomed in, show the real pixels (nearest neighbour) rather than a blur. Zoomed out the host
  // passes a pre-shrunk bitmap (at most 2:1 to the screen), for which bilinear is enough.
  ctx.imageSmoothingEnabled = view.scale * pixelRatio < 2;
  ctx.imageSmoothingQuality = 'low';
  if (resources.image) ctx.drawImage(resources.image, 0, 0, imageSize.width, imageSize.height);
  if (snapshot.overlayVisible && resources.overlay) {
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(resources.overlay, 0, 0, imageSize.width, imageSize.height);
  }
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
}

export function renderPathLayer(ctx: CanvasRenderingContext2D, snapshot: EditorSnapshot, pixelRatio: number): void {
  resetTransform(ctx, snapshot, pixelRatio);
  drawPath(ctx, snapshot);
}

/** Both layers on one canvas (tests, thumbnails, a single-canvas host). */
export function renderEditorScene(ctx: CanvasRenderingContext2D, snapshot: EditorSnapshot, resources: ImageLayerResources): void {
  renderImageLayer(ctx, snapshot, resources);
  drawPath(ctx, snapshot);
}

function drawPath(ctx: CanvasRenderingContext2D, snapshot: EditorSnapshot): void {
  const { path, view, imageSize } = snapshot;
  const screen = path.points.map((p) => normalizedToScreen(view, imageSize, p));
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  // With the HAMSTER overlay showing, its own jet-coloured line is the one to look at.
  const overlayShowing = snapshot.overlayVisible && !snapshot.gestureActive;
  if (screen.length > 1 && !overlayShowing) {
    strokePolyline(ctx, screen, COLORS.lineHalo, 5);
    strokePolyline(ctx, screen, COLORS.line, 2.5);
    drawDirectionArrows(ctx, screen);
  }
  drawGripperRings(ctx, path, screen);
  drawEndMarks(ctx, screen);
  screen.forEach((p, i) => drawHandle(ctx, p, i === snapshot.selection, i === snapshot.hover));
  if (snapshot.draft && snapshot.draft.length > 1) {
    const draft = snapshot.draft.map((p) => normalizedToScreen(view, imageSize, p));
    ctx.setLineDash([6, 4]);
    strokePolyline(ctx, draft, COLORS.lineHalo, 4);
    strokePolyline(ctx, draft, COLORS.draft, 2);
    ctx.setLineDash([]);
  }
}

function strokePolyline(ctx: CanvasRenderingContext2D, points: readonly Vec[], color: string, width: number): void {
  ctx.beginPath();
  ctx.moveTo(points[0].x, points[0].y);
  for (let i = 1; i < points.length; i++) ctx.lineTo(points[i].x, points[i].y);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.stroke();
}

/** A small chevron at each long segment's middle shows which way the path runs. */
function drawDirectionArrows(ctx: CanvasRenderingContext2D, points: readonly Vec[]): void {
  ctx.fillStyle = COLORS.line;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length < 40) continue;
    const ux = (b.x - a.x) / length;
    const uy = (b.y - a.y) / length;
    const mx = (a.x + b.x) / 2;
    const my = (a.y + b.y) / 2;
    ctx.beginPath();
    ctx.moveTo(mx + ux * 6, my + uy * 6);
    ctx.lineTo(mx - ux * 4 - uy * 5, my - uy * 4 + ux * 5);
    ctx.lineTo(mx - ux * 4 + uy * 5, my - uy * 4 - ux * 5);
    ctx.closePath();
    ctx.fill();
  }
}

/** Rings at every gripper change (and at the start if the path begins closed). */
function drawGripperRings(ctx: CanvasRenderingContext2D, path: Path, screen: readonly Vec[]): void {
  ctx.lineWidth = 3;
  screen.forEach((p, i) => {
    const event = isGripperEvent(path, i);
    const startsClosed = i === 0 && gripperBefore(path, 0) === 'closed';
    if (!event && !startsClosed) return;
    const closedHere = event ? path.points[i].gripper === 'closed' : true;
    ctx.beginPath();
    ctx.arc(p.x, p.y, GRIPPER_RING_RADIUS, 0, Math.PI * 2);
    ctx.strokeStyle = closedHere ? COLORS.gripperClosed : COLORS.gripperOpen;
    ctx.stroke();
  });
}

function drawEndMarks(ctx: CanvasRenderingContext2D, screen: readonly Vec[]): void {
  if (screen.length === 0) return;
  drawLabelledMark(ctx, screen[0], COLORS.start, 'S');
  if (screen.length > 1) drawLabelledMark(ctx, screen[screen.length - 1], COLORS.end, 'E');
}

function drawLabelledMark(ctx: CanvasRenderingContext2D, p: Vec, color: string, label: string): void {
  ctx.beginPath();
  ctx.arc(p.x, p.y, END_MARK_RADIUS, 0, Math.PI * 2);
  ctx.fillStyle = color;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = COLORS.handleStroke;
  ctx.stroke();
  ctx.font = 'bold 11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = '#000';
  ctx.fillText(label, p.x + END_MARK_RADIUS + 8, p.y - END_MARK_RADIUS - 2);
  ctx.fillStyle = '#fff';
  ctx.fillText(label, p.x + END_MARK_RADIUS + 7, p.y - END_MARK_RADIUS - 3);
}

function drawHandle(ctx: CanvasRenderingContext2D, p: Vec, selected: boolean, hovered: boolean): void {
  ctx.beginPath();
  ctx.arc(p.x, p.y, selected ? SELECTED_RADIUS : hovered ? HANDLE_RADIUS + 1.5 : HANDLE_RADIUS, 0, Math.PI * 2);
  ctx.fillStyle = selected ? COLORS.selected : COLORS.handle;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = COLORS.handleStroke;
  ctx.stroke();
}
