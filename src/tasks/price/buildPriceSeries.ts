import type { PriceWindow } from '../../warehouse/getPriceWindows.js';
import { buildPriceFeatures, type PriceFeatureSeries, priceFeatureNames } from './buildPriceFeatures.js';
import {
  buildTraderFlowFeatures,
  type TraderFlowSettings,
  type TraderGraph,
} from './buildTraderFlowFeatures.js';
import type { PriceMarket } from './loadPriceMarket.js';

/** How {@link buildPriceSeries} turns a market into feature series. */
export interface PriceSeriesSettings {
  /** A token's series starts at its first window whose pool holds at least this much quote and ends before the
   *  next window that holds less: a drained or rugged pool is no market (its dust "returns" run to ±80 in log
   *  terms and no position could be exited at them), so nothing from then on is trained on, predicted or scored. */
  minQuoteReserve: number;
  traderFlow: TraderFlowSettings;
  /** The traders' PageRank and embeddings, from a snapshot the caller chose (none: no graph columns). */
  traderGraph?: TraderGraph;
}

/** Feature series of every token with a liquid market, and their column names. */
export interface PriceSeriesSet {
  featureNames: string[];
  series: PriceFeatureSeries[];
}

/** The feature series of every token with a liquid market (price and trader-flow columns). */
export function buildPriceSeries(market: PriceMarket, settings: PriceSeriesSettings): PriceSeriesSet {
  const { windows, flows } = market;
  const extra = buildTraderFlowFeatures(windows, flows, settings.traderFlow, settings.traderGraph);
  const series = buildPriceFeatures(keepLiquidWindows(windows, settings.minQuoteReserve), extra).filter(
    (s) => s.windowStarts.length > 0,
  );
  return { featureNames: [...priceFeatureNames, ...extra.names], series };
}

/** Per token, the windows from its first liquid one up to (not including) the first illiquid one after it. */
export function keepLiquidWindows(windows: readonly PriceWindow[], minQuoteReserve: number): PriceWindow[] {
  const kept: PriceWindow[] = [];
  let token: string | undefined;
  let state: 'before' | 'liquid' | 'after' = 'before';
  for (const window of windows) {
    if (window.token !== token) [token, state] = [window.token, 'before'];
    const liquid = window.quoteReserve >= minQuoteReserve;
    if (state === 'after' || (state === 'before' && !liquid)) continue;
    if (!liquid) {
      state = 'after';
      continue;
    }
    kept.push(window);
    state = 'liquid';
  }
  return kept;
}
