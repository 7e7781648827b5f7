import { useEffect, useRef } from 'react';
import type { Editor, EditorPointerEvent, EditorSnapshot } from '../../editor/editor';
import { renderImageLayer, renderPathLayer } from '../../editor/render';
import { bitmapForScale, type LoadedImage } from '../../app/annotate/imageCache';
import { OverlayPreview } from './overlayPreview';
import { drawTimings } from '../../app/annotate/drawTimings';

interface Props {
  editor: Editor;
  /** The image under the path; read at draw time so a new sample's path never meets the old image. */
  getImage: () => LoadedImage | null;
  /** Called with a callback to run when `getImage()` may have changed; returns an unsubscribe. */
  subscribeImage: (onChange: () => void) => () => void;
}

/**
 * Hosts the editor on two stacked canvases (image below, path on top) and feeds it pointer and
 * wheel events. Drawing happens in one requestAnimationFrame per burst of editor changes,
 * straight from the editor's snapshot: React never re-renders for a pointer move.
 */
export function EditorCanvas({ editor, getImage, subscribeImage }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const imageCanvas = useRef<HTMLCanvasElement>(null);
  const pathCanvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const host = container.current!;
    const under = imageCanvas.current!;
    const over = pathCanvas.current!;
    const underCtx = under.getContext('2d', { alpha: false })!;
    const overCtx = over.getContext('2d')!;
    const overlay = new OverlayPreview();
    let frame = 0;
    let pixelRatio = window.devicePixelRatio || 1;
    let drawnImageLayer: { snapshot: EditorSnapshot; image: LoadedImage | null; overlay: unknown; pixelRatio: number } | null = null;
    let inputTime = 0;

    const draw = () => {
      frame = 0;
      const t0 = performance.now();
      const snapshot = editor.getSnapshot();
      const img = getImage();
      const showOverlay = snapshot.overlayVisible && !snapshot.gestureActive && img !== null && snapshot.path.points.length > 0;
      const overlayCanvas = showOverlay ? overlay.get(snapshot.path, snapshot.imageSize) : null;
      const last = drawnImageLayer;
      const imageLayerStale =
        !last ||
        last.image !== img ||
        last.overlay !== (overlayCanvas && snapshot.path) ||
        last.pixelRatio !== pixelRatio ||
        last.snapshot.view !== snapshot.view ||
        last.snapshot.viewportSize !== snapshot.viewportSize ||
        last.snapshot.imageSize !== snapshot.imageSize;
      if (imageLayerStale) {
        const bitmap = img ? bitmapForScale(img, snapshot.view.scale * pixelRatio) : null;
        renderImageLayer(underCtx, snapshot, { image: bitmap, overlay: overlayCanvas, pixelRatio });
        drawnImageLayer = { snapshot, image: img, overlay: overlayCanvas && snapshot.path, pixelRatio };
        // Where the image sits on screen, for browser tests and the benchmark to aim at.
        over.dataset.view = JSON.stringify({ ...snapshot.view, imageWidth: snapshot.imageSize.width, imageHeight: snapshot.imageSize.height, image: img?.assetId ?? null });
      }
      renderPathLayer(overCtx, snapshot, pixelRatio);
      over.style.cursor = snapshot.cursor;
      const perf = drawTimings();
      if (perf?.syncRaster) {
        overCtx.getImageData(0, 0, 1, 1);
        if (imageLayerStale) underCtx.getImageData(0, 0, 1, 1);
      }
      perf?.frames.push(performance.now() - t0 + inputTime);
      if (imageLayerStale && last?.image !== img) perf?.images.push({ assetId: img?.assetId ?? null, at: performance.now(), frameMs: performance.now() - t0 });
      inputTime = 0;
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(draw);
    };

    const resize = () => {
      const rect = host.getBoundingClientRect();
      pixelRatio = window.devicePixelRatio || 1;
      for (const c of [under, over]) {
        c.width = Math.max(1, Math.round(rect.width * pixelRatio));
        c.height = Math.max(1, Math.round(rect.height * pixelRatio));
      }
      drawnImageLayer = null;
      editor.setViewportSize({ width: rect.width, height: rect.height });
      schedule();
    };
    const observer = new ResizeObserver(resize);
    observer.observe(host);
    resize();
    // Moving the window to a screen with another pixel ratio must re-size the backing store to stay crisp.
    let ratioQuery = matchMedia(`(resolution: ${pixelRatio}dppx)`);
    const onRatioChange = () => {
      resize();
      ratioQuery.removeEventListener('change', onRatioChange);
      ratioQuery = matchMedia(`(resolution: ${pixelRatio}dppx)`);
      ratioQuery.addEventListener('change', onRatioChange);
    };
    ratioQuery.addEventListener('change', onRatioChange);

    const toEditor = (e: PointerEvent): EditorPointerEvent => {
      const rect = over.getBoundingClientRect();
      return {
        x: e.clientX - rect.left,
        y: e.clientY - rect.top,
        pointerId: e.pointerId,
        pointerType: e.pointerType === 'touch' || e.pointerType === 'pen' ? e.pointerType : 'mouse',
        button: e.button,
        altKey: e.altKey,
        shiftKey: e.shiftKey,
      };
    };
    const onDown = (e: PointerEvent) => {
      // Keyboard shortcuts go to the page, not to a text field left focused.
      if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body) document.activeElement.blur();
      over.setPointerCapture(e.pointerId);
      e.preventDefault();
      editor.pointerDown(toEditor(e));
    };
    const onMove = (e: PointerEvent) => {
      const t0 = performance.now();
      editor.pointerMove(toEditor(e));
      inputTime += performance.now() - t0;
    };
    const onUp = (e: PointerEvent) => {
      if (over.hasPointerCapture(e.pointerId)) over.releasePointerCapture(e.pointerId);
      editor.pointerUp(toEditor(e));
    };
    const onCancel = (e: PointerEvent) => editor.pointerCancel(toEditor(e));
    const onLeave = () => editor.setHover(null);
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = over.getBoundingClientRect();
      editor.wheel({ x: e.clientX - rect.left, y: e.clientY - rect.top, deltaX: e.deltaX, deltaY: e.deltaY, deltaMode: e.deltaMode, ctrlKey: e.ctrlKey, shiftKey: e.shiftKey });
    };
    // Middle-button press would start the browser's autoscroll.
    const onMouseDown = (e: MouseEvent) => e.button === 1 && e.preventDefault();
    const onContextMenu = (e: MouseEvent) => e.preventDefault();

    over.addEventListener('pointerdown', onDown);
    over.addEventListener('pointermove', onMove);
    over.addEventListener('pointerup', onUp);
    over.addEventListener('pointercancel', onCancel);
    over.addEventListener('pointerleave', onLeave);
    over.addEventListener('wheel', onWheel, { passive: false });
    over.addEventListener('mousedown', onMouseDown);
    over.addEventListener('contextmenu', onContextMenu);
    const unsubscribe = editor.subscribe(schedule);
    const unsubscribeImage = subscribeImage(schedule);

    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      ratioQuery.removeEventListener('change', onRatioChange);
      unsubscribe();
      unsubscribeImage();
      over.removeEventListener('pointerdown', onDown);
      over.removeEventListener('pointermove', onMove);
      over.removeEventListener('pointerup', onUp);
      over.removeEventListener('pointercancel', onCancel);
      over.removeEventListener('pointerleave', onLeave);
      over.removeEventListener('wheel', onWheel);
      over.removeEventListener('mousedown', onMouseDown);
      over.removeEventListener('contextmenu', onContextMenu);
    };
  }, [editor, getImage, subscribeImage]);

  return (
    <div className="annotate-canvas" ref={container} data-testid="annotate-canvas-host">
      <canvas ref={imageCanvas} className="annotate-layer" aria-hidden="true" />
      <canvas ref={pathCanvas} className="annotate-layer" data-testid="annotate-canvas" aria-label="Image and path: click to add points, drag to draw" role="img" />
    </div>
  );
}
