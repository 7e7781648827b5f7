/**
 * The one percentile rule for every figure the studio shows or a benchmark prints: nearest rank
 * (p in 0…100: the smallest value with at least p % of the values at or below it). NaN for no data.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
