import { edgeTypes, type GraphSnapshot } from '../types/graph.js';
import { orderStatistic } from '../utils/orderStatistic.js';
import { buildSimpleUndirected } from './buildSimpleUndirected.js';

/** Contracts counted as "top" for `top_contract_share`. */
const topContractCount = 20;
/** Options for {@link computeGraphFeatures}. */
export interface GraphFeatureOptions {
  /** A node funding at least this many accounts (default 10), and in the top 1% of funders, is a "large funder". */
  largeFunderMinFanOut?: number;
}
/** `funding_depth` of a node no large funder reaches. */
const unreachableDepth = 32;

/**
 * Means over its counterparties of their total degree, their counterparties and their funding depth; for an
 * address without counterparties (a token only ever moved by other contracts, say), the median of each over
 * the addresses that have some: no information, where 0 would lie far below anything seen (−12 to −18 IQRs).
 */
const neighbourMeanNames = [
  'neighbour_degree_mean',
  'neighbour_counterparties_mean',
  'neighbour_funding_depth_mean',
] as const;

/** The structural features computed from the snapshot's CSR, in column order (see docs in the README). */
export const graphFeatureNames = [
  ...edgeTypes.flatMap((type) => [`out_degree_${type}`, `in_degree_${type}`]),
  /** Distinct addresses this one has an edge with, either direction, self excluded. */
  'counterparties',
  /** Share of this address's calls (by count) that went to the 20 most-called contracts. */
  'top_contract_share',
  /** Funding hops from the nearest large funder (0 for a large funder itself; 32 when none reaches it). */
  'funding_depth',
  /** How many addresses this address's first funder funded (0 when it has none). */
  'funder_fan_out',
  ...neighbourMeanNames,
] as const;

/** Computes `graphFeatureNames` for every node: a row-major matrix, nodes × features. */
export function computeGraphFeatures(
  snapshot: GraphSnapshot,
  options: GraphFeatureOptions = {},
): Float64Array {
  const n = snapshot.nodes.addresses.length;
  const width = graphFeatureNames.length;
  const out = new Float64Array(n * width);
  const { edges } = snapshot;
  const col = (name: (typeof graphFeatureNames)[number]) => graphFeatureNames.indexOf(name);

  const degree = new Float64Array(n);
  for (let e = 0; e < edges.src.length; e += 1) {
    const t = edges.type[e]!;
    out[edges.src[e]! * width + 2 * t]! += 1;
    out[edges.dst[e]! * width + 2 * t + 1]! += 1;
    degree[edges.src[e]!]! += 1;
    degree[edges.dst[e]!]! += 1;
  }

  const simple = buildSimpleUndirected(snapshot);
  const counterparties = new Float64Array(n);
  for (let v = 0; v < n; v += 1) counterparties[v] = simple.offsets[v + 1]! - simple.offsets[v]!;
  const fundingType = edgeTypes.indexOf('funding');
  // How many accounts each node funded: its funding out-degree, counted above.
  const fanOut = Float64Array.from({ length: n }, (_, v) => out[v * width + 2 * fundingType]!);
  const depth = fundingDepth(snapshot, fanOut, options.largeFunderMinFanOut ?? 10);
  const callType = edgeTypes.indexOf('call');
  const topContracts = mostCalled(snapshot, callType);
  for (let v = 0; v < n; v += 1) {
    const row = v * width;
    out[row + col('counterparties')] = counterparties[v]!;
    out[row + col('funding_depth')] = depth[v]!;
    let calls = 0;
    let topCalls = 0;
    for (let i = snapshot.out.offsets[v]!; i < snapshot.out.offsets[v + 1]!; i += 1) {
      const e = snapshot.out.edges[i]!;
      if (edges.type[e] !== callType) continue;
      calls += edges.count[e]!;
      if (topContracts.has(edges.dst[e]!)) topCalls += edges.count[e]!;
    }
    out[row + col('top_contract_share')] = calls === 0 ? 0 : topCalls / calls;
    for (let i = snapshot.in.offsets[v]!; i < snapshot.in.offsets[v + 1]!; i += 1) {
      const e = snapshot.in.edges[i]!;
      if (edges.type[e] === fundingType) {
        out[row + col('funder_fan_out')] = fanOut[edges.src[e]!]!;
        break;
      }
    }
    const k = counterparties[v]!;
    if (k === 0) continue;
    let sumDegree = 0;
    let sumCounterparties = 0;
    let sumDepth = 0;
    for (let i = simple.offsets[v]!; i < simple.offsets[v + 1]!; i += 1) {
      const u = simple.targets[i]!;
      sumDegree += degree[u]!;
      sumCounterparties += counterparties[u]!;
      sumDepth += depth[u]!;
    }
    out[row + col('neighbour_degree_mean')] = sumDegree / k;
    out[row + col('neighbour_counterparties_mean')] = sumCounterparties / k;
    out[row + col('neighbour_funding_depth_mean')] = sumDepth / k;
  }
  const isolated = (v: number) => counterparties[v] === 0;
  for (const name of neighbourMeanNames) fillIsolated(out, width, col(name), isolated);
  return out;
}

/** Sets column `j` of every row where `isolated(row)` to the median of that column over the other rows (0 if none). */
function fillIsolated(
  matrix: Float64Array,
  width: number,
  j: number,
  isolated: (row: number) => boolean,
): void {
  const rows = matrix.length / width;
  const known: number[] = [];
  for (let v = 0; v < rows; v += 1) if (!isolated(v)) known.push(matrix[v * width + j]!);
  const median = orderStatistic(Float64Array.from(known).sort(), 0.5);
  for (let v = 0; v < rows; v += 1) if (isolated(v)) matrix[v * width + j] = median;
}

/** The `topContractCount` nodes receiving the most calls (by count). */
function mostCalled(snapshot: GraphSnapshot, callType: number): Set<number> {
  const calls = new Map<number, number>();
  const { edges } = snapshot;
  for (let e = 0; e < edges.src.length; e += 1) {
    if (edges.type[e] === callType)
      calls.set(edges.dst[e]!, (calls.get(edges.dst[e]!) ?? 0) + edges.count[e]!);
  }
  return new Set(
    [...calls.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, topContractCount)
      .map(([node]) => node),
  );
}

/** Hops along funding edges from the nearest large funder (multi-source BFS); `unreachableDepth` if none. */
function fundingDepth(
  snapshot: GraphSnapshot,
  fanOut: Float64Array,
  largeFunderMinFanOut: number,
): Float64Array {
  const n = snapshot.nodes.addresses.length;
  const { edges } = snapshot;
  const fundingType = edgeTypes.indexOf('funding');
  const funders = [...fanOut].filter((f) => f > 0).sort((a, b) => a - b);
  const p99 = funders[Math.floor(0.99 * (funders.length - 1))] ?? 0;
  const threshold = Math.max(largeFunderMinFanOut, p99);
  const depth = new Float64Array(n).fill(unreachableDepth);
  let frontier: number[] = [];
  for (let v = 0; v < n; v += 1) {
    if (fanOut[v]! >= threshold) {
      depth[v] = 0;
      frontier.push(v);
    }
  }
  for (let d = 1; frontier.length > 0 && d < unreachableDepth; d += 1) {
    const next: number[] = [];
    for (const v of frontier) {
      for (let i = snapshot.out.offsets[v]!; i < snapshot.out.offsets[v + 1]!; i += 1) {
        const e = snapshot.out.edges[i]!;
        const u = edges.dst[e]!;
        if (edges.type[e] !== fundingType || depth[u]! <= d) continue;
        depth[u] = d;
        next.push(u);
      }
    }
    frontier = next;
  }
  return depth;
}
