import type { GraphSnapshot } from '../../types/graph.js';
import { createUnionFind } from '../../utils/createUnionFind.js';
import type { AirdropActivity } from '../../warehouse/getAirdropActivity.js';
import { computeCoTiming } from './computeCoTiming.js';
import { computeMinHashSignatures, estimateJaccard } from './computeMinHashSignatures.js';
import {
  defaultHubRule,
  type FundingRoots,
  findFundingRoots,
  type HubRule,
  isFundedBy,
} from './findFundingRoots.js';

/** The thresholds of {@link findSybilClusters}. */
export interface SybilClusterOptions {
  /** Linked wallets form a cluster from this many on. */
  minClusterSize: number;
  /** Action similarity (Jaccard over the wallets' action sets) from which two wallets of a candidate group are linked. */
  similarity: number;
  /** Seeds the MinHash functions. */
  seed: number;
  hubRule?: HubRule | undefined;
  /** Addresses known to be hubs (exchanges, bridges): never a funding root. */
  knownHubs?: ReadonlySet<string> | undefined;
  /** Blocks within which two actions count as simultaneous (default 2), and the co-timing and amount similarity
   *  from which two wallets act in lockstep (default 0.5 each). */
  coTimingWindow?: number | undefined;
  minCoTiming?: number | undefined;
  minAmountSimilarity?: number | undefined;
}

/** Why an address was put in a sybil cluster. */
export interface SybilFinding {
  clusterId: string;
  /** Which rules linked it and how strongly, as sentences. */
  evidence: string[];
  /** The linked wallets most similar to it (up to five). */
  peers: string[];
}

/** A sybil cluster: its id, members (indexes into the activity list) and how many links each rule made. */
export interface SybilCluster {
  id: string;
  members: number[];
  links: Record<SybilRule, number>;
}

/** The rules that link two wallets: both funded from one wallet, or acting in lockstep with the same amounts. */
export type SybilRule = 'funding_tree' | 'lockstep';

/** The clusters found, each eligible address's finding (undefined when in none), and the funding analysis used. */
export interface SybilClusters {
  clusters: SybilCluster[];
  findings: (SybilFinding | undefined)[];
  /** Per activity row: its snapshot node, or -1 when the snapshot does not have it. */
  nodes: number[];
  /** Per activity row: its funding root's node, or -1 (for grouping rows that must stay together). */
  roots: Int32Array;
  funding: FundingRoots;
}

interface Link {
  peer: number;
  rule: SybilRule;
  jaccard: number;
  coTiming: number;
  amounts: number;
}

/** What a wallet did, as a set: each transaction as `method>target` ('eth' for a plain transfer). */
export function toActionSet(activity: AirdropActivity): string[] {
  return [...new Set(activity.targets.map((target, i) => `${activity.methods[i] || 'eth'}>${target}`))];
}

/** The ETH amounts a wallet paid into contracts (value > 0, three significant digits): what a farm script repeats. */
export function toAmountSet(activity: AirdropActivity): Set<string> {
  const amounts = new Set<string>();
  for (const [i, value] of activity.values.entries()) {
    if (value > 0 && activity.methods[i] !== '') amounts.add(value.toPrecision(3));
  }
  return amounts;
}

/** Jaccard similarity of two wallets' amount sets; two wallets that paid nothing into contracts count as alike. */
function computeAmountSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const amount of a) if (b.has(amount)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Finds sybil clusters among the eligible addresses. Candidate pairs: wallets whose funding chains meet below any
 * hub (one funding tree), and wallets that made the same action within a few blocks of each other. Two wallets are
 * linked when their action sets are near-identical (MinHash Jaccard at least `similarity`) and, for pairs without a
 * funding tree, they also act in lockstep (co-timing) with the same amounts; linked wallets form clusters, and
 * clusters of at least `minClusterSize` are reported with every member's evidence (rules, peers, sweeps).
 */
export function findSybilClusters(
  snapshot: GraphSnapshot,
  community: Uint32Array,
  activity: readonly AirdropActivity[],
  options: SybilClusterOptions,
): SybilClusters {
  const window = options.coTimingWindow ?? 2;
  const minCoTiming = options.minCoTiming ?? 0.5;
  const minAmountSimilarity = options.minAmountSimilarity ?? 0.5;
  const nodeOf = new Map(snapshot.nodes.addresses.map((address, v) => [address, v]));
  const nodes = activity.map((row) => nodeOf.get(row.address) ?? -1);
  const funding = findFundingRoots(snapshot, options.hubRule ?? defaultHubRule, options.knownHubs);
  const roots = Int32Array.from(nodes, (v) => (v < 0 ? -1 : funding.root[v]!));
  const signatures = computeMinHashSignatures(activity.map(toActionSet), 128, options.seed);
  const amountSets = activity.map(toAmountSet);

  const candidates = new Map<number, SybilRule>();
  const count = activity.length;
  const addPair = (a: number, b: number, rule: SybilRule) => {
    if (a === b) return;
    const key = a < b ? a * count + b : b * count + a;
    if (candidates.get(key) !== 'funding_tree') candidates.set(key, rule);
  };
  for (const members of groupBy(count, (i) => (roots[i]! >= 0 ? roots[i] : undefined)).values()) {
    for (let x = 0; x < members.length; x += 1) {
      for (let y = x + 1; y < members.length; y += 1) addPair(members[x]!, members[y]!, 'funding_tree');
    }
  }
  for (const [a, b] of findCoActivePairs(activity, window)) addPair(a, b, 'lockstep');

  const links: Link[][] = Array.from({ length: count }, () => []);
  const sets = createUnionFind(count);
  for (const [key, rule] of candidates) {
    const a = Math.floor(key / count);
    const b = key % count;
    const jaccard = estimateJaccard(signatures, a, b);
    if (jaccard < options.similarity) continue;
    const coTiming = computeCoTiming(activity[a]!.blocks, activity[b]!.blocks, window);
    const amounts = computeAmountSimilarity(amountSets[a]!, amountSets[b]!);
    if (rule === 'lockstep' && (coTiming < minCoTiming || amounts < minAmountSimilarity)) continue;
    links[a]!.push({ peer: b, rule, jaccard, coTiming, amounts });
    links[b]!.push({ peer: a, rule, jaccard, coTiming, amounts });
    sets.union(a, b);
  }

  const clusterRoots = sets.roots();
  const clusters = [...groupBy(count, (i) => (links[i]!.length ? clusterRoots[i] : undefined)).values()]
    .filter((members) => members.length >= options.minClusterSize)
    .sort((a, b) => b.length - a.length || a[0]! - b[0]!)
    .map((members, k): SybilCluster => {
      const tally: Record<SybilRule, number> = { funding_tree: 0, lockstep: 0 };
      for (const m of members) for (const link of links[m]!) if (m < link.peer) tally[link.rule] += 1;
      return { id: `sybil-${k + 1}`, members, links: tally };
    });
  const findings: (SybilFinding | undefined)[] = new Array(count).fill(undefined);
  const graph = { funding, nodes, community, snapshot };
  for (const cluster of clusters) {
    // Where each member emptied its ETH, and how many members emptied theirs into the same address.
    const sweeps = cluster.members.map((m) => findSweep(activity[m]!));
    const sweptInto = new Map<string, number>();
    for (const target of sweeps) if (target) sweptInto.set(target, (sweptInto.get(target) ?? 0) + 1);
    for (const [k, m] of cluster.members.entries()) {
      const target = sweeps[k];
      const sweep = target
        ? { target, node: nodeOf.get(target) ?? -1, clusterMates: sweptInto.get(target)! - 1 }
        : undefined;
      findings[m] = describeFinding(m, cluster, links[m]!, activity, graph, sweep);
    }
  }
  return { clusters, findings, nodes, roots, funding };
}

/** Indexes 0..count-1 grouped by `key` (undefined: left out), in first-seen order. */
function groupBy(count: number, key: (i: number) => number | undefined): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < count; i += 1) {
    const k = key(i);
    if (k === undefined) continue;
    const members = groups.get(k);
    if (members) members.push(i);
    else groups.set(k, [i]);
  }
  return groups;
}

/**
 * Pairs of wallets that made the same action (`method>target`) within `window` blocks of each other: what wallets
 * run by one script do, whoever funded them. Bucketed by action and block, so only such pairs are ever formed.
 */
function findCoActivePairs(activity: readonly AirdropActivity[], window: number): [number, number][] {
  const buckets = new Map<string, number[]>();
  for (const [i, row] of activity.entries()) {
    const seen = new Set<string>();
    for (const [t, block] of row.blocks.entries()) {
      const key = `${block}:${row.methods[t] || 'eth'}>${row.targets[t]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const members = buckets.get(key);
      if (members) members.push(i);
      else buckets.set(key, [i]);
    }
  }
  const pairs: [number, number][] = [];
  for (const [key, members] of buckets) {
    const split = key.indexOf(':');
    const block = Number(key.slice(0, split));
    const action = key.slice(split + 1);
    for (let offset = 0; offset <= window; offset += 1) {
      const others = offset === 0 ? members : buckets.get(`${block + offset}:${action}`);
      if (!others) continue;
      for (const a of members) for (const b of others) if (a !== b) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** The evidence sentences and closest peers of cluster member `m`. */
function describeFinding(
  m: number,
  cluster: SybilCluster,
  links: readonly Link[],
  activity: readonly AirdropActivity[],
  graph: { funding: FundingRoots; nodes: readonly number[]; community: Uint32Array; snapshot: GraphSnapshot },
  /** Where the member emptied its ETH (node -1 when outside the snapshot) and how many cluster-mates did the same. */
  sweep: { target: string; node: number; clusterMates: number } | undefined,
): SybilFinding {
  const { funding, nodes, community, snapshot } = graph;
  const address = (v: number) => snapshot.nodes.addresses[v]!;
  const closest = [...links].sort((a, b) => b.jaccard - a.jaccard || a.peer - b.peer).slice(0, 5);
  const mean = (values: number[]) => values.reduce((s, x) => s + x, 0) / values.length;
  const evidence: string[] = [];
  const byRule = (rule: SybilRule) => links.filter((link) => link.rule === rule);
  const tree = byRule('funding_tree');
  const node = nodes[m]!;
  if (tree.length) {
    const root = funding.root[node]!;
    evidence.push(
      `funding tree: funded from ${address(root)} (${funding.depth[node]} hop${funding.depth[node] === 1 ? '' : 's'} up), ` +
        `like ${tree.length} near-identical wallet${tree.length === 1 ? '' : 's'} (mean action similarity ${mean(tree.map((l) => l.jaccard)).toFixed(2)})`,
    );
  }
  const lockstep = byRule('lockstep');
  if (lockstep.length) {
    const sameCommunity = lockstep.filter(
      (l) => node >= 0 && nodes[l.peer]! >= 0 && community[nodes[l.peer]!] === community[node],
    ).length;
    evidence.push(
      `lockstep: made the same actions within a few blocks of ${lockstep.length} wallet${lockstep.length === 1 ? '' : 's'} ` +
        `(${sameCommunity} in its Louvain community) with near-identical actions and amounts (mean co-timing ` +
        `${mean(lockstep.map((l) => l.coTiming)).toFixed(2)}, action similarity ${mean(lockstep.map((l) => l.jaccard)).toFixed(2)}, ` +
        `amount similarity ${mean(lockstep.map((l) => l.amounts)).toFixed(2)})`,
    );
  }
  if (sweep && node >= 0 && isFundedBy(funding, node, sweep.node)) {
    evidence.push(`sweep-back: sent its ETH back to its own funder ${sweep.target}`);
  } else if (sweep?.clusterMates) {
    evidence.push(
      `sweep: sent its ETH to ${sweep.target}, as ${sweep.clusterMates} other wallet(s) of its cluster did`,
    );
  }
  return { clusterId: cluster.id, evidence, peers: closest.map((link) => activity[link.peer]!.address) };
}

/** The recipient of a wallet's last plain ETH transfer when it was its last transaction (emptying it), else undefined. */
function findSweep(activity: AirdropActivity): string | undefined {
  const last = activity.targets.length - 1;
  if (last < 0 || activity.methods[last] !== '' || !(activity.values[last]! > 0)) return undefined;
  return activity.targets[last];
}
