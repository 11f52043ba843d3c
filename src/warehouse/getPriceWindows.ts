import type { Warehouse } from './createWarehouse.js';
import {
  type PriceWindowQuery,
  quotePoolsQuery,
  resolvedSwaps,
  side,
  toPriceParams,
  upTo,
  windowOf,
} from './priceSql.js';
import { queryRows } from './queryRows.js';

export type { PriceWindowQuery } from './priceSql.js';

/**
 * One window of one token's series. Prices are ratios of raw reserves (quote base units per token base unit,
 * which is the real price only when both tokens have the same decimals); quote amounts are raw / 1e18.
 */
export interface PriceWindow {
  token: string;
  /** The token/quote pool the series is read from. */
  pool: string;
  /** Unix seconds, a multiple of the window length. */
  windowStart: number;
  /** Quote per token from the pool's last Sync at or before the window's end (NaN before its first Sync). */
  close: number;
  /** ln(close / previous window's close); NaN for a token's first window. */
  logReturn: number;
  swaps: number;
  /** Swaps that bought the token with the quote token. */
  buys: number;
  /** Swaps that sold the token for the quote token. */
  sells: number;
  /** Quote paid in by buys. */
  buyVolume: number;
  /** Quote paid out to sells. */
  sellVolume: number;
  /** buyVolume - sellVolume. */
  netBuyFlow: number;
  /** Distinct senders of the swapping transactions (the swap's recipient when its transaction is not indexed). */
  traders: number;
  /** Share of `traders` whose first transaction on the chain (as sender) is in this window; 0 without traders. */
  newTraderShare: number;
  /** Quote added by Mints. */
  liquidityAdded: number;
  /** Quote removed by Burns. */
  liquidityRemoved: number;
  /** The pool's quote reserve at the window's end (NaN before its first Sync). */
  quoteReserve: number;
}

interface EventWindow {
  pool_address: string;
  window_start: string;
  syncs: string;
  quote_reserve: string;
  token_reserve: string;
  added: string;
  removed: string;
}

interface SwapWindow {
  pool_address: string;
  window_start: string;
  swaps: string;
  buys: string;
  buy_volume: string;
  sell_volume: string;
  traders: string;
  new_traders: string;
}

/**
 * The price and flow series of every token paired with `quoteToken` in a Uniswap V2 pool, one row per window
 * from the token's first to its last activity (Syncs, Mints, Burns, Swaps of its pool), empty windows included
 * with the price carried forward and zero flow; by token, then window. A token with several quote pools is read
 * from one: the deepest by quote reserve as of `toTime` (ties: the lower pool address).
 */
export async function getPriceWindows(warehouse: Warehouse, query: PriceWindowQuery): Promise<PriceWindow[]> {
  const resolved = toPriceParams(query);
  const { windowSeconds, firstWindow } = resolved;
  const params = { ...resolved, before: firstWindow - windowSeconds };
  const pools = await queryRows<{ pool_address: string; token: string }>(warehouse, quotePoolsQuery, params);
  if (pools.length === 0) return [];
  const poolParams = { ...params, pools: pools.map((p) => p.pool_address) };
  // Events before the first window fold into the window just before it: its last Sync is the carried state.
  const events = await queryRows<EventWindow>(
    warehouse,
    `SELECT pool_address, greatest(${windowOf('block_timestamp')}, {before:Int64}) AS window_start,
            countIf(event_type = 'sync') AS syncs,
            argMaxIf(${side('quote')}, (block_number, log_index), event_type = 'sync') AS quote_reserve,
            argMaxIf(${side('token')}, (block_number, log_index), event_type = 'sync') AS token_reserve,
            sumIf(${side('quote')}, event_type = 'mint') AS added,
            sumIf(${side('quote')}, event_type = 'burn') AS removed
     FROM dex_pool_events
     WHERE ${upTo} AND pool_address IN {pools:Array(String)}
     GROUP BY pool_address, window_start`,
    poolParams,
  );
  const swaps = await queryRows<SwapWindow>(
    warehouse,
    `WITH swaps AS (${resolvedSwaps("block_timestamp >= toDateTime({firstWindow:UInt32}, 'UTC')")})
     SELECT w.pool_address AS pool_address, w.window_start AS window_start, count() AS swaps,
            countIf(w.buy) AS buys, sumIf(w.amount_in, w.buy) AS buy_volume,
            sumIf(w.amount_out, NOT w.buy) AS sell_volume, uniqExact(w.trader) AS traders,
            uniqExactIf(w.trader, f.first_time >= w.window_start) AS new_traders
     FROM swaps AS w
     LEFT JOIN (
       SELECT from_address, toInt64(toUnixTimestamp(min(block_timestamp))) AS first_time FROM transactions
       WHERE ${upTo} AND from_address IN (SELECT trader FROM swaps)
       GROUP BY from_address) AS f ON w.trader = f.from_address
     GROUP BY pool_address, window_start`,
    poolParams,
  );
  const eventsOf = byPool(events);
  const swapsOf = byPool(swaps);
  return pools.flatMap(({ pool_address: pool, token }) =>
    toSeries(token, pool, eventsOf.get(pool) ?? [], swapsOf.get(pool) ?? [], windowSeconds, firstWindow),
  );
}

function byPool<T extends { pool_address: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.pool_address);
    if (group) group.push(row);
    else groups.set(row.pool_address, [row]);
  }
  return groups;
}

/** One pool's windows, gaps filled, from its per-window aggregates (an event window before `firstWindow` is
 *  the state carried in). */
function toSeries(
  token: string,
  pool: string,
  events: readonly EventWindow[],
  swaps: readonly SwapWindow[],
  windowSeconds: number,
  firstWindow: number,
): PriceWindow[] {
  const eventAt = new Map(events.map((e) => [Number(e.window_start), e]));
  const swapAt = new Map(swaps.map((s) => [Number(s.window_start), s]));
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const start of [...eventAt.keys(), ...swapAt.keys()]) {
    first = Math.min(first, start);
    last = Math.max(last, start);
  }
  const syncedAt = (start: number): [quote: number, token: number] | undefined => {
    const event = eventAt.get(start);
    return event && event.syncs !== '0'
      ? [Number(event.quote_reserve), Number(event.token_reserve)]
      : undefined;
  };
  let reserves = syncedAt(firstWindow - windowSeconds) ?? [Number.NaN, Number.NaN];
  let previousClose = reserves[0] / reserves[1];
  const series: PriceWindow[] = [];
  for (let start = Math.max(first, firstWindow); start <= last; start += windowSeconds) {
    const event = eventAt.get(start);
    const swap = swapAt.get(start);
    reserves = syncedAt(start) ?? reserves;
    const close = reserves[0] / reserves[1];
    const buyVolume = swap ? Number(swap.buy_volume) / 1e18 : 0;
    const sellVolume = swap ? Number(swap.sell_volume) / 1e18 : 0;
    const traders = swap ? Number(swap.traders) : 0;
    series.push({
      token,
      pool,
      windowStart: start,
      close,
      logReturn: Math.log(close / previousClose),
      swaps: swap ? Number(swap.swaps) : 0,
      buys: swap ? Number(swap.buys) : 0,
      sells: swap ? Number(swap.swaps) - Number(swap.buys) : 0,
      buyVolume,
      sellVolume,
      netBuyFlow: buyVolume - sellVolume,
      traders,
      newTraderShare: traders > 0 ? Number(swap!.new_traders) / traders : 0,
      liquidityAdded: event ? Number(event.added) / 1e18 : 0,
      liquidityRemoved: event ? Number(event.removed) / 1e18 : 0,
      quoteReserve: reserves[0] / 1e18,
    });
    previousClose = close;
  }
  return series;
}
