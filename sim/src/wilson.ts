/**
 * Wilson score interval for a success rate: unlike p ± 1.96·√(p(1−p)/n) it stays inside [0, 1] and
 * is not zero-width at 0/n or n/n, which matter with 48 episodes a cell.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): { rate: number; low: number; high: number } {
  if (n <= 0) return { rate: NaN, low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
