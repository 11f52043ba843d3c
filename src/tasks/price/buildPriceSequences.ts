import { NonRetryableError } from '../../internal/errors.js';
import type { PriceNormalization } from './fitPriceNormalization.js';
import type { PriceRows } from './PricePredictor.js';

/** Standardised inputs are clipped to ±clip: one outlier window (a whale's trade, a jump) must not dominate. */
const clip = 5;

/** The row a sequence is built for: its token's address and its window start. */
export interface PriceSequenceQuery {
  token: string;
  windowStart: number;
}

/**
 * The input sequences of a price sequence model, queries × lookback × features, row-major, oldest window first: for
 * each query, the `lookback` latest rows of `history` of the same token at or before the query's window (never a
 * later one), standardised with `normalization` (NaN → 0), and zeros before the token's first row.
 */
export function buildPriceSequences(
  history: PriceRows,
  queries: readonly PriceSequenceQuery[],
  lookback: number,
  normalization: Pick<PriceNormalization, 'means' | 'scales'>,
): Float32Array {
  const width = history.featureNames.length;
  if (normalization.means.length !== width || normalization.scales.length !== width) {
    throw new NonRetryableError('The price normalization does not fit these features', {
      code: 'PRICE_FEATURES_MISMATCH',
      details: `The rows have ${width} features; the normalization has ${normalization.means.length} means and ${normalization.scales.length} scales.`,
    });
  }
  const rowsByToken = groupRowsByToken(history);
  const out = new Float32Array(queries.length * lookback * width);
  queries.forEach(({ token, windowStart }, q) => {
    const rows = rowsByToken.get(token);
    if (rows === undefined) return;
    const end = countAtOrBefore(rows, history.windowStarts, windowStart);
    const count = Math.min(lookback, end);
    for (let i = 0; i < count; i += 1) {
      const row = rows[end - count + i]!;
      const base = (q * lookback + lookback - count + i) * width;
      for (let c = 0; c < width; c += 1) {
        const value =
          (history.features[row * width + c]! - normalization.means[c]!) / normalization.scales[c]!;
        out[base + c] = Number.isFinite(value) ? Math.max(-clip, Math.min(clip, value)) : 0;
      }
    }
  });
  return out;
}

/** Each token's row indices in `rows`, in window order. */
function groupRowsByToken(rows: PriceRows): Map<string, number[]> {
  const byToken = new Map<string, number[]>();
  rows.tokenIds.forEach((tokenId, row) => {
    const token = rows.tokens[tokenId]!;
    const list = byToken.get(token);
    if (list === undefined) byToken.set(token, [row]);
    else list.push(row);
  });
  for (const list of byToken.values()) {
    list.sort((a, b) => rows.windowStarts[a]! - rows.windowStarts[b]! || a - b);
  }
  return byToken;
}

/** How many of `rows` (in window order) have a window start at or before `windowStart`. */
function countAtOrBefore(rows: readonly number[], windowStarts: Float64Array, windowStart: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (windowStarts[rows[middle]!]! <= windowStart) low = middle + 1;
    else high = middle;
  }
  return low;
}
