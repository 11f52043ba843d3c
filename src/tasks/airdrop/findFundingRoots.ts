import { edgeTypes, type GraphSnapshot, nodeKinds } from '../../types/graph.js';

/** When an address counts as a hub (an exchange, a bridge, a contract): funding through it says nothing about who is behind two wallets. */
export interface HubRule {
  /** Accounts it funded first, from which on an address is a hub (default 100: more than a farm's wallets, fewer than an exchange's customers). */
  minFunded: number;
  /** How far up the funding chain a root is searched (default 4). */
  maxHops: number;
}

/** The default {@link HubRule}. */
export const defaultHubRule: HubRule = { minFunded: 100, maxHops: 4 };

/** Who funded whom, which addresses are hubs, and where each account's funding tree starts. */
export interface FundingRoots {
  /** Per node: the node that sent it its first ETH (the snapshot's funding edge), or -1. */
  funder: Int32Array;
  /** Per node: 1 when it is a hub. */
  hub: Uint8Array;
  /**
   * Per node: the top of its funding chain below any hub (its funder, or that funder's funder, … up to `maxHops`
   * steps), or -1 when its funder is a hub or it has none: accounts sharing a root were funded from one wallet.
   */
  root: Int32Array;
  /** Per node: funding steps from the root down to it (0 when it has no root). */
  depth: Uint8Array;
}

/** Whether `ancestor` funded `node`, directly or through up to `maxHops - 1` intermediate wallets. */
export function isFundedBy(
  funding: FundingRoots,
  node: number,
  ancestor: number,
  maxHops = defaultHubRule.maxHops,
): boolean {
  let v = funding.funder[node]!;
  for (let hop = 0; hop < maxHops && v >= 0; hop += 1, v = funding.funder[v]!)
    if (v === ancestor) return true;
  return false;
}

const funding = edgeTypes.indexOf('funding');
const eoa = nodeKinds.indexOf('eoa');

/**
 * Finds every account's funding root. A hub is a node that is not an EOA, or that funded at least `minFunded`
 * accounts, or one of `knownHubs` (addresses labelled exchange or bridge).
 */
export function findFundingRoots(
  snapshot: GraphSnapshot,
  rule: HubRule = defaultHubRule,
  knownHubs: ReadonlySet<string> = new Set(),
): FundingRoots {
  const n = snapshot.nodes.addresses.length;
  const { src, dst, type } = snapshot.edges;
  const funder = new Int32Array(n).fill(-1);
  const funded = new Uint32Array(n);
  for (let e = 0; e < src.length; e += 1) {
    if (type[e] !== funding) continue;
    funder[dst[e]!] = src[e]!;
    funded[src[e]!]! += 1;
  }
  const hub = new Uint8Array(n);
  for (let v = 0; v < n; v += 1) {
    hub[v] = Number(
      snapshot.nodes.kind[v] !== eoa ||
        funded[v]! >= rule.minFunded ||
        knownHubs.has(snapshot.nodes.addresses[v]!),
    );
  }
  const root = new Int32Array(n).fill(-1);
  const depth = new Uint8Array(n);
  for (let v = 0; v < n; v += 1) {
    let top = funder[v]!;
    if (top < 0 || hub[top]) continue;
    let steps = 1;
    while (steps < rule.maxHops && funder[top]! >= 0 && !hub[funder[top]!]) {
      top = funder[top]!;
      steps += 1;
    }
    root[v] = top;
    depth[v] = steps;
  }
  return { funder, hub, root, depth };
}
