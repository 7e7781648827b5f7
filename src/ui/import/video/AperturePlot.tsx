/**
 * The hand tracker's thumb–index aperture of the segment shown, under the timeline (uPlot), with
 * the two thresholds the gripper events come from (close below the lower, open above the upper).
 * Gaps are frames without a confident hand; a click goes to that frame.
 */
import { useEffect, useRef } from 'react';
import { drawPlayhead, PLOT_AXIS } from '../../common/uplotStyle';
import { useLatest } from '../../common/useLatest';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ApertureSeries } from '../../../app/video/segmentView';

const HEIGHT = 110;

interface Props {
  series: ApertureSeries;
  frame: number;
  onSeek: (frame: number) => void;
}

export function AperturePlot({ series, frame, onSeek }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const frameRef = useLatest(frame);
  const onSeekRef = useLatest(onSeek);

  useEffect(() => {
    const el = host.current!;
    const { frames, aperture, closeBelow, openAbove } = series;
    const level = (v: number) => frames.map(() => v);
    const u = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height: HEIGHT,
        scales: { x: { time: false }, y: { range: [0, Math.max(1.4, ...aperture.map((a) => a ?? 0))] } },
        axes: [PLOT_AXIS, PLOT_AXIS],
        series: [
          { label: 'frame' },
          { label: 'aperture', stroke: '#3ecf8e', width: 1.5, spanGaps: false },
          { label: 'closes below', stroke: '#5aa0ff', width: 1, dash: [4, 4] },
          { label: 'opens above', stroke: '#ff5c5c', width: 1, dash: [4, 4] },
        ],
        cursor: { y: false, drag: { x: false, y: false } },
        legend: { show: false },
        hooks: { draw: [(u) => drawPlayhead(u, frameRef.current)] },
      },
      [frames, aperture, level(closeBelow), level(openAbove)],
      el,
    );
    plot.current = u;
    const click = () => { if (u.cursor.idx != null) onSeekRef.current(frames[u.cursor.idx]); };
    u.over.addEventListener('click', click);
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current = null;
      u.destroy();
    };
  }, [series, frameRef, onSeekRef]);

  useEffect(() => { plot.current?.redraw(false, false); }, [frame]);

  return (
    <section className="aperture-plot" aria-label="Thumb–index aperture">
      <span className="muted">Thumb–index aperture (hand tracking): the gripper closes below the blue line and opens above the red one</span>
      <div ref={host} data-testid="aperture-plot" />
    </section>
  );
}
