import { drawPathOverlay } from '../../core/overlay';
import type { Path } from '../../core/path';
import type { Size } from '../../core/geometry';

/**
 * The HAMSTER overlay (docs/PATH_FORMAT.md, Overlay) of a path at the image's own resolution, on transparent
 * pixels, so the canvas can lay it over the photo exactly as the low-level policy will see it.
 * Cached by path identity: it is rebuilt only after an edit, never during a drag.
 */
export class OverlayPreview {
  private canvas: HTMLCanvasElement | null = null;
  private path: Path | null = null;
  private size: Size | null = null;

  get(path: Path, size: Size): HTMLCanvasElement {
    if (this.canvas && this.path === path && this.size?.width === size.width && this.size.height === size.height) return this.canvas;
    const data = new Uint8ClampedArray(size.width * size.height * 4);
    drawPathOverlay({ width: size.width, height: size.height, data }, path);
    const canvas = this.canvas ?? document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    canvas.getContext('2d')!.putImageData(new ImageData(data, size.width, size.height), 0, 0);
    this.canvas = canvas;
    this.path = path;
    this.size = size;
    return canvas;
  }
}
