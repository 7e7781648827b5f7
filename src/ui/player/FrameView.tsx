/**
 * The camera frame shown, with the end effector's path from this frame on drawn by the HAMSTER
 * overlay renderer (the pixels a policy would see) and a ring where the end effector is now.
 */
import { useEffect, useRef } from 'react';
import { drawPathOverlay } from '../../core/overlay';
import type { PlayerSnapshot } from '../../app/player/playerController';
import { COLORS } from '../../editor/render';

function drawEndEffector(ctx: CanvasRenderingContext2D, x: number, y: number, width: number, height: number): void {
  const r = Math.max(6, Math.round(Math.min(width, height) / 40));
  ctx.lineWidth = Math.max(2, r / 3);
  ctx.strokeStyle = COLORS.lineHalo;
  ctx.beginPath();
  ctx.arc(x * width, y * height, r + 1, 0, Math.PI * 2);
  ctx.stroke();
  ctx.strokeStyle = COLORS.selected;
  ctx.beginPath();
  ctx.arc(x * width, y * height, r, 0, Math.PI * 2);
  ctx.stroke();
}

export function FrameView({ snapshot }: { snapshot: PlayerSnapshot }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { image, path, endEffector, frame, imageError, episode } = snapshot;
  // With a video every frame has an image: a different step is only the decoder catching up.
  const neighbour = image && image.step !== frame && !episode?.video;

  useEffect(() => {
    const c = canvas.current;
    if (!c || !image) return;
    const { width, height } = image.bitmap;
    if (c.width !== width || c.height !== height) Object.assign(c, { width, height });
    const ctx = c.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(image.bitmap, 0, 0);
    if (path) {
      const pixels = ctx.getImageData(0, 0, width, height);
      drawPathOverlay({ width, height, data: pixels.data }, path);
      ctx.putImageData(pixels, 0, 0);
    }
    if (endEffector) drawEndEffector(ctx, endEffector.x, endEffector.y, width, height);
  }, [image, path, endEffector]);

  return (
    <figure className="player-frame">
      {image ? (
        <canvas ref={canvas} data-testid="player-canvas" data-image-step={image.step} role="img" aria-label={`Camera frame ${image.step}${path ? ' with the end effector\u2019s path from here on' : ''}`} />
      ) : (
        <div className="player-frame-empty muted">{imageError ? '' : 'Decoding the frame…'}</div>
      )}
      {imageError && <p className="field-error" role="alert" data-testid="player-image-error">{imageError}</p>}
      {neighbour && (
        <figcaption className="muted" data-testid="player-nearest-frame">
          Showing frame {image.step}: frame {frame} has no stored image of its own.
        </figcaption>
      )}
    </figure>
  );
}
