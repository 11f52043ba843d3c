import { computeComponents } from '../../graph/computeComponents.js';
import { edgeTypes, type GraphSnapshot } from '../../types/graph.js';
import type { FundingRoots } from './findFundingRoots.js';

const transferTypes = new Set(['native', 'token', 'funding'].map((t) => edgeTypes.indexOf(t as never)));

/**
 * The baseline sybil detector public airdrops have used: connected components of the transfer and funding graph
 * (ETH and token transfers, first funding) with hubs (exchanges, contracts) taken out; every eligible address in a
 * component with at least `minClusterSize` eligible addresses is flagged. Per eligible address (by index into
 * `eligibleNodes`): its component's id, or -1 when not flagged.
 */
export function findComponentClusters(
  snapshot: GraphSnapshot,
  funding: FundingRoots,
  eligibleNodes: readonly number[],
  minClusterSize: number,
): Int32Array {
  const { src, dst, type } = snapshot.edges;
  const component = computeComponents(
    snapshot,
    (e) => transferTypes.has(type[e]!) && !funding.hub[src[e]!] && !funding.hub[dst[e]!],
  );
  const eligiblePerComponent = new Map<number, number>();
  for (const v of eligibleNodes) {
    if (v >= 0) eligiblePerComponent.set(component[v]!, (eligiblePerComponent.get(component[v]!) ?? 0) + 1);
  }
  return Int32Array.from(eligibleNodes, (v) =>
    v >= 0 && eligiblePerComponent.get(component[v]!)! >= minClusterSize ? component[v]! : -1,
  );
}
