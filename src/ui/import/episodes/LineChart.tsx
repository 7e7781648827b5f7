/**
 * A small canvas line chart for state/action columns under the frame scrubber. Our own (~60 lines)
 * rather than a charting library: we need only polylines, a cursor line and a legend, redrawn on
 * every scrub, and a library would add 50–200 kB to the Import bundle for that.
 */
import { useEffect, useRef } from 'react';

const COLORS = ['#4f9cff', '#3ecf8e', '#f5b84d', '#ff5c5c', '#b48cff', '#4fd6e0', '#ff8fd0', '#c0c46a', '#ff9d4f', '#9aa3b5'];

export interface Series {
  name: string;
  values: number[];
}

export function LineChart({ title, series, cursor, height = 110, marks = [] }: { title: string; series: Series[]; cursor: number; height?: number; marks?: number[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 600;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, height);
    const n = Math.max(0, ...series.map((s) => s.values.length));
    if (n < 2) return;
    let lo = Infinity, hi = -Infinity;
    for (const s of series) for (const v of s.values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!(hi > lo)) { hi = lo + 1; lo -= 1; }
    const x = (i: number) => 4 + (i / (n - 1)) * (w - 8);
    const y = (v: number) => height - 4 - ((v - lo) / (hi - lo)) * (height - 20);
    ctx.strokeStyle = '#3a3f4b';
    for (const m of marks) { ctx.beginPath(); ctx.moveTo(x(m), 14); ctx.lineTo(x(m), height); ctx.stroke(); }
    series.forEach((s, k) => {
      ctx.strokeStyle = COLORS[k % COLORS.length];
      ctx.lineWidth = 1.25;
      ctx.beginPath();
      s.values.forEach((v, i) => (i ? ctx.lineTo(x(i), y(v)) : ctx.moveTo(x(i), y(v))));
      ctx.stroke();
    });
    ctx.strokeStyle = '#fff';
    ctx.beginPath();
    ctx.moveTo(x(cursor), 14);
    ctx.lineTo(x(cursor), height);
    ctx.stroke();
    ctx.fillStyle = '#8d94a3';
    ctx.font = '11px system-ui';
    ctx.fillText(`${title}  [${lo.toPrecision(3)} … ${hi.toPrecision(3)}]`, 4, 11);
  }, [series, cursor, height, marks, title]);
  return (
    <figure className="ep-chart">
      <canvas ref={ref} style={{ width: '100%', height }} aria-label={`${title} chart`} />
      <figcaption>
        {series.map((s, k) => <span key={s.name} style={{ color: COLORS[k % COLORS.length] }}>{s.name}</span>)}
      </figcaption>
    </figure>
  );
}
