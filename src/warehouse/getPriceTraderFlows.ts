import type { Warehouse } from './createWarehouse.js';
import type { PriceWindowQuery } from './getPriceWindows.js';
import { quotePoolsQuery, resolvedSwaps, toPriceParams } from './priceSql.js';
import { queryRows } from './queryRows.js';

/** One trader's swaps in one token's pool in one window, with what the trader had done before the window. */
export interface PriceTraderFlow {
  token: string;
  /** Unix seconds, a multiple of the window length. */
  windowStart: number;
  trader: string;
  /** Quote paid in by the trader's buys minus quote paid out to its sells (raw / 1e18). */
  netFlow: number;
  /** The trader's swaps in any of the quote pools (the chosen pool of each token) before this window. */
  priorSwaps: number;
  /** The quote volume (raw / 1e18) of those swaps. */
  priorVolume: number;
}

interface FlowRow {
  pool_address: string;
  window_start: string;
  trader: string;
  net_flow: number;
  prior_swaps: string;
  prior_volume: number;
}

/**
 * Per token, window and trader, the trader's net buy flow, and its swap count and volume in the quote pools before
 * the window started (read from all history up to `toTime`, so a trader's past counts even before `fromTime`).
 * Same pools, windows and trader attribution as getPriceWindows; only windows with swaps; by pool, window, trader.
 */
export async function getPriceTraderFlows(
  warehouse: Warehouse,
  query: PriceWindowQuery,
): Promise<PriceTraderFlow[]> {
  const params = toPriceParams(query);
  const pools = await queryRows<{ pool_address: string; token: string }>(warehouse, quotePoolsQuery, params);
  if (pools.length === 0) return [];
  const rows = await queryRows<FlowRow>(
    warehouse,
    `WITH swaps AS (${resolvedSwaps('1')}),
     per AS (
       SELECT pool_address, window_start, trader,
              sum(if(buy, toFloat64(amount_in), -toFloat64(amount_out))) / 1e18 AS net_flow,
              count() AS swaps, sum(toFloat64(if(buy, amount_in, amount_out))) / 1e18 AS volume
       FROM swaps GROUP BY pool_address, window_start, trader),
     prior AS (
       SELECT trader, window_start, sum(swaps) OVER w - swaps AS prior_swaps,
              sum(volume) OVER w - volume AS prior_volume
       FROM (SELECT trader, window_start, sum(swaps) AS swaps, sum(volume) AS volume
             FROM per GROUP BY trader, window_start)
       WINDOW w AS (PARTITION BY trader ORDER BY window_start ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
     SELECT per.pool_address AS pool_address, per.window_start AS window_start, per.trader AS trader, per.net_flow AS net_flow,
            prior.prior_swaps AS prior_swaps, prior.prior_volume AS prior_volume
     FROM per
     INNER JOIN prior ON per.trader = prior.trader AND per.window_start = prior.window_start
     WHERE per.window_start >= {firstWindow:Int64}
     ORDER BY pool_address, window_start, trader`,
    { ...params, pools: pools.map((p) => p.pool_address) },
  );
  const tokenOf = new Map(pools.map((p) => [p.pool_address, p.token]));
  return rows.map((row) => ({
    token: tokenOf.get(row.pool_address)!,
    windowStart: Number(row.window_start),
    trader: row.trader,
    netFlow: row.net_flow,
    priorSwaps: Number(row.prior_swaps),
    priorVolume: row.prior_volume,
  }));
}
