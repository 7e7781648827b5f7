import { useEffect, useRef } from 'react';
import type { LiveSession } from '../../robot/liveSession';
import type { LinkStatus } from '../../robot/types';
import { startLinkWatcher } from '../../app/live/linkWatcher';

type Tone = 'ok' | 'warn' | 'bad' | 'idle';

export function linkStatusText(l: LinkStatus | null, now: number): { text: string; tone: Tone } {
  if (!l || l.state === 'idle') return { text: 'Not connected', tone: 'idle' };
  if (l.state === 'connected') return { text: 'Connected', tone: 'ok' };
  if (l.state === 'connecting') return { text: 'Connecting…', tone: 'warn' };
  if (l.state === 'reconnecting') {
    const why = l.error ? ` — ${l.error}` : '';
    // Between the wait and the answer of the next attempt there is no time left to count down.
    if (!l.nextRetryAt || l.nextRetryAt <= now) return { text: `Connection lost${why}. Reconnecting now (attempt ${l.attempt})…`, tone: 'bad' };
    return { text: `Connection lost${why}. Retrying in ${((l.nextRetryAt - now) / 1000).toFixed(1)} s (attempt ${l.attempt})`, tone: 'bad' };
  }
  return { text: l.error ? `Disconnected (${l.error})` : 'Disconnected', tone: 'idle' };
}

function paint(el: HTMLElement, status: LinkStatus | null): void {
  const { text, tone } = linkStatusText(status, performance.now());
  const state = status?.state ?? 'idle';
  if (el.dataset.state !== state) el.dataset.state = state;
  const className = `live-status live-status-${tone}`;
  if (el.className !== className) el.className = className;
  if (el.textContent !== text) el.textContent = text;
}

/**
 * The link status pill. A lost robot must be on screen at once, whatever else the page is doing:
 * - the session calls `paint` synchronously from the socket's close event and it writes the DOM
 *   itself (no console re-render first); the next frame shows it;
 * - and where workers can draw (`OffscreenCanvas`), src/workers/linkWatch.worker.ts holds its own idle socket
 *   to the robot and paints "Connection lost" over the pill from its own thread, so even a main
 *   thread busy with 3D or a long task cannot hold the news back. The overlay is cleared once the
 *   pill itself says so.
 * A timer keeps the reconnect countdown current.
 */
export function LinkStatusPill({ session }: { session: LiveSession }) {
  const ref = useRef<HTMLSpanElement>(null);
  const wrapRef = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    // A fresh canvas per effect run: a canvas can be handed to a worker only once.
    const overlay = document.createElement('canvas');
    overlay.className = 'live-status-overlay';
    overlay.setAttribute('aria-hidden', 'true');
    overlay.dataset.testid = 'link-status-overlay';
    wrapRef.current?.append(overlay);
    const watcher = startLinkWatcher(overlay);
    let watching = false;
    const update = (status: LinkStatus | null = session.link?.status ?? null) => {
      const el = ref.current;
      if (!el) return;
      paint(el, status);
      const connected = status?.state === 'connected';
      if (connected && !watching && watcher) {
        const r = el.getBoundingClientRect();
        watcher.watch(status.url, r.width, r.height, window.devicePixelRatio || 1);
      } else if (!connected && watching && watcher) {
        // The pill says it now: take the overlay down once this frame is on screen.
        requestAnimationFrame(() => watcher.unwatch());
      }
      watching = connected;
    };
    update();
    const off = session.onLinkStatusChange((s) => update(s));
    const timer = setInterval(() => update(), 250);
    return () => {
      off();
      clearInterval(timer);
      watcher?.terminate();
      overlay.remove();
    };
  }, [session]);
  return (
    <span className="live-status-wrap" ref={wrapRef}>
      <span ref={ref} role="status" data-testid="link-status" data-state="idle" className="live-status live-status-idle">Not connected</span>
    </span>
  );
}
