import { NonRetryableError } from '../internal/errors.js';
import { toAddress } from '../utils/toAddress.js';

/** SQL fragments and checks shared by the price queries (getPriceWindows, getPriceTraderFlows). */

/** Which price series to read: the chain, the quote token, the window length and the time range. */
export interface PriceWindowQuery {
  chainId: number;
  /** The token prices are quoted in (e.g. WETH). */
  quoteToken: string;
  /** Window length in seconds; windows start at multiples of it in unix time. */
  windowSeconds: number;
  /** Unix seconds: the first window returned is the one containing it (earlier data still sets the carried
   *  price, the previous close and who is new). Default: from each token's first activity. */
  fromTime?: number;
  /** Unix seconds, inclusive: nothing after it is read, and the window containing it (cut short at it) is the
   *  last one. Default: everything indexed. */
  toTime?: number;
}

/** The latest time a price query may name (the range of ClickHouse's DateTime). */
export const maxPriceTime = 2 ** 32 - 1;

/** Rows of the chain at or before `{toTime}`: nothing later is ever read. */
export const upTo = "chain_id = {chainId:UInt64} AND block_timestamp <= toDateTime({toTime:UInt32}, 'UTC')";

/** The start (unix seconds) of the `{windowSeconds}` window containing `time`. */
export const windowOf = (time: string) =>
  `toInt64(intDiv(toUnixTimestamp(${time}), {windowSeconds:UInt32})) * {windowSeconds:UInt32}`;

/** The quote token's side (`quote`) or the other side (`token`) of a pool event's amounts. */
export const side = (of: 'quote' | 'token') =>
  of === 'quote'
    ? 'if(token0 = {quote:String}, amount0, amount1)'
    : 'if(token0 = {quote:String}, amount1, amount0)';

/**
 * The chosen pool of every token paired with `{quote}` in a Uniswap V2 pool: the deepest by quote reserve as of
 * `{toTime}` (ties: the lower pool address). Columns pool_address, token.
 */
export const quotePoolsQuery = `WITH candidates AS (
   SELECT pool_address, if(token0 = {quote:String}, token1, token0) AS token FROM dex_pools
   WHERE ${upTo} AND protocol = 'uniswap_v2' AND token0 != token1
     AND (token0 = {quote:String} OR token1 = {quote:String}))
 SELECT c.pool_address AS pool_address, c.token AS token
 FROM candidates AS c
 LEFT JOIN (
   SELECT pool_address, argMax(${side('quote')}, (block_number, log_index)) AS depth FROM dex_pool_events
   WHERE ${upTo} AND event_type = 'sync' AND pool_address IN (SELECT pool_address FROM candidates)
   GROUP BY pool_address) AS d ON c.pool_address = d.pool_address
 ORDER BY token, d.depth DESC, pool_address
 LIMIT 1 BY token`;

/**
 * A CTE body: the swaps of `{pools}` at or before `{toTime}` and matching `where`, each with its window, whether
 * it bought the token with `{quote}`, its amounts, and its trader (the transaction's sender, or the swap's
 * recipient when the transaction is not indexed).
 */
export const resolvedSwaps = (where: string) => {
  const swaps = `${upTo} AND pool_address IN {pools:Array(String)} AND ${where}`;
  return `SELECT s.pool_address AS pool_address, ${windowOf('s.block_timestamp')} AS window_start,
          s.token_out != {quote:String} AS buy, s.amount_in AS amount_in, s.amount_out AS amount_out,
          if(t.from_address = '', s.recipient, t.from_address) AS trader
   FROM (SELECT * FROM dex_swaps WHERE ${swaps}) AS s
   LEFT JOIN (
     SELECT block_number, transaction_index, from_address FROM transactions
     WHERE ${upTo} AND (block_number, transaction_index) IN
           (SELECT block_number, transaction_index FROM dex_swaps WHERE ${swaps})
   ) AS t ON s.block_number = t.block_number AND s.transaction_index = t.transaction_index`;
};

/** Refuses a window length or time range that is not whole seconds in ClickHouse's DateTime range. */
function checkPriceQuery(windowSeconds: number, fromTime: number, toTime: number): void {
  const fields: [string, number, number][] = [
    ['windowSeconds', windowSeconds, 1],
    ['fromTime', fromTime, 0],
    ['toTime', toTime, 0],
  ];
  for (const [name, value, min] of fields) {
    if (!Number.isInteger(value) || value < min || value > maxPriceTime) {
      throw new NonRetryableError(`Invalid ${name} ${value} for price windows`, {
        code: 'PRICE_QUERY_INVALID',
        details: `Expected ${name} as whole seconds from ${min} to ${maxPriceTime}.`,
      });
    }
  }
  if (fromTime > toTime) {
    throw new NonRetryableError(`Price windows from ${fromTime} to ${toTime}: the range is empty`, {
      code: 'PRICE_QUERY_INVALID',
      details: 'Expected fromTime at or before toTime (unix seconds).',
    });
  }
}

/** A price query's bound parameters: chain, quote token, window, the first window's start and the last time. */
export function toPriceParams(query: PriceWindowQuery) {
  const { chainId, windowSeconds } = query;
  const quote = toAddress(query.quoteToken);
  const fromTime = query.fromTime ?? 0;
  const toTime = query.toTime ?? maxPriceTime;
  checkPriceQuery(windowSeconds, fromTime, toTime);
  const firstWindow = Math.floor(fromTime / windowSeconds) * windowSeconds;
  return { chainId, quote, windowSeconds, firstWindow, toTime };
}
