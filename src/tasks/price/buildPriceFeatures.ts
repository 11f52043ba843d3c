import { NonRetryableError } from '../../internal/errors.js';
import type { PriceWindow } from '../../warehouse/getPriceWindows.js';

/** One token's feature matrix and targets, one row per window. */
export interface PriceFeatureSeries {
  token: string;
  /** Unix seconds, consecutive windows. */
  windowStarts: number[];
  /** windows × (priceFeatureNames + extra columns), row-major; NaN where a feature needs more history than there is. */
  features: Float32Array;
  /** Per window, the log return of the next window (NaN for the last). */
  targets: Float32Array;
}

/** Windows the rolling features reach back over. */
const span = 6;

type Values = (row: PriceWindow) => number;
type Column = readonly [name: string, value: (rows: readonly PriceWindow[], t: number) => number];

const logReturn: Values = (row) => row.logReturn;
const flowToReserve: Values = (row) => row.netBuyFlow / row.quoteReserve;
const now =
  (value: Values) =>
  (rows: readonly PriceWindow[], t: number): number =>
    value(rows[t]!);
const rolling =
  (reduce: (values: number[]) => number, k: number, value: Values) =>
  (rows: readonly PriceWindow[], t: number): number =>
    t + 1 < k ? Number.NaN : reduce(rows.slice(t + 1 - k, t + 1).map(value));

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const mean = (values: number[]) => sum(values) / values.length;
/** Sample standard deviation (n - 1). */
const std = (values: number[]) => {
  const m = mean(values);
  return Math.sqrt(sum(values.map((value) => (value - m) ** 2)) / (values.length - 1));
};

/** Every column reads only windows at or before t (`rows[t]` and earlier). */
const columns: readonly Column[] = [
  ['return_1', now(logReturn)],
  ['return_3', rolling(sum, 3, logReturn)],
  [`return_${span}`, rolling(sum, span, logReturn)],
  [`volatility_${span}`, rolling(std, span, logReturn)],
  ['swaps', now((row) => row.swaps)],
  ['buys', now((row) => row.buys)],
  ['sells', now((row) => row.sells)],
  ['buy_volume', now((row) => row.buyVolume)],
  ['sell_volume', now((row) => row.sellVolume)],
  ['net_buy_flow', now((row) => row.netBuyFlow)],
  ['net_buy_flow_to_reserve', now(flowToReserve)],
  ['traders', now((row) => row.traders)],
  ['new_trader_share', now((row) => row.newTraderShare)],
  ['liquidity_added', now((row) => row.liquidityAdded)],
  ['liquidity_removed', now((row) => row.liquidityRemoved)],
  ['log1p_quote_reserve', now((row) => Math.log1p(row.quoteReserve))],
  [`swaps_mean_${span}`, rolling(mean, span, (row) => row.swaps)],
  [`traders_mean_${span}`, rolling(mean, span, (row) => row.traders)],
  [`net_buy_flow_mean_${span}`, rolling(mean, span, (row) => row.netBuyFlow)],
  [`net_buy_flow_to_reserve_mean_${span}`, rolling(mean, span, flowToReserve)],
  [`new_trader_share_mean_${span}`, rolling(mean, span, (row) => row.newTraderShare)],
  [`net_liquidity_mean_${span}`, rolling(mean, span, (row) => row.liquidityAdded - row.liquidityRemoved)],
];

/**
 * The names of the feature columns: `return_k` is the log return over the last k windows (the sum of their log
 * returns), `volatility_6` the sample std of the last 6 log returns, `*_mean_6` means over the last 6 windows,
 * `net_buy_flow_to_reserve` the net buy flow over the quote reserve at the window's end.
 */
export const priceFeatureNames: readonly string[] = columns.map(([name]) => name);

/** Further per-window columns (e.g. trader flows): their names, and a window's values, read only from it. */
export interface PriceExtraColumns {
  names: readonly string[];
  valuesOf(token: string, windowStart: number): ArrayLike<number>;
}

/**
 * Per token, the feature matrix of its windows (each row computed only from that window and earlier ones, so
 * window t's features are the same whatever comes after it) and the target of each window: the next window's
 * log return, the only value read from after t. `windows` are getPriceWindows rows, consecutive per token. The
 * columns are priceFeatureNames, then `extra`'s names (window t's values, as `extra` gives them).
 */
export function buildPriceFeatures(
  windows: readonly PriceWindow[],
  extra?: PriceExtraColumns,
): PriceFeatureSeries[] {
  const width = columns.length + (extra?.names.length ?? 0);
  const byToken = new Map<string, PriceWindow[]>();
  for (const row of windows) {
    const rows = byToken.get(row.token);
    if (rows) rows.push(row);
    else byToken.set(row.token, [row]);
  }
  return [...byToken].map(([token, unsorted]) => {
    const rows = unsorted.sort((a, b) => a.windowStart - b.windowStart);
    checkConsecutive(token, rows);
    const features = new Float32Array(rows.length * width);
    const targets = new Float32Array(rows.length);
    for (let t = 0; t < rows.length; t += 1) {
      for (let c = 0; c < columns.length; c += 1) features[t * width + c] = columns[c]![1](rows, t);
      if (extra) features.set(extra.valuesOf(token, rows[t]!.windowStart), t * width + columns.length);
      targets[t] = rows[t + 1]?.logReturn ?? Number.NaN;
    }
    return { token, windowStarts: rows.map((row) => row.windowStart), features, targets };
  });
}

function checkConsecutive(token: string, rows: readonly PriceWindow[]): void {
  const step = rows.length > 1 ? rows[1]!.windowStart - rows[0]!.windowStart : 0;
  for (let t = 1; t < rows.length; t += 1) {
    const gap = rows[t]!.windowStart - rows[t - 1]!.windowStart;
    if (gap <= 0 || gap !== step) {
      throw new NonRetryableError(`The price windows of ${token} are not consecutive`, {
        code: 'PRICE_WINDOWS_INVALID',
        details: `Windows at ${rows[t - 1]!.windowStart} and ${rows[t]!.windowStart} are ${gap} s apart, others ${step} s. Expected one row per window, as getPriceWindows returns them.`,
      });
    }
  }
}
