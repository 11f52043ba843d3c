import type { AirdropActivity } from '../../warehouse/getAirdropActivity.js';

/** An address's engagement and what it is made of. */
export interface Engagement {
  /** The mean of the four components' percentile ranks among the addresses scored, in [0, 1]. */
  score: number;
  /** Distinct contracts and tokens its qualifying actions touched (protocol diversity). */
  diversity: number;
  /** Days from its first transaction to the snapshot (longevity). */
  longevityDays: number;
  /** Irregularity of the gaps between its transactions (coefficient of variation, at most 1; scripts are regular). */
  organicTiming: number;
  /** ETH it sent (value at risk). */
  valueEth: number;
}

const day = 86_400;

/** The percentile rank of each value among all (ties share their mean rank), in [0, 1]; 1 for a single value. */
function percentileRanks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  const top = Math.max(1, values.length - 1);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end += 1;
    for (let k = start; k <= end; k += 1)
      ranks[order[k]!] = values.length === 1 ? 1 : (start + end) / 2 / top;
    start = end + 1;
  }
  return ranks;
}

/** Coefficient of variation of the gaps between sorted times (0 with fewer than two gaps), at most 1. */
function gapIrregularity(times: readonly number[]): number {
  if (times.length < 3) return 0;
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  if (mean === 0) return 0;
  const variance = gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length;
  return Math.min(1, Math.sqrt(variance) / mean);
}

/**
 * Scores how genuinely engaged each address is: protocol diversity, longevity, organic (irregular) timing and value
 * at risk, each turned into a percentile rank among `activity`, averaged with equal weights.
 */
export function computeEngagement(activity: readonly AirdropActivity[], asOfTime: number): Engagement[] {
  const parts = activity.map((row) => ({
    diversity: row.distinctContracts,
    longevityDays: row.times.length ? Math.max(0, (asOfTime - row.times[0]!) / day) : 0,
    organicTiming: gapIrregularity(row.times),
    valueEth: row.values.reduce((sum, v) => sum + v, 0),
  }));
  const keys = ['diversity', 'longevityDays', 'organicTiming', 'valueEth'] as const;
  const ranks = keys.map((key) => percentileRanks(parts.map((p) => p[key])));
  return parts.map((p, i) => ({ score: ranks.reduce((sum, r) => sum + r[i]!, 0) / keys.length, ...p }));
}
