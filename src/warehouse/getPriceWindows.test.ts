import { describe, expect, it } from 'vitest';
import { emptyPriceFlows } from '../../test/setup/priceWindow.js';
import { useTestWarehouse } from '../../test/setup/testWarehouse.js';
import type { DexPoolEventRow, DexPoolRow, DexSwapRow, TransactionRow } from '../types/tableRows.js';
import type { Warehouse } from './createWarehouse.js';
import { getPriceTraderFlows, type PriceTraderFlow } from './getPriceTraderFlows.js';
import { getPriceWindows, type PriceWindow } from './getPriceWindows.js';
import { insertRows } from './insertRows.js';

const chainId = 1;
const hour = 3600;
/** A multiple of one hour (and of two), not of 5400 seconds. */
const t0 = 1_699_999_200;
const e18 = 10n ** 18n;
const address = (digit: string) => `0x${digit.repeat(40)}`;
const weth = address('5');
/** token1 of its pools (above WETH) */
const tokenA = address('a');
/** token0 of its pool (below WETH) */
const tokenB = address('1');
const tokenC = address('c');
const [poolA, poolAShallow, poolAV3, poolB, poolC1, poolC2, poolAB] = [
  '7a',
  '7b',
  '7c',
  '71',
  '8c',
  '9c',
  '7d',
].map((tag) => `0x${tag.repeat(20)}`) as [string, string, string, string, string, string, string];
const [lp, x, y, z, u, v] = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'].map((tag) => `0x${tag.repeat(20)}`) as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const inBlock = (block: number, time: number) => ({
  chain_id: chainId,
  version: 1,
  block_number: block,
  block_hash: `0x${block.toString(16).padStart(64, '0')}`,
  block_timestamp: time,
});

function pool(
  pool_address: string,
  token: string,
  protocol: DexPoolRow['protocol'] = 'uniswap_v2',
  other = weth,
): DexPoolRow {
  const [token0, token1] = token < other ? [token, other] : [other, token];
  return {
    ...inBlock(1, t0 - 2 * hour),
    transaction_index: 0,
    transaction_hash: `0x${pool_address.slice(2).padEnd(64, '0')}`,
    log_index: 0,
    pool_address,
    protocol,
    factory_address: address('f'),
    token0,
    token1,
    fee: protocol === 'uniswap_v3' ? 3000 : null,
  };
}

/** A pool event of `pool_address` (a pool of `token` and WETH) with the token's and WETH's amounts. */
function event(
  pool_address: string,
  token: string,
  event_type: DexPoolEventRow['event_type'],
  block: number,
  time: number,
  log_index: number,
  tokenAmount: bigint,
  wethAmount: bigint,
): DexPoolEventRow {
  const tokenFirst = token < weth;
  return {
    ...inBlock(block, time),
    transaction_index: 0,
    transaction_hash: `0x${block.toString(16).padStart(64, '1')}`,
    log_index,
    protocol: 'uniswap_v2',
    pool_address,
    event_type,
    sender: event_type === 'sync' ? null : lp,
    owner: event_type === 'burn' ? lp : null,
    token0: tokenFirst ? token : weth,
    token1: tokenFirst ? weth : token,
    amount0: tokenFirst ? tokenAmount : wethAmount,
    amount1: tokenFirst ? wethAmount : tokenAmount,
    liquidity: null,
    tick_lower: null,
    tick_upper: null,
  };
}

function swap(
  pool_address: string,
  block: number,
  time: number,
  transaction_index: number,
  log_index: number,
  [token_in, amount_in]: [string, bigint],
  [token_out, amount_out]: [string, bigint],
  recipient = address('9'),
): DexSwapRow {
  return {
    ...inBlock(block, time),
    transaction_index,
    transaction_hash: `0x${(block * 100 + transaction_index).toString(16).padStart(64, '2')}`,
    log_index,
    protocol: 'uniswap_v2',
    pool_address,
    sender: address('4'),
    recipient,
    token_in,
    token_out,
    amount_in,
    amount_out,
  };
}

function tx(block: number, time: number, transaction_index: number, from_address: string): TransactionRow {
  return {
    ...inBlock(block, time),
    transaction_index,
    hash: `0x${(block * 100 + transaction_index).toString(16).padStart(64, '3')}`,
    nonce: 0,
    from_address,
    to_address: address('4'),
    value: 0n,
    gas: 200_000,
    gas_price: null,
    max_fee_per_gas: 10n,
    max_priority_fee_per_gas: 1n,
    transaction_type: 2,
    input: '0x38ed1739',
    status: 1,
    gas_used: 150_000,
    cumulative_gas_used: 150_000,
    effective_gas_price: 9n,
    contract_address: null,
  };
}

const price = (quote: bigint, token: bigint) => Number(quote) / Number(token);
const quote = (amount: bigint) => Number(amount) / 1e18;

/**
 * Token A (token1 of its pool) over four hours from t0: a mint and a buy by x (new) in hour 0; in hour 1 a sell
 * by y (seen before t0) and a buy by x in one block, their Syncs inserted out of order; hour 2 empty; in hour 3 a
 * burn, a plain transaction by z at the hour's first second, two buys by z (so new) in one transaction, and
 * a buy to u and a sell to v whose transactions are not indexed (their recipients count, and are not new). A shallower
 * V2 pool, a deeper V3 pool and an A/B pool of A trade too and must not count. Token B (token0 of its pool):
 * a mint and a sell in hour 0, a buy in hour 1.
 */
async function insertMarket(warehouse: Warehouse) {
  await insertRows(warehouse, 'dex_pools', [
    pool(poolA, tokenA),
    pool(poolAShallow, tokenA),
    pool(poolAV3, tokenA, 'uniswap_v3'),
    pool(poolAB, tokenA, 'uniswap_v2', tokenB),
    pool(poolB, tokenB),
  ]);
  const h3 = t0 + 3 * hour;
  await insertRows(warehouse, 'dex_pool_events', [
    event(poolA, tokenA, 'mint', 10, t0 + 100, 1, 1000n * e18, 10n * e18),
    event(poolA, tokenA, 'sync', 10, t0 + 100, 0, 1000n * e18, 10n * e18),
    event(poolA, tokenA, 'sync', 11, t0 + 1000, 5, 910n * e18, 11n * e18),
    event(poolA, tokenA, 'sync', 12, t0 + 3700, 9, 880n * e18, 11_380n * 10n ** 15n),
    event(poolA, tokenA, 'sync', 12, t0 + 3700, 7, 920n * e18, 10_880n * 10n ** 15n),
    event(poolA, tokenA, 'burn', 13, h3, 2, 88n * e18, 1_138n * 10n ** 15n),
    event(poolA, tokenA, 'sync', 13, h3, 1, 792n * e18, 10_242n * 10n ** 15n),
    event(poolA, tokenA, 'sync', 14, h3 + 100, 4, 700n * e18, 11_242n * 10n ** 15n),
    event(poolA, tokenA, 'sync', 15, h3 + 200, 6, 601n * e18, 11_990n * 10n ** 15n),
    event(poolAShallow, tokenA, 'sync', 10, t0 + 100, 9, 10n * e18, 1n * e18),
    event(poolAShallow, tokenA, 'sync', 16, t0 + 5 * hour, 9, 1n * e18, 2n * e18),
    event(poolAV3, tokenA, 'sync', 10, t0 + 100, 10, 100n * e18, 1000n * e18),
    event(poolB, tokenB, 'mint', 10, t0 + 200, 20, 500n * e18, 5n * e18),
    event(poolB, tokenB, 'sync', 10, t0 + 200, 21, 500n * e18, 5n * e18),
    event(poolB, tokenB, 'sync', 11, t0 + 300, 22, 600n * e18, 4n * e18),
    event(poolB, tokenB, 'sync', 12, t0 + hour + 1, 23, 550n * e18, 4_500n * 10n ** 15n),
  ]);
  await insertRows(warehouse, 'dex_swaps', [
    swap(poolA, 11, t0 + 1000, 0, 4, [weth, 1n * e18], [tokenA, 90n * e18]),
    swap(poolA, 12, t0 + 3700, 1, 6, [tokenA, 10n * e18], [weth, 120n * 10n ** 15n]),
    swap(poolA, 12, t0 + 3700, 2, 8, [weth, 500n * 10n ** 15n], [tokenA, 40n * e18]),
    swap(poolA, 14, h3 + 100, 0, 3, [weth, 1n * e18], [tokenA, 50n * e18]),
    swap(poolA, 14, h3 + 100, 0, 5, [weth, 1n * e18], [tokenA, 42n * e18]),
    swap(poolA, 15, h3 + 200, 3, 3, [weth, 758n * 10n ** 15n], [tokenA, 100n * e18], u),
    swap(poolA, 15, h3 + 200, 4, 5, [tokenA, 1n * e18], [weth, 1n * 10n ** 16n], v),
    swap(poolAShallow, 11, t0 + 1000, 5, 1, [weth, 1n * e18], [tokenA, 5n * e18]),
    swap(poolAV3, 11, t0 + 1000, 6, 2, [weth, 1n * e18], [tokenA, 5n * e18]),
    swap(poolAB, 11, t0 + 1000, 7, 3, [tokenB, 1n * e18], [tokenA, 5n * e18]),
    swap(poolB, 11, t0 + 300, 1, 30, [tokenB, 100n * e18], [weth, 1n * e18]),
    swap(poolB, 12, t0 + hour + 1, 3, 31, [weth, 500n * 10n ** 15n], [tokenB, 50n * e18]),
  ]);
  await insertRows(warehouse, 'transactions', [
    tx(2, t0 - 2 * hour, 0, y),
    tx(10, t0 + 100, 0, lp),
    tx(11, t0 + 1000, 0, x),
    tx(11, t0 + 1000, 1, y),
    tx(11, t0 + 1000, 5, lp),
    tx(11, t0 + 1000, 6, lp),
    tx(11, t0 + 1000, 7, lp),
    tx(12, t0 + 3700, 1, y),
    tx(12, t0 + 3700, 2, x),
    tx(12, t0 + 3700, 3, lp),
    tx(13, h3, 0, lp),
    tx(13, h3, 1, z),
    tx(14, h3 + 100, 0, z),
  ]);
}

const empty = emptyPriceFlows;

/** Token A's four hourly windows, every column computed by hand from insertMarket's rows. */
function expectedA(): PriceWindow[] {
  const close = [
    price(11n * e18, 910n * e18),
    price(11_380n * 10n ** 15n, 880n * e18),
    price(11_380n * 10n ** 15n, 880n * e18),
    price(11_990n * 10n ** 15n, 601n * e18),
  ];
  const row = (w: number, fields: Partial<PriceWindow>, reserve: number): PriceWindow => ({
    token: tokenA,
    pool: poolA,
    windowStart: t0 + w * hour,
    close: close[w]!,
    logReturn: w === 0 ? Number.NaN : Math.log(close[w]! / close[w - 1]!),
    ...empty,
    ...fields,
    quoteReserve: reserve,
  });
  const buy3 = quote(2n * e18 + 758n * 10n ** 15n);
  return [
    row(
      0,
      {
        swaps: 1,
        buys: 1,
        buyVolume: 1,
        netBuyFlow: 1,
        traders: 1,
        newTraderShare: 1,
        liquidityAdded: 10,
      },
      11,
    ),
    row(
      1,
      {
        swaps: 2,
        buys: 1,
        sells: 1,
        buyVolume: 0.5,
        sellVolume: 0.12,
        netBuyFlow: 0.5 - 0.12,
        traders: 2,
        newTraderShare: 0,
      },
      11.38,
    ),
    row(2, {}, 11.38),
    row(
      3,
      {
        swaps: 4,
        buys: 3,
        sells: 1,
        buyVolume: buy3,
        sellVolume: 0.01,
        netBuyFlow: buy3 - 0.01,
        traders: 3,
        newTraderShare: 1 / 3,
        liquidityRemoved: 1.138,
      },
      11.99,
    ),
  ];
}

describe('getPriceWindows', () => {
  const warehouse = useTestWarehouse();

  it('reads every column of every window exactly, empty windows carried forward, from the deepest V2 pool', async () => {
    await insertMarket(warehouse());
    const rows = await getPriceWindows(warehouse(), { chainId, quoteToken: weth, windowSeconds: hour });

    // B sorts first (0x11… < 0xaa…) and stops at its last activity; A runs over its four hours.
    expect(rows.map((r) => [r.token, r.windowStart])).toEqual([
      [tokenB, t0],
      [tokenB, t0 + hour],
      [tokenA, t0],
      [tokenA, t0 + hour],
      [tokenA, t0 + 2 * hour],
      [tokenA, t0 + 3 * hour],
    ]);
    expect(rows.slice(2)).toEqual(expectedA());
    const closeB = [price(4n * e18, 600n * e18), price(4_500n * 10n ** 15n, 550n * e18)];
    expect(rows.slice(0, 2)).toEqual([
      {
        token: tokenB,
        pool: poolB,
        windowStart: t0,
        close: closeB[0],
        logReturn: Number.NaN,
        ...empty,
        swaps: 1,
        sells: 1,
        sellVolume: 1,
        netBuyFlow: -1,
        traders: 1,
        newTraderShare: 0,
        liquidityAdded: 5,
        quoteReserve: 4,
      },
      {
        token: tokenB,
        pool: poolB,
        windowStart: t0 + hour,
        close: closeB[1],
        logReturn: Math.log(closeB[1]! / closeB[0]!),
        ...empty,
        swaps: 1,
        buys: 1,
        buyVolume: 0.5,
        netBuyFlow: 0.5,
        traders: 1,
        newTraderShare: 0,
        quoteReserve: 4.5,
      },
    ]);
  });

  it('aligns windows to multiples of the window length in unix time, not to the first activity', async () => {
    await insertMarket(warehouse());
    const rows = (
      await getPriceWindows(warehouse(), { chainId, quoteToken: weth, windowSeconds: 5400 })
    ).filter((r) => r.token === tokenA);
    // t0 = 314,814.67 × 5400: the first window starts an hour before t0.
    expect(rows.map((r) => r.windowStart)).toEqual([t0 - hour, t0 + 1800, t0 + 7200]);
    expect(rows.map((r) => [r.swaps, r.traders, r.newTraderShare])).toEqual([
      [1, 1, 1],
      [2, 2, 0],
      [4, 3, 1 / 3],
    ]);
    expect(rows[2]!.close).toBe(price(11_990n * 10n ** 15n, 601n * e18));
    expect(rows[2]!.liquidityRemoved).toBe(1.138);
  });

  it('reads nothing after toTime: its windows are those of the full series, the last cut short at it', async () => {
    await insertMarket(warehouse());
    const full = await getPriceWindows(warehouse(), { chainId, quoteToken: weth, windowSeconds: hour });
    const through = (toTime: number) =>
      getPriceWindows(warehouse(), { chainId, quoteToken: weth, windowSeconds: hour, toTime });

    // A is quiet in hour 2: its empty hour 2 exists only once hour 3's activity does.
    const untilHour2 = await through(t0 + 3 * hour - 1);
    expect(untilHour2).toEqual(full.filter((r) => r.windowStart < t0 + 2 * hour));

    // Cut inside hour 1: before its block hour 1 does not exist yet; at its block it is complete.
    const midHour1 = (await through(t0 + 3699)).filter((r) => r.token === tokenA);
    expect(midHour1).toEqual(expectedA().slice(0, 1));
    const cut = (await through(t0 + 3700)).filter((r) => r.token === tokenA);
    expect(cut).toEqual(expectedA().slice(0, 2));
  });

  it('starts at the window containing fromTime, with the price and who is new carried from before it', async () => {
    await insertMarket(warehouse());
    const full = await getPriceWindows(warehouse(), { chainId, quoteToken: weth, windowSeconds: hour });
    const from = await getPriceWindows(warehouse(), {
      chainId,
      quoteToken: weth,
      windowSeconds: hour,
      fromTime: t0 + hour + 5,
    });
    expect(from).toEqual(full.filter((r) => r.windowStart >= t0 + hour));
    // From hour 3, after an empty hour and after B's last activity: A's return still reaches back to hour 1's
    // Sync, and B has no windows at all.
    const late = await getPriceWindows(warehouse(), {
      chainId,
      quoteToken: weth,
      windowSeconds: hour,
      fromTime: t0 + 3 * hour,
    });
    expect(late).toEqual(full.filter((r) => r.token === tokenA && r.windowStart >= t0 + 3 * hour));
    expect(late[0]!.logReturn).toBeGreaterThan(0.4);
  });

  it('picks the deepest quote pool as of toTime, ties to the lower address', async () => {
    await insertRows(warehouse(), 'dex_pools', [pool(poolC1, tokenC), pool(poolC2, tokenC)]);
    await insertRows(warehouse(), 'dex_pool_events', [
      event(poolC1, tokenC, 'sync', 10, t0, 0, 100n * e18, 50n * e18),
      event(poolC2, tokenC, 'sync', 10, t0, 1, 1000n * e18, 5n * e18),
      event(poolC2, tokenC, 'sync', 20, t0 + hour, 0, 100n * e18, 80n * e18),
    ]);
    const pools = async (toTime?: number) =>
      (
        await getPriceWindows(warehouse(), {
          chainId,
          quoteToken: weth,
          windowSeconds: hour,
          ...(toTime === undefined ? {} : { toTime }),
        })
      ).map((r) => [r.pool, r.windowStart, r.close]);
    expect(await pools(t0 + hour - 1)).toEqual([[poolC1, t0, 0.5]]);
    expect(await pools()).toEqual([
      [poolC2, t0, 0.005],
      [poolC2, t0 + hour, 0.8],
    ]);
    // C2 back to 50 WETH: a tie, which the lower address (C1) wins.
    await insertRows(warehouse(), 'dex_pool_events', [
      event(poolC2, tokenC, 'sync', 30, t0 + 2 * hour, 0, 100n * e18, 50n * e18),
    ]);
    expect((await pools()).map(([p]) => p)).toEqual([poolC1]);
  });

  it('rejects a window length or a range it cannot use, naming the field', async () => {
    const query = { chainId, quoteToken: weth, windowSeconds: hour };
    for (const bad of [
      { windowSeconds: 0 },
      { windowSeconds: 1.5 },
      { fromTime: -1 },
      { toTime: 2 ** 32 },
      { fromTime: 10, toTime: 5 },
    ]) {
      await expect(getPriceWindows(warehouse(), { ...query, ...bad })).rejects.toMatchObject({
        code: 'PRICE_QUERY_INVALID',
      });
    }
    await expect(getPriceWindows(warehouse(), { ...query, quoteToken: 'weth' })).rejects.toMatchObject({
      code: 'ADDRESS_INVALID',
    });
  });
});

describe('getPriceTraderFlows', () => {
  const warehouse = useTestWarehouse();
  const flow = (
    token: string,
    w: number,
    trader: string,
    netFlow: number,
    priorSwaps = 0,
    priorVolume = 0,
  ): PriceTraderFlow => ({ token, windowStart: t0 + w * hour, trader, netFlow, priorSwaps, priorVolume });

  it("gives each trader's net flow per window from the chosen pools, with its swaps and volume before the window", async () => {
    await insertMarket(warehouse());
    const rows = await getPriceTraderFlows(warehouse(), { chainId, quoteToken: weth, windowSeconds: hour });
    const expected = [
      // poolB (0x7171…) sorts before poolA (0x7a7a…); the shallow, V3 and A/B pools never count.
      flow(tokenB, 0, y, -1),
      flow(tokenB, 1, lp, 0.5),
      flow(tokenA, 0, x, 1),
      flow(tokenA, 1, x, 0.5, 1, 1),
      flow(tokenA, 1, y, -0.12, 1, 1),
      flow(tokenA, 3, z, 2),
      flow(tokenA, 3, u, 0.758),
      flow(tokenA, 3, v, -0.01),
    ];
    expect(rows.map(({ netFlow: _, ...rest }) => rest)).toEqual(
      expected.map(({ netFlow: _, ...rest }) => rest),
    );
    for (const [i, row] of rows.entries())
      expect(row.netFlow, `row ${i}`).toBeCloseTo(expected[i]!.netFlow, 12);
  });

  it('counts a trader’s past from before fromTime, and reads nothing after toTime', async () => {
    await insertMarket(warehouse());
    const rows = await getPriceTraderFlows(warehouse(), {
      chainId,
      quoteToken: weth,
      windowSeconds: hour,
      fromTime: t0 + hour,
      toTime: t0 + 2 * hour,
    });
    expect(rows.map((r) => [r.token, r.windowStart, r.trader, r.priorSwaps, r.priorVolume])).toEqual([
      [tokenB, t0 + hour, lp, 0, 0],
      [tokenA, t0 + hour, x, 1, 1],
      [tokenA, t0 + hour, y, 1, 1],
    ]);
  });
});
