/**
 * The statistics panel's histograms as uPlot bar charts (loaded with the panel, not with the
 * Library). Hovering a bar shows its range and count in the legend; each chart also carries its
 * counts as text for screen readers.
 */
import { useEffect, useRef } from 'react';
import { PLOT_AXIS } from '../common/uplotStyle';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { DatasetStats, Histogram, HistogramBin } from '../../app/library/datasetStats';

const HEIGHT = 150;

const decimal = (v: number) => String(+v.toFixed(4));

function binLabel(bin: HistogramBin, integer: boolean): string {
  if (!integer) return `${decimal(bin.from)}–${decimal(bin.to)}`;
  return bin.to - bin.from === 1 ? String(bin.from) : `${bin.from}–${bin.to - 1}`;
}

function BarChart({ title, histogram, testId }: { title: string; histogram: Histogram; testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  const labels = histogram.bins.map((b) => binLabel(b, histogram.integer));
  const counts = histogram.bins.map((b) => b.count);

  useEffect(() => {
    const el = host.current!;
    const xs = counts.map((_, i) => i);
    const u = new uPlot(
      {
        width: Math.max(220, el.clientWidth),
        height: HEIGHT,
        scales: { x: { time: false, range: [-0.5, xs.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
        axes: [
          // A tick per bar, named by its bin's lower edge — every few bars where there are many, so labels never overlap.
          { ...PLOT_AXIS, grid: { show: false }, splits: () => xs.filter((i) => i % Math.ceil(xs.length / 6) === 0), values: (_u, splits) => splits.map((i) => (histogram.integer ? labels[i] : decimal(histogram.bins[i]?.from ?? 0))) },
          // Counts: whole-number ticks only.
          { ...PLOT_AXIS, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6] },
        ],
        series: [
          { label: 'range', value: (_u, i) => (i == null ? '–' : labels[i] ?? '–') },
          { label: 'samples', fill: 'rgba(79, 156, 255, .55)', stroke: '#4f9cff', width: 1, paths: uPlot.paths.bars!({ size: [0.85, 48] }), points: { show: false } },
        ],
        cursor: { y: false, drag: { x: false, y: false }, points: { show: false } },
        legend: { live: true },
      },
      [xs, counts],
      el,
    );
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(220, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
    };
    // The chart is rebuilt when the histogram changes; labels and counts are derived from it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [histogram]);

  return (
    <figure className="stats-chart">
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" data-testid={testId} aria-label={`${title}: ${labels.map((l, i) => `${l}: ${counts[i]}`).join(', ')}`} />
    </figure>
  );
}

export default function StatsCharts({ stats }: { stats: DatasetStats }) {
  return (
    <div className="stats-charts">
      <BarChart title="Path length (normalized image units)" histogram={stats.pathLength} testId="chart-path-length" />
      <BarChart title="Points per path" histogram={stats.pointCount} testId="chart-point-count" />
      <BarChart title="Gripper events per path" histogram={stats.gripperEvents} testId="chart-gripper-events" />
    </div>
  );
}
