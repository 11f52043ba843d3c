import type { PriceTraderFlow } from '../../warehouse/getPriceTraderFlows.js';
import type { PriceWindow } from '../../warehouse/getPriceWindows.js';
import { createTraderSkill } from './createTraderSkill.js';

/** What the graph snapshot says of each trader: its PageRank percentile and its embedding. */
export interface TraderGraph {
  /** The snapshot the values come from (its as-of time bounds what they know). */
  snapshotId: string;
  dims: number;
  /** By lower-case address: the PageRank percentile among the snapshot's EOAs, in [0, 1]. */
  pagerankPercentile: ReadonlyMap<string, number>;
  /** By lower-case address: the trader's embedding (dims values). */
  embedding: ReadonlyMap<string, Float32Array>;
}

/** Who counts as a frequent trader and as a whale, from what each had done before the window. */
export interface TraderFlowSettings {
  /** A trader with at least this many earlier swaps in the quote pools is frequent (default 50). */
  frequentTraderSwaps: number;
  /** A trader with at least this much earlier quote volume is a whale (default 100 quote units). */
  whaleVolume: number;
}

/** Per-window columns of a token, by feature name; see traderFlowFeatureNames. */
export interface TraderFlowColumns {
  names: readonly string[];
  /** The values of `names` for a token's window (zeros for a window without swaps). */
  valuesOf(token: string, windowStart: number): Float32Array;
}

export const defaultTraderFlowSettings: TraderFlowSettings = { frequentTraderSwaps: 50, whaleVolume: 100 };

/**
 * The names of the trader-flow columns: net buy flow over the window-end quote reserve from frequent traders and
 * from whales (both judged only on what they did before the window), flow weighted by each trader's skill (how
 * often its earlier flows called the next window's direction, from outcomes known by the window's end; see
 * createTraderSkill), and, with a graph snapshot, flow weighted by the trader's PageRank percentile and the
 * flow-weighted sum of each embedding dimension (`embedding_flow_k`).
 */
export function traderFlowFeatureNames(graphDims?: number): string[] {
  const names = ['frequent_trader_flow_to_reserve', 'whale_flow_to_reserve', 'skilled_flow_to_reserve'];
  if (graphDims === undefined) return names;
  return [
    ...names,
    'pagerank_flow_to_reserve',
    ...Array.from({ length: graphDims }, (_, k) => `embedding_flow_${k}_to_reserve`),
  ];
}

/**
 * Aggregates the traders' flows of each token's windows into the trader-flow columns. A window's values read only
 * its own swaps, what their traders did before it, and the graph (whose snapshot the caller chooses).
 */
export function buildTraderFlowFeatures(
  windows: readonly PriceWindow[],
  flows: readonly PriceTraderFlow[],
  settings: TraderFlowSettings = defaultTraderFlowSettings,
  graph?: TraderGraph,
): TraderFlowColumns {
  const names = traderFlowFeatureNames(graph?.dims);
  const key = (token: string, windowStart: number) => `${token}/${windowStart}`;
  const reserves = new Map(windows.map((w) => [key(w.token, w.windowStart), w.quoteReserve]));
  const values = new Map<string, Float32Array>();
  const skill = createTraderSkill(windows, flows);
  for (const flow of [...flows].sort((a, b) => a.windowStart - b.windowStart)) {
    skill.advanceTo(flow.windowStart);
    const at = key(flow.token, flow.windowStart);
    const reserve = reserves.get(at);
    if (reserve === undefined) continue;
    const row = values.get(at) ?? new Float32Array(names.length);
    values.set(at, row);
    const share = flow.netFlow / reserve;
    if (flow.priorSwaps >= settings.frequentTraderSwaps) row[0]! += share;
    if (flow.priorVolume >= settings.whaleVolume) row[1]! += share;
    row[2]! += share * skill.of(flow.trader);
    if (!graph) continue;
    row[3]! += share * (graph.pagerankPercentile.get(flow.trader) ?? 0);
    const embedding = graph.embedding.get(flow.trader);
    if (embedding) for (let k = 0; k < graph.dims; k += 1) row[4 + k]! += share * embedding[k]!;
  }
  const empty = new Float32Array(names.length);
  return { names, valuesOf: (token, windowStart) => values.get(key(token, windowStart)) ?? empty };
}
