import { useEffect, useRef, type MouseEvent } from 'react';
import type { TrackedPoint, VideoSegment } from '../../../tracking/annotation';

interface Props {
  frame: number;
  /** The decoded picture (the frame source's: never closed here). */
  image?: ImageBitmap;
  /** The segment whose track, keyframes and point are drawn over the picture. */
  segment?: VideoSegment;
  /** Its point on `frame`, if any. */
  point: TrackedPoint | null;
  /** A click on the picture, in video pixels. */
  onPlace: (x: number, y: number) => void;
}

/** The current frame at the video's own size, with the followed point's track drawn over it. */
export function FrameView({ frame, image, segment, point, onPlace }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const c = canvas.current;
    if (c && image) drawFrame(c, image, segment, point);
  }, [image, segment, point]);

  function onClick(e: MouseEvent<HTMLCanvasElement>) {
    const c = e.currentTarget;
    const rect = c.getBoundingClientRect();
    onPlace(((e.clientX - rect.left) / rect.width) * c.width, ((e.clientY - rect.top) / rect.height) * c.height);
  }

  return <canvas ref={canvas} data-testid="video-frame" aria-label={`Frame ${frame}: click the point to follow`} onClick={onClick} />;
}

function drawFrame(c: HTMLCanvasElement, image: ImageBitmap, segment: VideoSegment | undefined, point: TrackedPoint | null) {
  if (c.width !== image.width || c.height !== image.height) { c.width = image.width; c.height = image.height; }
  const ctx = c.getContext('2d')!;
  ctx.drawImage(image, 0, 0);
  if (!segment) return;
  const r = Math.max(3, Math.round(Math.min(c.width, c.height) / 120));
  ctx.lineWidth = Math.max(1, r / 2);
  // The track so far: green where reliable, red where the check failed.
  for (let i = 1; i < segment.track.length; i++) {
    const p = segment.track[i - 1], q = segment.track[i];
    if (!p || !q) continue;
    ctx.strokeStyle = q.reliable ? 'rgba(62, 207, 142, .9)' : 'rgba(255, 92, 92, .9)';
    ctx.beginPath(); ctx.moveTo(p.x, p.y); ctx.lineTo(q.x, q.y); ctx.stroke();
  }
  for (const k of segment.keyframes) {
    ctx.fillStyle = '#f5b84d';
    ctx.fillRect(k.x - r / 2, k.y - r / 2, r, r);
  }
  if (point) {
    ctx.strokeStyle = point.reliable ? '#3ecf8e' : '#ff5c5c';
    ctx.lineWidth = Math.max(2, r / 2);
    ctx.beginPath(); ctx.arc(point.x, point.y, r * 2, 0, Math.PI * 2); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(point.x - r * 3, point.y); ctx.lineTo(point.x + r * 3, point.y); ctx.moveTo(point.x, point.y - r * 3); ctx.lineTo(point.x, point.y + r * 3); ctx.stroke();
  }
}
