import { useEffect, useRef, useState } from 'react';
import type { Path } from '../../core/path';
import { renderPathConcat } from '../../core/overlay';
import type { LiveSession } from '../../robot/liveSession';
import type { CameraFrame } from '../../robot/types';
import { hitWaypoint, moveWaypoint, strokeToPath, toggleGripperAt } from '../../app/live/pathSketch';

/** The path as the policy sees it (HAMSTER's drawing), on a transparent layer of the frame's size. */
function overlayCanvas(path: Path, width: number, height: number): HTMLCanvasElement {
  const img = renderPathConcat(width, height, path);
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) d[i + 3] = d[i] || d[i + 1] || d[i + 2] ? 255 : 0;
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(d), width, height), 0, 0);
  return c;
}

interface Props {
  session: LiveSession;
  /** The path shown: the running path, or the operator's draft before a run. */
  path: Path | null;
  onPathEdited: (path: Path) => void;
  editable: boolean;
}

/**
 * The latest camera frame with the path on top, plus fps and frame age. Frames are drawn straight
 * onto the canvas (no React render per frame); a frame arriving while the previous one is still
 * decoding replaces it (latest-frame semantics, like the subscription).
 */
export function CameraView({ session, path, onPathEdited, editable }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const infoRef = useRef<HTMLSpanElement>(null);
  const pathRef = useRef<Path | null>(path);
  const editableRef = useRef(editable);
  const overlayRef = useRef<HTMLCanvasElement | null>(null);
  const bitmapRef = useRef<ImageBitmap | null>(null);
  const dragRef = useRef<{ kind: 'stroke'; points: { x: number; y: number }[] } | { kind: 'move'; index: number; moved: boolean; path: Path } | null>(null);
  const [hasFrame, setHasFrame] = useState(false);

  const redraw = () => {
    const canvas = canvasRef.current, bmp = bitmapRef.current;
    if (!canvas || !bmp) return;
    if (canvas.width !== bmp.width || canvas.height !== bmp.height) {
      canvas.width = bmp.width;
      canvas.height = bmp.height;
      overlayRef.current = null;
    }
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const drag = dragRef.current;
    const shown = drag?.kind === 'move' ? drag.path : pathRef.current;
    if (shown && shown.points.length >= 2) {
      if (!overlayRef.current || drag?.kind === 'move') overlayRef.current = overlayCanvas(shown, canvas.width, canvas.height);
      ctx.drawImage(overlayRef.current, 0, 0);
      if (editableRef.current) {
        // Waypoint handles, so the operator sees what can be dragged or clicked.
        ctx.lineWidth = 1;
        for (const p of shown.points) {
          ctx.strokeStyle = p.gripper === 'closed' ? '#4f9cff' : '#ffffff';
          ctx.strokeRect(p.x * canvas.width - 3, p.y * canvas.height - 3, 6, 6);
        }
      }
    }
    if (drag?.kind === 'stroke' && drag.points.length > 1) {
      ctx.strokeStyle = '#3ecf8e';
      ctx.lineWidth = Math.max(1, canvas.width / 256);
      ctx.beginPath();
      drag.points.forEach((p, i) => (i ? ctx.lineTo(p.x * canvas.width, p.y * canvas.height) : ctx.moveTo(p.x * canvas.width, p.y * canvas.height)));
      ctx.stroke();
    }
  };

  // The overlay is rebuilt when the path changes, not on every render of the console.
  useEffect(() => {
    pathRef.current = path;
    editableRef.current = editable;
    overlayRef.current = null;
    redraw();
     
  }, [path, editable]);

  useEffect(() => {
    let decoding = false;
    let pending: CameraFrame | null = null;
    let disposed = false;
    const show = async (f: CameraFrame) => {
      decoding = true;
      try {
        const bmp = await createImageBitmap(new Blob([f.data as Uint8Array<ArrayBuffer>], { type: /png/i.test(f.format) ? 'image/png' : 'image/jpeg' }));
        if (disposed) return bmp.close();
        bitmapRef.current?.close();
        bitmapRef.current = bmp;
        setHasFrame(true);
        redraw();
      } catch {
        // A corrupt image is skipped; the next frame replaces it.
      } finally {
        decoding = false;
        const next = pending;
        pending = null;
        if (next && !disposed) void show(next);
      }
    };
    // fps from the robot's own stamps: arrival times bunch up whenever the page stalls.
    const stamps: number[] = [];
    const off = session.onFrame((f) => {
      stamps.push(f.stampMs || f.receivedAt);
      if (stamps.length > 30) stamps.shift();
      if (decoding) pending = f;
      else void show(f);
    });
    const timer = setInterval(() => {
      const f = session.latestFrame, el = infoRef.current;
      if (!el) return;
      if (!f) {
        el.textContent = 'no frames yet';
        return;
      }
      const age = performance.now() - f.receivedAt;
      const span = stamps.length > 1 ? stamps[stamps.length - 1] - stamps[0] : 0;
      const fps = span > 0 ? ((stamps.length - 1) * 1000) / span : 0;
      el.textContent = `${fps.toFixed(1)} fps · frame age ${age < 1000 ? `${Math.round(age)} ms` : `${(age / 1000).toFixed(1)} s`} · #${f.seq}`;
      el.dataset.stale = age > 1000 ? 'true' : 'false';
    }, 250);
    return () => {
      disposed = true;
      off();
      clearInterval(timer);
    };
     
  }, [session]);

  const toNorm = (e: React.PointerEvent) => {
    const r = canvasRef.current!.getBoundingClientRect();
    return { x: (e.clientX - r.left) / r.width, y: (e.clientY - r.top) / r.height, scale: 8 / r.width };
  };

  const onPointerDown = (e: React.PointerEvent) => {
    if (!editable || !hasFrame || e.button !== 0) return;
    const p = toNorm(e);
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
    const hit = hitWaypoint(pathRef.current, p.x, p.y, p.scale * 1.5);
    dragRef.current = hit >= 0 && pathRef.current ? { kind: 'move', index: hit, moved: false, path: pathRef.current } : { kind: 'stroke', points: [{ x: p.x, y: p.y }] };
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const drag = dragRef.current;
    if (!drag) return;
    const p = toNorm(e);
    if (drag.kind === 'stroke') drag.points.push({ x: p.x, y: p.y });
    else {
      drag.path = moveWaypoint(drag.path, drag.index, p.x, p.y);
      drag.moved = true;
    }
    redraw();
  };
  const onPointerUp = () => {
    const drag = dragRef.current;
    dragRef.current = null;
    if (!drag) return;
    if (drag.kind === 'stroke') {
      const sketched = strokeToPath(drag.points);
      if (sketched) onPathEdited(sketched);
    } else if (drag.moved) onPathEdited(drag.path);
    else if (pathRef.current) onPathEdited(toggleGripperAt(pathRef.current, drag.index));
    redraw();
  };

  return (
    <div className="live-camera">
      <canvas
        ref={canvasRef}
        data-testid="camera-canvas"
        aria-label="Camera image with the path; drag to sketch a path, drag a waypoint to move it, click a waypoint to toggle the gripper"
        className={editable ? 'editable' : undefined}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => { dragRef.current = null; redraw(); }}
      />
      {!hasFrame && <div className="live-camera-empty">Connect to a robot to see its camera.</div>}
      <span className="live-camera-info" ref={infoRef} data-testid="camera-info">no frames yet</span>
    </div>
  );
}
