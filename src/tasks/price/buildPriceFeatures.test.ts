import { describe, expect, it } from 'vitest';
import { priceWindow } from '../../../test/setup/priceWindow.js';
import { thrown } from '../../../test/setup/thrown.js';
import { createRng, type Rng } from '../../utils/createRng.js';
import type { PriceWindow } from '../../warehouse/getPriceWindows.js';
import { buildPriceFeatures, type PriceFeatureSeries, priceFeatureNames } from './buildPriceFeatures.js';

const hour = 3600;
const t0 = 1_699_999_200;
const columns = priceFeatureNames.length;

/** A window of `token` with every flow column zero unless given. */
const window = (token: string, w: number, fields: Partial<PriceWindow>) =>
  priceWindow(token, t0 + w * hour, fields);

/** A token's random series of `length` windows from window `first`: a log random walk with jumps and quiet
 *  windows, its first return unknown (NaN) or carried from before the series. */
function randomSeries(rng: Rng, token: string, first: number, length: number): PriceWindow[] {
  let close = Math.exp(rng.normal());
  let reserve = 1 + 100 * rng.next();
  const rows: PriceWindow[] = [];
  for (let w = first; w < first + length; w += 1) {
    const quiet = rng.chance(0.3);
    const previous = close;
    if (!quiet) close *= Math.exp(0.05 * rng.normal() + (rng.chance(0.05) ? rng.normal() : 0));
    reserve *= Math.exp(0.02 * rng.normal());
    const buys = quiet ? 0 : rng.int(0, 9);
    const sells = quiet ? 0 : rng.int(0, 9);
    const buyVolume = buys * rng.pareto(0.01, 1.5);
    const sellVolume = sells * rng.pareto(0.01, 1.5);
    const traders = Math.min(buys + sells, rng.int(1, 12));
    rows.push(
      window(token, w, {
        close,
        logReturn: w === first && rng.chance(0.5) ? Number.NaN : Math.log(close / previous),
        swaps: buys + sells,
        buys,
        sells,
        buyVolume,
        sellVolume,
        netBuyFlow: buyVolume - sellVolume,
        traders,
        newTraderShare: traders > 0 ? rng.int(0, traders) / traders : 0,
        liquidityAdded: rng.chance(0.1) ? rng.pareto(0.1, 1.2) : 0,
        liquidityRemoved: rng.chance(0.1) ? rng.pareto(0.1, 1.2) : 0,
        quoteReserve: reserve,
      }),
    );
  }
  return rows;
}

/** Random series of a few tokens, of different lengths and starts, interleaved as a query might return them. */
function randomMarket(rng: Rng): PriceWindow[] {
  const tokens = rng.int(1, 3);
  const rows = Array.from({ length: tokens }, (_, i) =>
    randomSeries(rng, `0x${String(i).repeat(40)}`, rng.int(0, 10), rng.int(1, 40)),
  ).flat();
  return rng.shuffle(rows);
}

/** The bits of the first `rows` rows of a series' features (NaN included: equal bits, not equal numbers). */
const featureBits = (series: PriceFeatureSeries, rows: number) =>
  Array.from(new Uint32Array(series.features.buffer, 0, rows * columns));
const targetBits = (series: PriceFeatureSeries, rows: number) =>
  Array.from(new Uint32Array(series.targets.buffer, 0, rows));
const seriesOf = (all: PriceFeatureSeries[], token: string) => all.find((s) => s.token === token)!;

describe('buildPriceFeatures', () => {
  it("window t's features are bit-for-bit the same when every window after t is cut off (random series)", () => {
    let checked = 0;
    for (let seed = 1; seed <= 40; seed += 1) {
      const market = randomMarket(createRng(`price-features-${seed}`));
      const full = buildPriceFeatures(market);
      const starts = [...new Set(market.map((r) => r.windowStart))].sort((a, b) => a - b);
      for (const cut of starts) {
        const truncated = buildPriceFeatures(market.filter((r) => r.windowStart <= cut));
        for (const series of truncated) {
          const rows = series.windowStarts.length;
          const whole = seriesOf(full, series.token);
          expect(series.windowStarts).toEqual(whole.windowStarts.slice(0, rows));
          expect(featureBits(series, rows)).toEqual(featureBits(whole, rows));
          // Every target but the last reads only windows up to the cut; the last has nothing to read.
          expect(targetBits(series, rows - 1)).toEqual(targetBits(whole, rows - 1));
          expect(series.targets[rows - 1]).toBeNaN();
          checked += rows;
        }
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('changing the windows after t changes only what reads them: the target of t reads t + 1, nothing reads later', () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const rng = createRng(`price-future-${seed}`);
      const series = randomSeries(rng, '0xaa', 0, rng.int(3, 30));
      const t = rng.int(0, series.length - 2);
      const original = buildPriceFeatures(series)[0]!;
      // A different future from t + 1 on, of a different length.
      const future = randomSeries(rng, '0xaa', t + 1, rng.int(1, 30)).map((row) => ({
        ...row,
        logReturn: row.logReturn + 1,
      }));
      const changed = buildPriceFeatures([...series.slice(0, t + 1), ...future])[0]!;
      expect(featureBits(changed, t + 1)).toEqual(featureBits(original, t + 1));
      expect(targetBits(changed, t)).toEqual(targetBits(original, t));
      expect(changed.targets[t]).toBe(Math.fround(future[0]!.logReturn));
      expect(changed.targets[t]).not.toBe(original.targets[t]);
    }
  });

  it('computes returns over 1/3/6 windows, the 6-window volatility and rolling means exactly', () => {
    const ln2 = Math.log(2);
    // Closes 1 2 4 2 2 8 16 4: returns in units of ln 2, the first carried from before the series.
    const returns = [0.5, 1, 1, -1, 0, 2, 1, -2];
    const rows = returns.map((r, w) =>
      window('0xaa', w, {
        logReturn: r * ln2,
        swaps: w,
        traders: 2 * w,
        netBuyFlow: w + 1,
        quoteReserve: 2,
        newTraderShare: w % 2,
        liquidityAdded: w === 2 ? 6 : 0,
        liquidityRemoved: w === 7 ? 3 : 0,
      }),
    );
    const [series] = buildPriceFeatures(rows.reverse());
    const at = (t: number, name: string) => series!.features[t * columns + priceFeatureNames.indexOf(name)]!;
    expect(series!.windowStarts).toEqual(returns.map((_, w) => t0 + w * hour));
    expect(returns.map((_, t) => at(t, 'return_1'))).toEqual(returns.map((r) => Math.fround(r * ln2)));
    expect(at(1, 'return_3')).toBeNaN();
    expect(at(2, 'return_3')).toBeCloseTo(2.5 * ln2, 6);
    expect(at(4, 'return_3')).toBeCloseTo(0, 6);
    expect(at(7, 'return_3')).toBeCloseTo(ln2, 6);
    expect(at(4, 'return_6')).toBeNaN();
    expect(at(5, 'return_6')).toBeCloseTo(3.5 * ln2, 6);
    expect(at(7, 'return_6')).toBeCloseTo(ln2, 6);
    // Returns 1 1 -1 0 2 1 (× ln 2): mean 2/3, squared deviations 48/9, over 5.
    expect(at(4, 'volatility_6')).toBeNaN();
    expect(at(6, 'volatility_6')).toBeCloseTo(ln2 * Math.sqrt(16 / 15), 6);
    expect(at(4, 'swaps_mean_6')).toBeNaN();
    expect(at(5, 'swaps_mean_6')).toBe(2.5);
    expect(at(7, 'traders_mean_6')).toBe(9);
    expect(at(7, 'net_buy_flow_mean_6')).toBe(5.5);
    expect(at(3, 'net_buy_flow_to_reserve')).toBe(2);
    expect(at(7, 'net_buy_flow_to_reserve_mean_6')).toBe(2.75);
    expect(at(6, 'new_trader_share_mean_6')).toBe(0.5);
    expect(at(6, 'net_liquidity_mean_6')).toBe(1);
    expect(at(7, 'net_liquidity_mean_6')).toBe(0.5);
    expect(at(0, 'log1p_quote_reserve')).toBeCloseTo(Math.log(3), 6);
    expect(Array.from(series!.targets)).toEqual([
      ...returns.slice(1).map((r) => Math.fround(r * ln2)),
      Number.NaN,
    ]);
  });

  it('keeps tokens apart and rejects a series with a missing or repeated window', () => {
    const built = buildPriceFeatures([
      window('0xaa', 0, { logReturn: 0.1 }),
      window('0xbb', 5, { logReturn: 0.3 }),
      window('0xaa', 1, { logReturn: 0.2 }),
    ]);
    expect(built.map((s) => [s.token, s.windowStarts, Array.from(s.targets)])).toEqual([
      ['0xaa', [t0, t0 + hour], [Math.fround(0.2), Number.NaN]],
      ['0xbb', [t0 + 5 * hour], [Number.NaN]],
    ]);
    for (const gap of [
      [0, 1, 3],
      [0, 1, 1],
    ]) {
      const error = thrown(() => buildPriceFeatures(gap.map((w) => window('0xaa', w, {}))));
      expect(error.code).toBe('PRICE_WINDOWS_INVALID');
    }
  });
});
