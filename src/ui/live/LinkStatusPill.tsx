import { useEffect, useRef } from 'react';
import type { LiveSession } from '../../robot/liveSession';
import type { LinkStatus } from '../../robot/types';

type Tone = 'ok' | 'warn' | 'bad' | 'idle';

export function linkStatusText(l: LinkStatus | null, now: number): { text: string; tone: Tone } {
  if (!l || l.state === 'idle') return { text: 'Not connected', tone: 'idle' };
  if (l.state === 'connected') return { text: 'Connected', tone: 'ok' };
  if (l.state === 'connecting') return { text: 'Connecting…', tone: 'warn' };
  if (l.state === 'reconnecting') {
    const wait = l.nextRetryAt ? Math.max(0, (l.nextRetryAt - now) / 1000) : 0;
    return { text: `Connection lost — ${l.error ?? ''}. Retrying in ${wait.toFixed(1)} s (attempt ${l.attempt})`, tone: 'bad' };
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
 * The link status pill. A lost robot must be on screen at once, whatever else the page is doing,
 * so this bypasses React: the session calls it synchronously from the socket's close event and it
 * writes the DOM itself; the next frame paints it (no console re-render first). A timer keeps the
 * reconnect countdown current.
 */
export function LinkStatusPill({ session }: { session: LiveSession }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const update = (status: LinkStatus | null = session.link?.status ?? null) => {
      if (ref.current) paint(ref.current, status);
    };
    update();
    const off = session.onLinkStatusChange((s) => update(s));
    const timer = setInterval(() => update(), 250);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [session]);
  return <span ref={ref} role="status" data-testid="link-status" data-state="idle" className="live-status live-status-idle">Not connected</span>;
}
