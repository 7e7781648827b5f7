/**
 * Shows a lost robot without the page's main thread. The worker keeps its own idle WebSocket to
 * the robot's rosbridge (it subscribes to nothing, so nothing flows on it) and owns a small
 * transparent canvas laid over the link status pill (an `OffscreenCanvas`: its frames reach the
 * screen through the compositor, not through the main thread). When the robot goes away the
 * worker's socket closes in the worker's own event loop — not queued behind a frame of 3D or a
 * React render — and it paints "Connection lost" at once; the page clears it when its own status
 * pill has caught up.
 */
import { serve, type CallContext } from '../core/workerRpc';
import type { LinkLost, LinkWatchProtocol } from '../robot/linkWatchProtocol';

let canvas: OffscreenCanvas | null = null;
let size = { width: 0, height: 0, dpr: 1 };

function clear(): void {
  const ctx = canvas?.getContext('2d');
  if (canvas && ctx) ctx.clearRect(0, 0, canvas.width, canvas.height);
}

function paintLost(): void {
  const ctx = canvas?.getContext('2d');
  if (!canvas || !ctx) return;
  const { width, height, dpr } = size;
  canvas.width = Math.max(1, Math.round(width * dpr));
  canvas.height = Math.max(1, Math.round(height * dpr));
  ctx.scale(dpr, dpr);
  const r = height / 2;
  ctx.fillStyle = '#3a1518';
  ctx.strokeStyle = '#ff5c5c';
  ctx.beginPath();
  ctx.roundRect(0.5, 0.5, width - 1, height - 1, r);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = '#ff5c5c';
  const text = 'Connection lost';
  let font = 13;
  ctx.font = `600 ${font}px system-ui, sans-serif`;
  while (font > 8 && ctx.measureText(text).width > width - 12) ctx.font = `600 ${--font}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, width / 2, height / 2 + 0.5);
}

/** The watch in progress: its socket, and how its call ends. */
let current: { socket: WebSocket; end: () => void } | null = null;

function unwatch(): void {
  if (!current) return;
  const { socket, end } = current;
  current = null;
  socket.onopen = socket.onclose = socket.onerror = socket.onmessage = null;
  socket.close();
  end();
}

function watch(ctx: CallContext<LinkLost>, url: string, width: number, height: number, dpr: number): Promise<void> {
  unwatch();
  clear();
  size = { width, height, dpr };
  return new Promise<void>((resolve) => {
    const ws = new WebSocket(url);
    current = { socket: ws, end: resolve };
    let opened = false;
    ws.onopen = () => { opened = true; };
    // Only a socket that was open can report a loss: failing to connect says nothing new.
    ws.onclose = () => {
      if (current?.socket !== ws || !opened) return;
      current = null;
      paintLost();
      ctx.progress({ at: performance.timeOrigin + performance.now() });
      resolve();
    };
    ctx.signal.addEventListener('abort', () => { if (current?.socket === ws) unwatch(); });
  });
}

serve<LinkWatchProtocol>({
  init: (_ctx, offscreen) => { canvas = offscreen; },
  watch,
  unwatch: () => { unwatch(); clear(); },
});
