import { describe, expect, it } from 'vitest';
import { priceWindow } from '../../../test/setup/priceWindow.js';
import type { PriceTraderFlow } from '../../warehouse/getPriceTraderFlows.js';
import { priceFeatureNames } from './buildPriceFeatures.js';
import { buildPriceSeries, keepLiquidWindows } from './buildPriceSeries.js';
import {
  buildTraderFlowFeatures,
  type TraderGraph,
  traderFlowFeatureNames,
} from './buildTraderFlowFeatures.js';

const hour = 3600;
const t0 = 1_699_999_200;

const window = (token: string, w: number, quoteReserve: number, logReturn = 0.01) =>
  priceWindow(token, t0 + w * hour, { quoteReserve, logReturn });

const flow = (
  token: string,
  w: number,
  trader: string,
  netFlow: number,
  priorSwaps: number,
  priorVolume: number,
) =>
  ({ token, windowStart: t0 + w * hour, trader, netFlow, priorSwaps, priorVolume }) satisfies PriceTraderFlow;

describe('buildTraderFlowFeatures', () => {
  const windows = [window('a', 0, 100), window('a', 1, 50), window('b', 0, 10)];
  const flows = [
    flow('a', 0, 'frequent', 10, 50, 5),
    flow('a', 0, 'whale', -20, 3, 100),
    flow('a', 0, 'both', 5, 80, 500),
    flow('a', 0, 'newcomer', 7, 0, 0),
    flow('a', 1, 'frequent', -5, 51, 15),
    flow('b', 0, 'whale', 2, 0, 1000),
    flow('c', 0, 'frequent', 99, 99, 99),
  ];

  it('sums the flows of frequent traders and of whales over the reserve, judged on what they did before', () => {
    const columns = buildTraderFlowFeatures(windows, flows, { frequentTraderSwaps: 50, whaleVolume: 100 });
    expect(columns.names).toEqual([
      'frequent_trader_flow_to_reserve',
      'whale_flow_to_reserve',
      'skilled_flow_to_reserve',
    ]);
    // Window 0: nobody has a judged call yet. Window 1: frequent's buy in window 0 was right (a rose in window 1),
    // so its sell there weighs 1 / (1 + 5).
    expect(columns.valuesOf('a', t0)).toEqual(Float32Array.of((10 + 5) / 100, (-20 + 5) / 100, 0));
    expect(columns.valuesOf('a', t0 + hour)).toEqual(Float32Array.of(-5 / 50, 0, -5 / 50 / 6));
    expect(columns.valuesOf('b', t0)).toEqual(Float32Array.of(0, 2 / 10, 0));
    // A window without swaps, and a token without windows, read zeros.
    expect([...columns.valuesOf('b', t0 + hour)]).toEqual([0, 0, 0]);
    expect([...columns.valuesOf('c', t0)]).toEqual([0, 0, 0]);
  });

  it('weights flows by PageRank percentile and sums them along each embedding dimension', () => {
    const graph: TraderGraph = {
      snapshotId: 's',
      dims: 2,
      pagerankPercentile: new Map([
        ['frequent', 1],
        ['whale', 0.5],
      ]),
      embedding: new Map([
        ['frequent', Float32Array.of(1, -2)],
        ['both', Float32Array.of(0.5, 4)],
      ]),
    };
    const columns = buildTraderFlowFeatures(
      windows,
      flows,
      { frequentTraderSwaps: 50, whaleVolume: 100 },
      graph,
    );
    expect(columns.names).toEqual(traderFlowFeatureNames(2));
    expect(columns.names.slice(3)).toEqual([
      'pagerank_flow_to_reserve',
      'embedding_flow_0_to_reserve',
      'embedding_flow_1_to_reserve',
    ]);
    const values = [...columns.valuesOf('a', t0)];
    expect(values[3]).toBeCloseTo((10 * 1 + -20 * 0.5) / 100, 6);
    expect(values[4]).toBeCloseTo((10 * 1 + 5 * 0.5) / 100, 6);
    expect(values[5]).toBeCloseTo((10 * -2 + 5 * 4) / 100, 6);
  });
});

describe('buildPriceSeries', () => {
  it('keeps each token from its first liquid window to the last before its pool is drained', () => {
    const windows = [
      window('a', 0, Number.NaN),
      window('a', 1, 5),
      window('a', 2, 20),
      window('a', 3, 30),
      window('a', 4, 0.01, 54),
      window('a', 5, 40),
      window('b', 0, 20),
      window('b', 1, 25),
    ];
    expect(keepLiquidWindows(windows, 10).map((w) => [w.token, (w.windowStart - t0) / hour])).toEqual([
      ['a', 2],
      ['a', 3],
      ['b', 0],
      ['b', 1],
    ]);
    const { featureNames, series } = buildPriceSeries(
      { windows, flows: [flow('a', 3, 'x', 6, 1, 0)] },
      { minQuoteReserve: 10, traderFlow: { frequentTraderSwaps: 1, whaleVolume: 1 } },
    );
    expect(featureNames).toEqual([...priceFeatureNames, ...traderFlowFeatureNames()]);
    // The trader-flow columns follow the price columns, each row holding its own window's values.
    const width = featureNames.length;
    expect([...series[0]!.features.slice(width - 3, width)]).toEqual([0, 0, 0]);
    expect([...series[0]!.features.slice(2 * width - 3, 2 * width)]).toEqual([Math.fround(6 / 30), 0, 0]);
    // The drained window's dust return is nobody's target: a's series ends at window 3 with no target.
    expect(series.map((s) => [s.token, [...s.targets]])).toEqual([
      ['a', [Math.fround(0.01), Number.NaN]],
      ['b', [Math.fround(0.01), Number.NaN]],
    ]);
  });
});
