/** What the studio's uPlot charts share: the axis style and the frame marker drawn over the plot. */
import type uPlot from 'uplot';

export const PLOT_AXIS = { stroke: '#8d94a3', grid: { stroke: '#2c313c', width: 1 }, ticks: { stroke: '#2c313c', width: 1 } };

/** A vertical line at `x` (the x scale's value) across the plotting area: the frame shown. */
export function drawPlayhead(u: uPlot, x: number): void {
  const at = Math.round(u.valToPos(x, 'x', true));
  const { ctx, bbox } = u;
  ctx.save();
  ctx.strokeStyle = '#e6e8ee';
  ctx.lineWidth = Math.max(1, devicePixelRatio);
  ctx.beginPath();
  ctx.moveTo(at, bbox.top);
  ctx.lineTo(at, bbox.top + bbox.height);
  ctx.stroke();
  ctx.restore();
}
