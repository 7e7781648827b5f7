import { clamp, type Size, type Vec } from '../core/geometry';

/**
 * The view transform: `screen = image * scale + offset`, in CSS pixels of the canvas.
 * Three coordinate spaces meet here: screen (canvas CSS px), image (source pixels) and
 * normalized (the path's [0, 1] space, docs/PATH_FORMAT.md).
 */
export interface View {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export const MIN_SCALE = 1 / 64;
export const MAX_SCALE = 64;
/** Each +/- key press or wheel notch zooms by this factor. */
export const ZOOM_STEP = 1.25;
/** Margin kept around the image by `fitView`, in screen px. */
const FIT_MARGIN = 16;

export const screenToImage = (view: View, p: Vec): Vec => ({
  x: (p.x - view.offsetX) / view.scale,
  y: (p.y - view.offsetY) / view.scale,
});

export const imageToScreen = (view: View, p: Vec): Vec => ({
  x: p.x * view.scale + view.offsetX,
  y: p.y * view.scale + view.offsetY,
});

export const imageToNormalized = (image: Size, p: Vec): Vec => ({ x: p.x / image.width, y: p.y / image.height });
export const normalizedToImage = (image: Size, p: Vec): Vec => ({ x: p.x * image.width, y: p.y * image.height });

export const screenToNormalized = (view: View, image: Size, p: Vec): Vec => imageToNormalized(image, screenToImage(view, p));
export const normalizedToScreen = (view: View, image: Size, p: Vec): Vec => imageToScreen(view, normalizedToImage(image, p));

/** Zoom by `factor` keeping the image point under `anchor` (screen px) where it is. */
export function zoomAt(view: View, factor: number, anchor: Vec): View {
  const scale = clamp(view.scale * factor, MIN_SCALE, MAX_SCALE);
  const k = scale / view.scale;
  return {
    scale,
    offsetX: anchor.x - (anchor.x - view.offsetX) * k,
    offsetY: anchor.y - (anchor.y - view.offsetY) * k,
  };
}

export const panBy = (view: View, dx: number, dy: number): View => ({ ...view, offsetX: view.offsetX + dx, offsetY: view.offsetY + dy });

/** The whole image centred in the viewport with a small margin. */
export function fitView(image: Size, viewport: Size): View {
  if (image.width <= 0 || image.height <= 0 || viewport.width <= 0 || viewport.height <= 0) return { scale: 1, offsetX: 0, offsetY: 0 };
  const availableWidth = Math.max(1, viewport.width - 2 * FIT_MARGIN);
  const availableHeight = Math.max(1, viewport.height - 2 * FIT_MARGIN);
  const scale = clamp(Math.min(availableWidth / image.width, availableHeight / image.height), MIN_SCALE, MAX_SCALE);
  return centred(image, viewport, scale);
}

/** One image pixel per CSS pixel, centred on the viewport centre's image point. */
export function actualSizeView(view: View, viewport: Size): View {
  return zoomAt(view, 1 / view.scale, { x: viewport.width / 2, y: viewport.height / 2 });
}

function centred(image: Size, viewport: Size, scale: number): View {
  return {
    scale,
    offsetX: (viewport.width - image.width * scale) / 2,
    offsetY: (viewport.height - image.height * scale) / 2,
  };
}
