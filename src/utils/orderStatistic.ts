/** The q-quantile of ascending `sorted` as the order statistic at floor(q · (n − 1)) (no interpolation); 0 when empty. */
export function orderStatistic(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  return n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(q * (n - 1)))]!;
}
