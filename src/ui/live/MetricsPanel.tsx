import { useEffect, useRef } from 'react';
import type { LiveSession } from '../../robot/liveSession';
import type { RunMetricsSnapshot } from '../../robot/metrics';

const fmt = (v: number, unit = 'ms') => (Number.isFinite(v) ? `${v.toFixed(1)} ${unit}` : '—');

function drawHistogram(canvas: HTMLCanvasElement, m: RunMetricsSnapshot): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  const bins = m.stepLatency.bins;
  const max = Math.max(1, ...bins);
  const bw = w / bins.length;
  bins.forEach((count, i) => {
    const bh = (count / max) * (h - 14);
    const ms = i * m.stepLatency.binMs;
    ctx.fillStyle = ms >= 50 ? '#ff5c5c' : ms >= 20 ? '#f5b84d' : '#4f9cff';
    ctx.fillRect(i * bw + 0.5, h - 12 - bh, bw - 1, bh);
  });
  ctx.fillStyle = '#8d94a3';
  ctx.font = '10px system-ui';
  for (const ms of [0, 20, 50, 98]) ctx.fillText(`${ms}`, (ms / m.stepLatency.binMs) * bw, h - 1);
}

function drawTimeline(canvas: HTMLCanvasElement, values: readonly number[]): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  const recent = values.slice(-200);
  if (recent.length < 2) return;
  const max = Math.max(50, ...recent);
  ctx.strokeStyle = '#3a4150';
  const y50 = h - (50 / max) * h;
  ctx.beginPath();
  ctx.moveTo(0, y50);
  ctx.lineTo(w, y50);
  ctx.stroke();
  ctx.strokeStyle = '#3ecf8e';
  ctx.beginPath();
  recent.forEach((v, i) => {
    const x = (i / (recent.length - 1)) * w, y = h - (v / max) * h;
    if (i) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
  });
  ctx.stroke();
}

/** Step latency histogram and timeline, inference times, drops and rates — refreshed at 2 Hz. */
export function MetricsPanel({ session }: { session: LiveSession }) {
  const histRef = useRef<HTMLCanvasElement>(null);
  const lineRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLDListElement>(null);

  useEffect(() => {
    const timer = setInterval(() => {
      if (session.loop.stepInFlight) return; // the charts wait; the step must not
      const m = session.metrics.snapshot(performance.now());
      if (histRef.current) drawHistogram(histRef.current, m);
      if (lineRef.current) drawTimeline(lineRef.current, session.metrics.stepLatency.values());
      const el = textRef.current;
      if (!el) return;
      const rows: [string, string, string][] = [
        ['step latency p50 / p99', `${fmt(m.stepLatency.p50)} / ${fmt(m.stepLatency.p99)}`, 'latency'],
        ['policy inference p50 / p99', `${fmt(m.inference.policyP50)} / ${fmt(m.inference.policyP99)}`, 'policy'],
        ['planner (last)', `${fmt(m.inference.plannerLast)} · ${m.inference.plannerCount} plans`, 'planner'],
        ['command rate', fmt(m.commandRateHz, 'Hz'), 'command-rate'],
        ['camera rate', fmt(m.frameRateHz, 'Hz'), 'frame-rate'],
        ['dropped steps / frames', `${m.droppedSteps} / ${m.droppedFrames}`, 'dropped'],
        ['steps from the last chunk (no new frame)', String(m.chunkSteps), 'chunk-steps'],
        ['steps', String(m.steps), 'steps'],
      ];
      el.innerHTML = '';
      for (const [k, v, id] of rows) {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        dd.dataset.metric = id;
        el.append(dt, dd);
      }
    }, 500);
    return () => clearInterval(timer);
  }, [session]);

  return (
    <section className="live-panel" aria-label="Metrics">
      <h3>Metrics</h3>
      <div className="live-metrics">
        <figure>
          <canvas ref={histRef} width={260} height={80} aria-label="Step latency histogram (frame received → command sent), ms" />
          <figcaption>step latency histogram (ms; frame received → command sent)</figcaption>
        </figure>
        <figure>
          <canvas ref={lineRef} width={260} height={80} aria-label="Step latency over the last 200 steps" />
          <figcaption>last 200 steps (line at 50 ms)</figcaption>
        </figure>
        <dl ref={textRef} className="live-metric-list" data-testid="metrics" />
      </div>
    </section>
  );
}
