/**
 * One group of an episode's signals (state, action or gripper) against time, drawn with uPlot.
 * The cursor rests on the frame shown, so the legend reads that frame's values; hovering shows
 * the values under the mouse and a click plays from there; the legend's names toggle series.
 * A solid playhead marks the frame shown even while the mouse is elsewhere.
 */
import { useEffect, useRef } from 'react';
import { drawPlayhead, PLOT_AXIS } from '../common/uplotStyle';
import { useLatest } from '../common/useLatest';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const PALETTE = ['#4f9cff', '#3ecf8e', '#f5b84d', '#ff5c5c', '#b57cff', '#2dd4bf', '#f472b6', '#a3e635', '#fb923c', '#94a3b8'];
const HEIGHT = 150;

export interface SeriesGroup {
  title: string;
  names: string[];
  /** One array per name, a value per frame. */
  columns: number[][];
}

interface Props {
  group: SeriesGroup;
  times: number[];
  frame: number;
  onSeek: (frame: number) => void;
  testId: string;
}

/** Puts uPlot's cursor on `frame` (its legend then shows that frame's values). */
function restCursor(u: uPlot, time: number): void {
  u.setCursor({ left: u.valToPos(time, 'x'), top: Math.max(0, u.cursor.top ?? 0) });
}

export function SeriesPlot({ group, times, frame, onSeek, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const hovering = useRef(false);
  const frameRef = useLatest(frame);
  const onSeekRef = useLatest(onSeek);

  useEffect(() => {
    const el = host.current!;
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        scales: { x: { time: false } },
        axes: [{ ...PLOT_AXIS, label: 's', labelSize: 14 }, PLOT_AXIS],
        series: [
          { label: 't (s)', value: (_u, v) => (v == null ? '–' : v.toFixed(2)) },
          ...group.names.map((name, i) => ({ label: name, stroke: PALETTE[i % PALETTE.length], width: 1.5, value: (_u: uPlot, v: number | null) => (v == null ? '–' : v.toFixed(3)) })),
        ],
        cursor: { y: false, drag: { x: false, y: false }, points: { size: 6 } },
        legend: { live: true },
        hooks: {
          ready: [(p) => restCursor(p, times[frameRef.current])],
          draw: [(u) => drawPlayhead(u, times[frameRef.current])],
          setCursor: [(p) => {
            el.dataset.cursorFrame = p.cursor.idx == null ? '' : String(p.cursor.idx);
          }],
        },
      },
      [times, ...group.columns],
      el,
    );
    plot.current = u;
    const enter = () => { hovering.current = true; };
    // uPlot hides the cursor when the mouse leaves; it goes back to the frame shown.
    const leave = () => {
      hovering.current = false;
      setTimeout(() => { if (plot.current === u) restCursor(u, times[frameRef.current]); }, 0);
    };
    const click = () => { if (u.cursor.idx != null) onSeekRef.current(u.cursor.idx); };
    u.over.addEventListener('mouseenter', enter);
    u.over.addEventListener('mouseleave', leave);
    u.over.addEventListener('click', click);
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current = null;
      u.destroy();
    };
  }, [group, times, frameRef, onSeekRef]);

  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    u.redraw(false, false);
    if (!hovering.current) restCursor(u, times[frame]);
  }, [frame, times]);

  return (
    <section className="player-plot" aria-label={`${group.title} plot`}>
      <h3>{group.title}</h3>
      <div ref={host} data-testid={testId} />
    </section>
  );
}
