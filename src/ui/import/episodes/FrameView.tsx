/**
 * One video frame with the projected end-effector track drawn over it (the whole episode faint, the
 * current point bright) and the user's calibration clicks. Clicking reports image pixel coordinates.
 */
import { useEffect, useRef } from 'react';

export interface FrameOverlay {
  /** Normalised track points (whole episode). */
  track: { x: number; y: number }[] | null;
  closed?: boolean[];
  cursor: number;
  clicks?: { u: number; v: number; frame: number }[];
}

export function FrameView({ bitmap, width, height, overlay, onClickPixel, label }: {
  bitmap: ImageBitmap | null;
  width: number;
  height: number;
  overlay: FrameOverlay;
  onClickPixel?: (u: number, v: number) => void;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  // Display at least 384 px wide so clicks land within a fraction of an image pixel.
  const scale = Math.max(1, Math.min(3, Math.floor(512 / Math.max(width, 1)) || 1));
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ctx = canvas.getContext('2d')!;
    canvas.width = width * scale;
    canvas.height = height * scale;
    ctx.imageSmoothingEnabled = false;
    ctx.fillStyle = '#0b0c10';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (bitmap) ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const { track, closed, cursor, clicks } = overlay;
    const px = (p: { x: number; y: number }) => [p.x * canvas.width, p.y * canvas.height] as const;
    if (track && track.length) {
      ctx.lineWidth = 2;
      for (let i = 1; i < track.length; i++) {
        ctx.strokeStyle = closed?.[i] ? 'rgba(79,156,255,.75)' : 'rgba(255,92,92,.75)';
        ctx.beginPath();
        ctx.moveTo(...px(track[i - 1]));
        ctx.lineTo(...px(track[i]));
        ctx.stroke();
      }
      const c = track[Math.min(cursor, track.length - 1)];
      const [cx, cy] = px(c);
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(cx, cy, 6, 0, Math.PI * 2);
      ctx.stroke();
    }
    for (const k of clicks ?? []) {
      const [x, y] = [(k.u + 0.5) * scale, (k.v + 0.5) * scale];
      ctx.strokeStyle = k.frame === cursor ? '#f5b84d' : 'rgba(245,184,77,.5)';
      ctx.beginPath();
      ctx.moveTo(x - 6, y); ctx.lineTo(x + 6, y); ctx.moveTo(x, y - 6); ctx.lineTo(x, y + 6);
      ctx.stroke();
    }
  }, [bitmap, width, height, overlay, scale]);
  return (
    <canvas
      ref={ref}
      className={`ep-frame${onClickPixel ? ' clickable' : ''}`}
      style={{ width: width * scale, height: height * scale }}
      aria-label={label}
      onClick={(e) => {
        if (!onClickPixel) return;
        const r = e.currentTarget.getBoundingClientRect();
        // Pixel centres at integer coordinates (OpenCV): the top-left pixel spans [-0.5, 0.5).
        onClickPixel(((e.clientX - r.left) / r.width) * width - 0.5, ((e.clientY - r.top) / r.height) * height - 0.5);
      }}
    />
  );
}
